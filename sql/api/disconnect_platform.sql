create or replace function api.disconnect_platform(p_connection_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_connection auth.platform_connections;
begin
    -- The scope first: a key without it learns nothing about the connection.
    perform auth.require_scope('manage');
    v_connection := auth.connection_owned(p_connection_id);
    if v_connection.status = 'disconnected' then
        return;
    end if;
    update auth.platform_connections as c
    set status = 'disconnected', disconnected_at = pg_catalog.now()
    where c.id = p_connection_id;
    -- Credentials are not kept for a dead connection.
    delete from auth.platform_credentials as p where p.connection_id = p_connection_id;
end
$$;

comment on function api.disconnect_platform(uuid) is
'Disconnects one of the acting user''s platform connections and deletes its credentials (idempotent). Needs '
'manage; P0002 for an unknown connection, 42501 for another user''s.';
