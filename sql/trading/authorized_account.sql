-- The account an api function acts on, after checking the acting user may touch it: its owner, or an
-- administrator. System accounts belong to nobody, so only administrators reach them. Anonymous
-- callers get TB008 (auth.require_user), other users' accounts 42501.
create or replace function trading.authorized_account(p_account_id uuid)
returns trading.accounts
language plpgsql
stable
set search_path = ''
as $$
declare
    v_account trading.accounts;
begin
    if p_account_id is null then
        perform app.raise_error('22023', 'account id must not be null', 'Pass the id of one of your accounts.');
    end if;
    select * into v_account from trading.accounts as a where a.id = p_account_id;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('account %s does not exist', p_account_id), null);
    end if;
    if not app.is_admin() and v_account.user_id is distinct from auth.require_user() then
        perform app.raise_error('42501', pg_catalog.format('account %s belongs to another user', p_account_id), null);
    end if;
    return v_account;
end
$$;

comment on function trading.authorized_account(uuid) is
'The account row when the acting user owns it (or is an administrator); 22023 for null, P0002 unknown, TB008 '
'anonymous, 42501 another user''s.';
