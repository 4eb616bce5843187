create or replace function api.change_password(p_current_password text, p_new_password text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_username text;
begin
    perform auth.require_scope('manage');
    perform auth.verify_password(v_user_id, p_current_password);
    select u.username into v_username from auth.users as u where u.id = v_user_id;
    perform auth.check_password(p_new_password, v_username);
    update auth.user_security as s
    set password_hash = auth.hash_password(p_new_password), last_password_change = pg_catalog.now()
    where s.user_id = v_user_id;
    -- Every other session ends; the one making the change (if any) stays.
    update auth.user_sessions as s
    set revoked_at = pg_catalog.now()
    where s.user_id = v_user_id and s.revoked_at is null
        and s.id is distinct from (select c.ref_id from app.current_context() as c where c.via = 'session');
end
$$;

comment on function api.change_password(text, text) is
'Changes the acting user''s password (TB001 wrong current password, TB005 weak new one) and revokes their other sessions.';
