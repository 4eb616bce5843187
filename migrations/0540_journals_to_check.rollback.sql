-- Undo 0540: the queue of journals to check at commit.
set local role tradebase_owner;

drop table trading.journals_to_check;
