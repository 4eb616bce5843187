-- depends: auth/hold_active_user.sql
create or replace function api.set_tax_id(p_tax_id text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_tax_id bytea;
begin
    perform auth.require_scope('manage');
    if p_tax_id is not null and p_tax_id !~ '^[A-Za-z0-9 -]{4,32}$' then
        perform app.raise_error('22023', 'a tax id has 4 to 32 letters, digits, spaces or dashes');
    end if;
    -- Encrypted first (auth.encrypt holds the data key's row, which a rotation takes before the rows it
    -- re-encrypts), then the security row and the user's row (api.delete_account's order): no tax id stored
    -- for a user deleted meanwhile.
    v_tax_id := auth.encrypt(p_tax_id);
    perform from auth.user_security as s where s.user_id = v_user_id for update;
    perform auth.hold_active_user(v_user_id);
    update auth.user_security as s set tax_id_encrypted = v_tax_id where s.user_id = v_user_id;
end
$$;

comment on function api.set_tax_id(text) is
'Stores the acting user''s tax id encrypted under the data key (NULL clears it); it is never returned. 22023 for '
'a tax id that is not 4 to 32 letters, digits, spaces or dashes; TB004 for a user deleted meanwhile.';
