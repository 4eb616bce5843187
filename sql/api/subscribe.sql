-- An investor asks to subscribe (issue 17, forward pricing): the request deals at the fund's next NAV
-- strike, never at a known price. Its cash leaves the investor's live account now, into the
-- fund_subscriptions system account (so it cannot be spent twice), and comes back if the request is
-- canceled or refused at the strike. Only KYC-verified investors subscribe, to an active fund, keeping
-- their net investment (dealt, less redeemed, plus pending) within the fund's limits and the fund within
-- its number of investors; the fund row is locked first, so concurrent subscriptions see each other.
-- The investor's account row is then locked (fund first, then account, the order of fund.strike) and its
-- status and cash are checked on that locked row: a buy order, a withdrawal or another subscription
-- committed meanwhile on the account is seen, so the cash taken never leaves it below what its open
-- orders reserve (trading.post_journal only refuses cash below 0).
-- depends: fund/prior_flow.sql fund/subscriptions_account.sql api/fund_flows.sql auth/hold_active_user.sql
create or replace function api.subscribe(
    p_fund_id uuid,
    p_from_account_id uuid,
    p_amount numeric,
    p_idempotency_key text default null
)
returns api.fund_flows
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_account trading.accounts;
    v_amount app.money;
    v_fund fund.funds;
    v_fund_currency text;
    v_request jsonb;
    v_prior_id uuid;
    v_invested numeric;
    v_journal bigint;
    v_id uuid;
    v_row api.fund_flows;
begin
    perform auth.require_scope('transfer');
    v_account := trading.authorized_account(p_from_account_id);
    v_amount := trading.positive_amount(p_amount, 'p_amount');
    if p_fund_id is null then
        perform app.raise_error('22023', 'p_fund_id must not be null', 'Pass the id of a fund (api.funds).');
    elsif pg_catalog.length(p_idempotency_key) not between 1 and 200 then
        perform app.raise_error('22023', 'p_idempotency_key must be 1 to 200 characters long',
            'Use a UUID or another short unique string.');
    end if;
    -- The investor's row first (against a concurrent api.delete_account, which cancels pending requests),
    -- then the fund row, then the account.
    perform auth.hold_active_user(v_account.user_id);
    select * into v_fund from fund.funds as f where f.id = p_fund_id for update;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('fund %s does not exist', p_fund_id), 'See api.funds.');
    end if;
    -- authorized_account read the row unlocked: read it again, locked, for the checks below.
    select * into v_account from trading.accounts as a where a.id = p_from_account_id for update;

    v_request := pg_catalog.jsonb_build_object('kind', 'subscription', 'account', p_from_account_id, 'amount', v_amount);
    v_prior_id := fund.prior_flow(p_fund_id, v_account.user_id, p_idempotency_key, v_request);
    if v_prior_id is not null then
        select * into v_row from api.fund_flows as l where l.id = v_prior_id;
        return v_row;
    end if;

    select a.base_currency into v_fund_currency from trading.accounts as a where a.id = v_fund.account_id;
    if v_account.kind <> 'live' then
        perform app.raise_error('TB047', pg_catalog.format('account %s is a %s account; funds take cash from live accounts',
            p_from_account_id, v_account.kind), 'Subscribe from a live account.');
    elsif v_account.base_currency <> v_fund_currency then
        perform app.raise_error('TB044', pg_catalog.format('account %s holds %s, fund %s %s',
            p_from_account_id, v_account.base_currency, p_fund_id, v_fund_currency), null);
    elsif v_account.status <> 'active' then
        perform app.raise_error('TB043', pg_catalog.format('account %s is %s', p_from_account_id, v_account.status), null);
    elsif v_fund.status <> 'active' then
        perform app.raise_error('22023', pg_catalog.format('fund %s is %s and takes no subscriptions', p_fund_id,
            v_fund.status), 'Subscribe to an active fund (api.funds).');
    elsif not exists (
        select from auth.users as u where u.id = v_account.user_id and u.kyc_status = 'verified'
    ) then
        perform app.raise_error('42501', pg_catalog.format('investor %s is not KYC-verified', v_account.user_id),
            'An administrator records KYC decisions (api.set_kyc_status).');
    end if;

    select coalesce((
        select h.net_invested from fund.holdings as h where h.fund_id = p_fund_id and h.user_id = v_account.user_id
    ), 0) + coalesce((
        select pg_catalog.sum(l.amount) from fund.flows as l
        where l.fund_id = p_fund_id and l.user_id = v_account.user_id and l.status = 'pending'
            and l.kind = 'subscription'
    ), 0) into v_invested;
    if greatest(v_invested, 0) + v_amount < v_fund.min_investment then
        perform app.raise_error('22023', pg_catalog.format(
            'fund %s takes at least %s per investor; with %s your net investment would be %s',
            p_fund_id, v_fund.min_investment, v_amount, greatest(v_invested, 0) + v_amount
        ), 'Subscribe a larger amount.');
    elsif greatest(v_invested, 0) + v_amount > v_fund.max_investment then
        perform app.raise_error('22023', pg_catalog.format(
            'fund %s takes at most %s per investor; with %s your net investment would be %s',
            p_fund_id, v_fund.max_investment, v_amount, greatest(v_invested, 0) + v_amount
        ), 'Subscribe a smaller amount.');
    elsif v_fund.max_investors is not null
        and not exists (
            select from fund.holdings as h
            where h.fund_id = p_fund_id and h.user_id = v_account.user_id and h.shares > 0
        )
        and not exists (
            select from fund.flows as l
            where l.fund_id = p_fund_id and l.user_id = v_account.user_id and l.status = 'pending'
                and l.kind = 'subscription'
        )
        and (
            select pg_catalog.count(*) from (
                select h.user_id from fund.holdings as h where h.fund_id = p_fund_id and h.shares > 0
                union
                select l.user_id from fund.flows as l
                where l.fund_id = p_fund_id and l.status = 'pending' and l.kind = 'subscription'
            ) as i
        ) >= v_fund.max_investors then
        perform app.raise_error('22023', pg_catalog.format('fund %s has its %s investors', p_fund_id,
            v_fund.max_investors), 'Wait until an investor leaves.');
    elsif v_account.cash - v_account.reserved_cash < v_amount then
        perform app.raise_error('TB040', pg_catalog.format(
            'account %s has %s available (cash less reserved), %s requested', p_from_account_id,
            v_account.cash - v_account.reserved_cash, v_amount
        ), null);
    end if;

    v_journal := trading.post_journal(
        'fund_subscription',
        array[(p_from_account_id, -v_amount), (fund.subscriptions_account(v_fund_currency), v_amount)]
        ::trading.journal_line [],
        pg_catalog.format('subscription to fund %s requested', p_fund_id)
    );
    insert into fund.flows (fund_id, user_id, account_id, kind, amount, request_journal_id, idempotency_key, request)
    values (p_fund_id, v_account.user_id, p_from_account_id, 'subscription', v_amount, v_journal, p_idempotency_key,
        v_request)
    returning id into v_id;
    select * into v_row from api.fund_flows as l where l.id = v_id;
    return v_row;
end
$$;

comment on function api.subscribe(uuid, uuid, numeric, text) is
'Request a subscription of p_amount from your live account (forward pricing: it deals at the next strike); the cash '
'is held from now. Returns the pending flow; idempotent per (fund, investor, key): TB042 other arguments. 42501 not '
'KYC-verified or another user''s account, P0002 unknown fund or account, 22023 fund not active, outside the fund''s '
'limits or its number of investors, TB047 not a live account, TB044 other currency, TB043 inactive account, TB040 '
'short of cash, TB004 the investor deleted meanwhile.';
