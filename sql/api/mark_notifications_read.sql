create or replace function api.mark_notifications_read(p_ids uuid[])
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_count integer;
begin
    perform auth.require_scope('read');
    update notify.notifications as n
    set read_at = pg_catalog.now()
    where n.id = any(p_ids) and n.user_id = v_user_id and n.read_at is null;
    get diagnostics v_count = row_count;
    return v_count;
end
$$;

comment on function api.mark_notifications_read(uuid[]) is
'Marks the acting user''s notifications among p_ids as read; returns how many changed (others'' ids are ignored). '
'TB008 when anonymous.';
