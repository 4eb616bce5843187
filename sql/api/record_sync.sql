create or replace function api.record_sync(
    p_connection_id uuid,
    p_sync_type text,
    p_status text,
    p_holdings_fetched integer default 0,
    p_transactions_fetched integer default 0,
    p_error_message text default null,
    p_started_at timestamptz default now(),
    p_completed_at timestamptz default null,
    p_total_value numeric default null
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_scope_checked uuid := auth.require_scope('manage');
    v_connection auth.platform_connections := auth.connection_owned(p_connection_id);
    v_completed_at timestamptz := p_completed_at;
    v_id bigint;
begin
    if v_connection.status = 'disconnected' then
        perform app.raise_error('22023', pg_catalog.format('platform connection %s is disconnected', p_connection_id),
            'Connect the platform again first.');
    end if;
    if p_sync_type is null or p_sync_type not in ('manual', 'auto', 'scheduled') then
        perform app.raise_error('22023', pg_catalog.format('sync type %L is not manual, auto or scheduled', p_sync_type));
    end if;
    if p_status is null or p_status not in ('pending', 'in_progress', 'completed', 'failed') then
        perform app.raise_error('22023',
            pg_catalog.format('sync status %L is not pending, in_progress, completed or failed', p_status));
    end if;
    if coalesce(p_holdings_fetched, -1) < 0 or coalesce(p_transactions_fetched, -1) < 0 then
        perform app.raise_error('22023', 'fetched counts must be zero or more');
    end if;
    if p_status = 'failed' and coalesce(p_error_message, '') = '' then
        perform app.raise_error('22023', 'a failed sync needs an error message');
    end if;
    -- Stored exactly and within the limits (docs/trading.md, "Limits"); times no further ahead of the
    -- clock than auth.clock_skew(), so a bad clock cannot date a sync years ahead.
    if p_total_value is not null then
        perform trading.checked_number(p_total_value, 'p_total_value', 0, app.max_amount(), 8);
    end if;
    perform trading.checked_time(p_started_at, 'p_started_at');
    if p_completed_at is not null then
        perform trading.checked_time(p_completed_at, 'p_completed_at');
    end if;
    if p_status in ('completed', 'failed') then
        v_completed_at := coalesce(v_completed_at, greatest(pg_catalog.now(), p_started_at));
    else
        v_completed_at := null;
    end if;
    if v_completed_at < p_started_at then
        perform app.raise_error('22023', pg_catalog.format('completion %s is before the start %s', v_completed_at, p_started_at));
    end if;
    insert into auth.sync_logs (
        connection_id, user_id, sync_type, status, holdings_fetched, transactions_fetched, error_message,
        started_at, completed_at
    )
    values (
        p_connection_id, v_connection.user_id, p_sync_type, p_status, p_holdings_fetched, p_transactions_fetched,
        p_error_message, p_started_at, v_completed_at
    )
    returning id into v_id;
    update auth.platform_connections as c
    set
        status = case p_status when 'failed' then 'error' when 'completed' then 'connected' else 'syncing' end,
        last_synced_at = case when p_status = 'completed' then v_completed_at else c.last_synced_at end,
        holdings_count = case when p_status = 'completed' then p_holdings_fetched else c.holdings_count end,
        total_value = case when p_status = 'completed' then coalesce(p_total_value, c.total_value) else c.total_value end
    where c.id = p_connection_id;
    return v_id;
end
$$;

comment on function api.record_sync(uuid, text, text, integer, integer, text, timestamptz, timestamptz, numeric) is
'Logs a sync attempt of the acting user''s connection and updates the connection''s status, counts and value. '
'22023 for a disconnected connection, an unknown sync type or status, negative counts, a failed sync without an '
'error message, a bad value or times (ahead of the clock, completion before the start); P0002 for an unknown '
'connection, 42501 for another user''s.';
