create or replace function api.logout()
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_ctx record;
begin
    select c.user_id, c.via, c.ref_id into v_ctx from app.current_context() as c;
    if v_ctx.user_id is null then
        perform app.raise_error('TB008', 'nobody is authenticated in this transaction');
    end if;
    if v_ctx.via = 'session' then
        update auth.user_sessions as s set revoked_at = pg_catalog.now() where s.id = v_ctx.ref_id and s.revoked_at is null;
    end if;
    perform audit.log_event('logout', v_ctx.user_id, pg_catalog.jsonb_build_object('via', v_ctx.via, 'ref_id', v_ctx.ref_id));
    perform app.set_context(null, null, null);
end
$$;

comment on function api.logout() is
'Revokes the session the transaction authenticated with (an API key stays valid) and clears the context; TB008 when anonymous.';
