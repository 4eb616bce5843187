-- The account an api function acts on, after checking the acting user may touch it: its owner, or an
-- administrator. System accounts belong to nobody, so only administrators reach them. Anonymous
-- callers get TB008 (auth.require_user), other users' accounts 42501. With p_lock the row is read
-- FOR UPDATE (the order and cash paths), so the caller gets the current row in one statement.
-- Volatile because of that lock (a stable function may not lock rows).
drop function if exists trading.authorized_account(uuid);
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
create or replace function trading.authorized_account(p_account_id uuid, p_lock boolean default false)
returns trading.accounts
language plpgsql
volatile
as $$
declare
    v_account trading.accounts;
begin
    if p_account_id is null then
        perform app.raise_error('22023', 'account id must not be null', 'Pass the id of one of your accounts.');
    end if;
    if p_lock then
        select * into v_account from trading.accounts as a where a.id = p_account_id for update;
    else
        select * into v_account from trading.accounts as a where a.id = p_account_id;
    end if;
    if v_account.id is null then
        perform app.raise_error('P0002', pg_catalog.format('account %s does not exist', p_account_id), null);
    end if;
    if not app.is_admin() and v_account.user_id is distinct from auth.require_user() then
        perform app.raise_error('42501', pg_catalog.format('account %s belongs to another user', p_account_id), null);
    end if;
    return v_account;
end
$$;

comment on function trading.authorized_account(uuid, boolean) is
'The account row when the acting user owns it (or is an administrator), locked FOR UPDATE with p_lock; 22023 for '
'null, P0002 unknown, TB008 anonymous, 42501 another user''s.';
