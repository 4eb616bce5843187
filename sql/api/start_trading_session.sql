create or replace function api.start_trading_session(p_account_id uuid)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_account trading.accounts;
    v_id uuid;
begin
    perform auth.require_scope('trade');
    v_account := trading.authorized_account(p_account_id);
    if v_account.kind = 'system' then
        perform app.raise_error('22023', pg_catalog.format('account %s is a system account', p_account_id), null);
    elsif v_account.status <> 'active' then
        perform app.raise_error('TB043', pg_catalog.format('account %s is %s', p_account_id, v_account.status), null);
    end if;
    insert into trading.trading_sessions (account_id, cash_at_start)
    values (p_account_id, v_account.cash)
    on conflict (account_id) where ended_at is null do nothing
    returning id into v_id;
    if v_id is null then
        perform app.raise_error('TB046', pg_catalog.format('account %s already has an open trading session',
            p_account_id), null);
    end if;
    return v_id;
end
$$;

comment on function api.start_trading_session(uuid) is
'Open a trading session on one of your active accounts; TB046 when one is already open. Returns its id. 22023 a '
'system account or a null id, TB043 an account that is not active, P0002 unknown, 42501 another user''s.';
