-- Undo 0801: the fund tables' default fillfactor.
set local role tradebase_owner;

alter table fund.lots reset (fillfactor);
alter table fund.funds reset (fillfactor);
