-- The ownership check of every api function that acts on one object: the caller looked up the
-- object's owner (null when there is no such object) and this raises what the app should see.
create or replace function auth.assert_owner(p_what text, p_id uuid, p_owner uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
    if p_owner is null then
        perform app.raise_error('P0002', pg_catalog.format('%s %s does not exist', p_what, p_id));
    end if;
    if p_owner <> auth.require_user() then
        perform app.raise_error('42501', pg_catalog.format('%s %s belongs to another user', p_what, p_id));
    end if;
end
$$;

comment on function auth.assert_owner(text, uuid, uuid) is
'P0002 when the object does not exist (owner null), 42501 when it belongs to another user, TB008 when anonymous.';
