-- Undo 0560.
set local role tradebase_owner;

-- cascade: api functions return this view's row type (issue 14 §5); tradebase migrate re-creates both.
drop view if exists api.orders cascade;

alter table ops.jobs drop column actor;
alter table audit.log drop column actor;
alter table trading.orders
drop column cause_id,
drop column source,
drop column placed_by;
drop domain trading.order_source;
drop table app.system_actors;
