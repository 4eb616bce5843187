create or replace view api.platform_connections with (security_invoker = true) as
select
    id,
    user_id,
    platform,
    status,
    last_synced_at,
    sync_frequency_minutes,
    auto_sync_enabled,
    holdings_count,
    total_value,
    created_at,
    updated_at,
    disconnected_at
from auth.platform_connections;

comment on view api.platform_connections is 'The acting user''s platform connections, without credentials; RLS on auth.platform_connections.';
