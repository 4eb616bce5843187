-- Undo 0580.
set local role tradebase_owner;

delete from app.error_codes
where sqlstate = '55000';
