create or replace function api.deposit(
    p_account_id uuid,
    p_amount numeric,
    p_idempotency_key text default null,
    p_memo text default null
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_scope_checked uuid := auth.require_scope('transfer');
    v_account trading.accounts := trading.authorized_account(p_account_id);
    v_amount app.money := trading.positive_amount(p_amount, 'p_amount');
begin
    if v_account.kind = 'fund' then
        -- A fund's cash comes in only as dealt subscriptions (fund.strike; docs/funds.md): a deposit would be
        -- a gain for its investors that no one subscribed for.
        perform app.raise_error('42501', pg_catalog.format('account %s is a fund account', p_account_id),
            'Cash enters a fund only through dealt subscriptions (api.subscribe; docs/funds.md).');
    end if;
    return trading.move_cash(
        'deposit', trading.system_account('external_cash', v_account.base_currency), p_account_id, v_amount,
        p_account_id, p_idempotency_key, p_memo
    );
end
$$;

comment on function api.deposit(uuid, numeric, text, text) is
'Deposit cash from outside into one of your accounts; returns the journal id. Idempotent per (account, key): '
'TB042 a reused key with other arguments. A fund account refuses (42501): its cash comes in through dealt '
'subscriptions. Needs transfer; 22023 for a null account id, a system account, a bad amount (not positive, more '
'than 8 decimals, or taking the cash above app.max_balance()), key or memo; P0002 an unknown account; 42501 '
'another user''s; TB043 an account that is not active.';
