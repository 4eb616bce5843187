-- Ownership check of a platform connection for the api functions: P0002 unknown, 42501 another user's.
create or replace function auth.connection_owned(p_connection_id uuid)
returns auth.platform_connections
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_connection auth.platform_connections;
begin
    perform auth.require_user();
    select c.* into v_connection from auth.platform_connections as c where c.id = p_connection_id for update;
    perform auth.assert_owner('platform connection', p_connection_id, v_connection.user_id);
    return v_connection;
end
$$;

comment on function auth.connection_owned(uuid) is
'The acting user''s platform connection, locked; P0002 when unknown, 42501 when another user''s, TB008 when anonymous.';
