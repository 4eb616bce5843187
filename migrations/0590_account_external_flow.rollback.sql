-- Undo 0590.
set local role tradebase_owner;

alter table trading.accounts drop column external_flow;
