-- auth.api_keys holds key hashes, so apps cannot read it; this lists the acting user's keys without them.
create or replace function api.list_api_keys()
returns table (
    id uuid,
    name text,
    key_prefix text,
    permissions jsonb,
    expires_at timestamptz,
    last_used_at timestamptz,
    created_at timestamptz,
    revoked_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
begin
    perform auth.require_scope('manage');
    return query
    select k.id, k.name, k.key_prefix, k.permissions, k.expires_at, k.last_used_at, k.created_at, k.revoked_at
    from auth.api_keys as k
    where k.user_id = v_user_id
    order by k.created_at;
end
$$;

comment on function api.list_api_keys() is
'The acting user''s API keys (prefix, scopes as {read, trade, transfer, manage: boolean}, expiry, last use), never '
'the key itself. Needs manage; TB008 when anonymous.';
