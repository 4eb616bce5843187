-- Undo 0600. The functions and the aggregate that return the type go with it; tradebase migrate
-- re-creates them from sql/analytics/ once the type is back.
set local role tradebase_owner;

drop type analytics.return_metrics_row cascade;
