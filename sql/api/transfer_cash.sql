create or replace function api.transfer_cash(
    p_from uuid,
    p_to uuid,
    p_amount numeric,
    p_idempotency_key text default null
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_from trading.accounts;
    v_to trading.accounts;
    v_amount app.money;
begin
    -- The scope first: nobody learns whether an account exists or an amount is valid without it.
    perform auth.require_scope('transfer');
    v_from := trading.authorized_account(p_from);
    v_to := trading.authorized_account(p_to);
    v_amount := trading.positive_amount(p_amount, 'p_amount');
    if p_from = p_to then
        perform app.raise_error('22023', pg_catalog.format('cannot transfer from account %s to itself', p_from),
            'Name two different accounts.');
    elsif v_from.base_currency <> v_to.base_currency then
        perform app.raise_error('TB044', pg_catalog.format('account %s holds %s, account %s holds %s',
            p_from, v_from.base_currency, p_to, v_to.base_currency), null);
    elsif v_from.kind = 'fund' or v_to.kind = 'fund' then
        -- A fund's cash moves only as dealt flows and fee payments (fund.strike; docs/funds.md).
        perform app.raise_error('42501', pg_catalog.format('account %s is a fund account',
            case when v_from.kind = 'fund' then p_from else p_to end),
            'Cash enters and leaves a fund only through dealt subscriptions, redemptions and fee payments.');
    elsif v_to.kind = 'system' then
        perform app.raise_error('22023', pg_catalog.format('account %s is a system account', p_to),
            'Move cash of user accounts only.');
    elsif v_from.kind <> v_to.kind and v_from.kind <> 'system' then
        -- Paper cash never leaves paper accounts (and real cash never turns into play money).
        perform app.raise_error('TB047', pg_catalog.format('account %s is a %s account, account %s a %s account',
            p_from, v_from.kind, p_to, v_to.kind), 'Transfer between accounts of the same kind.');
    end if;
    return trading.move_cash('transfer', p_from, p_to, v_amount, p_from, p_idempotency_key, null);
end
$$;

comment on function api.transfer_cash(uuid, uuid, numeric, text) is
'Move cash between two of your accounts of the same currency and kind (paper to paper, live to live); returns the '
'journal id. Idempotent per (source account, key). Needs transfer; TB044 other currency, TB047 other kind, 42501 a '
'fund account or another user''s, 22023 the same account twice, a system account or a bad amount, P0002 an unknown '
'account, TB040 short of cash, TB043 an inactive account, TB042 a reused key with other arguments.';
