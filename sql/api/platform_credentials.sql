-- The one way plaintext credentials leave the database: to the user who owns them, never to
-- support staff acting as that user. Every read is audited.
create or replace function api.platform_credentials(p_connection_id uuid)
returns table (api_key text, api_secret text, additional_auth jsonb)
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
    if (select c.via from app.current_context() as c) = 'act_as' then
        perform app.raise_error('42501', 'support staff acting as a user may not read platform credentials');
    end if;
    if v_connection.status = 'disconnected' then
        perform app.raise_error('P0002', pg_catalog.format('platform connection %s is disconnected', p_connection_id));
    end if;
    perform audit.log_event('credentials_read', v_connection.user_id,
        pg_catalog.jsonb_build_object('connection_id', p_connection_id));
    return query
    select auth.decrypt(p.api_key_encrypted), auth.decrypt(p.api_secret_encrypted),
        auth.decrypt(p.additional_auth_encrypted)::jsonb
    from auth.platform_credentials as p
    where p.connection_id = p_connection_id;
end
$$;

comment on function api.platform_credentials(uuid) is
'Decrypted credentials of the acting user''s own live connection (audited); 42501 under act_as or for another user, '
'P0002 for an unknown or disconnected connection.';
