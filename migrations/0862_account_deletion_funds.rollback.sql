-- Undo 0862.
set local role tradebase_owner;

delete from app.error_codes
where sqlstate in ('TB083', 'TB084');
