create or replace view api.sync_logs with (security_invoker = true) as
select
    id,
    connection_id,
    user_id,
    sync_type,
    status,
    holdings_fetched,
    transactions_fetched,
    error_message,
    started_at,
    completed_at,
    created_at
from auth.sync_logs;

comment on view api.sync_logs is 'Sync attempts of the acting user''s connections; RLS on auth.sync_logs.';
