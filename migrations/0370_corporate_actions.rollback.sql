-- Undo 0370.
set local role tradebase_owner;

delete from trading.lot_closures
where adjustment_id is not null;
alter table trading.lot_closures drop column adjustment_id;
alter table trading.lot_closures alter column fill_id set not null;
drop table trading.position_adjustments cascade;
drop table trading.corporate_actions cascade;
delete from app.error_codes
where sqlstate = 'TB064';
