-- Where subscription cash waits between the request and the strike (forward pricing): one system account
-- per currency, purpose fund_subscriptions, made on first use like trading.system_account's (which knows
-- only the trading purposes). Not the fund account: the manager cannot trade cash that is not yet the
-- fund's, and the fund's NAV is its account as it stands.
create or replace function fund.subscriptions_account(p_currency text)
returns uuid
language plpgsql
volatile
strict
set search_path = ''
as $$
declare
    v_id uuid;
begin
    select a.id into v_id
    from trading.accounts as a
    where a.system_purpose = 'fund_subscriptions' and a.base_currency = p_currency;
    if found then
        return v_id;
    end if;
    insert into trading.accounts (name, kind, base_currency, system_purpose)
    values ('fund_subscriptions ' || p_currency, 'system', p_currency, 'fund_subscriptions')
    on conflict on constraint accounts_system_purpose_currency_uk do nothing
    returning id into v_id;
    if v_id is null then
        select a.id into strict v_id
        from trading.accounts as a
        where a.system_purpose = 'fund_subscriptions' and a.base_currency = p_currency;
    end if;
    return v_id;
end
$$;

comment on function fund.subscriptions_account(text) is
'The system account (purpose fund_subscriptions) holding the cash of pending subscriptions in p_currency, made on '
'first use.';
