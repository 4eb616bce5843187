create or replace function api.withdraw(
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
    v_account trading.accounts;
    v_amount app.money;
begin
    -- The scope first: nobody learns whether an account exists or an amount is valid without it.
    perform auth.require_scope('transfer');
    v_account := trading.authorized_account(p_account_id);
    v_amount := trading.positive_amount(p_amount, 'p_amount');
    if v_account.kind = 'fund' then
        -- A fund's cash leaves only as dealt redemptions and fee payments (fund.strike; docs/funds.md).
        perform app.raise_error('42501', pg_catalog.format('account %s is a fund account', p_account_id),
            'Cash leaves a fund only through dealt redemptions and fee payments (docs/funds.md).');
    end if;
    -- Paper cash is play money: it goes back to paper_capital, where it came from, never to external_cash.
    return trading.move_cash(
        'withdrawal', p_account_id,
        trading.system_account(
            case when v_account.kind = 'paper' then 'paper_capital' else 'external_cash' end, v_account.base_currency
        ),
        v_amount, p_account_id, p_idempotency_key, p_memo
    );
end
$$;

comment on function api.withdraw(uuid, numeric, text, text) is
'Withdraw cash from one of your accounts (at most cash less reserved cash); returns the journal id. '
'Idempotent per (account, key): TB042 a reused key with other arguments. Live accounts pay out to external_cash; '
'a paper account''s cash returns to paper_capital (it never becomes real money); fund accounts refuse (42501). '
'Needs transfer; 22023 for a null account id, a system account, a bad amount (not positive, more than 8 '
'decimals), key or memo; P0002 an unknown account; 42501 another user''s; TB040 more than the available cash; '
'TB043 an account that is not active.';
