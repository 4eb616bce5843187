-- Ownership check of a platform connection for the api functions: P0002 unknown, 42501 another user's.
create or replace function auth.connection_owned(p_connection_id uuid)
returns auth.platform_connections
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_connection auth.platform_connections;
begin
    select c.* into v_connection from auth.platform_connections as c where c.id = p_connection_id for update;
    if v_connection.id is null then
        perform app.raise_error('P0002', pg_catalog.format('platform connection %s does not exist', p_connection_id));
    end if;
    if v_connection.user_id <> v_user_id then
        perform app.raise_error('42501', pg_catalog.format('platform connection %s belongs to another user', p_connection_id));
    end if;
    return v_connection;
end
$$;

comment on function auth.connection_owned(uuid) is
'The acting user''s platform connection, locked; P0002 when unknown, 42501 when another user''s, TB008 when anonymous.';
