-- Undo 0760: parameter sweeps. Cascade drops the sql/ objects built on them (policies, api views); migrate
-- re-creates those when the migration is re-applied.
set local role tradebase_owner;

drop table strategy.sweep_results cascade;
drop table strategy.sweeps cascade;
