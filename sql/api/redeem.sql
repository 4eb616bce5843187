-- An investor asks to redeem shares (issue 17, forward pricing): the request deals at the next NAV strike
-- into the investor's live account, net of the performance fee its shares have accrued (their lots'
-- fees crystallize for the shares redeemed). Shares already asked for by pending redemptions are not
-- redeemable twice; the fund row is locked first, so concurrent requests see each other. The account
-- paid into is checked as api.subscribe checks the one it takes from: live (TB047), in the fund's currency
-- (TB044) and active (TB043), its status read on the row locked after the fund's (the order of
-- fund.strike), so an account archived meanwhile (api.delete_account) is seen.
-- depends: fund/prior_flow.sql api/fund_flows.sql auth/hold_active_user.sql
create or replace function api.redeem(
    p_fund_id uuid,
    p_to_account_id uuid,
    p_shares numeric,
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
    v_shares numeric;
    v_fund fund.funds;
    v_request jsonb;
    v_prior_id uuid;
    v_free numeric;
    v_id uuid;
    v_row api.fund_flows;
begin
    perform auth.require_scope('transfer');
    v_account := trading.authorized_account(p_to_account_id);
    v_shares := trading.checked_number(p_shares, 'p_shares', 0.0000000001, 100000000000, 10);
    if v_shares = 0 then
        perform app.raise_error('22023', 'p_shares must be above 0', null);
    elsif p_fund_id is null then
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
    -- authorized_account read the row unlocked: read it again, share-locked, for the checks below.
    select * into v_account from trading.accounts as a where a.id = p_to_account_id for share;

    v_request := pg_catalog.jsonb_build_object('kind', 'redemption', 'account', p_to_account_id, 'shares', v_shares);
    v_prior_id := fund.prior_flow(p_fund_id, v_account.user_id, p_idempotency_key, v_request);
    if v_prior_id is not null then
        select * into v_row from api.fund_flows as l where l.id = v_prior_id;
        return v_row;
    end if;

    if v_account.kind <> 'live' then
        perform app.raise_error('TB047', pg_catalog.format('account %s is a %s account; funds pay out to live accounts',
            p_to_account_id, v_account.kind), 'Redeem into a live account.');
    elsif v_account.base_currency <> (select a.base_currency from trading.accounts as a where a.id = v_fund.account_id) then
        perform app.raise_error('TB044', pg_catalog.format('account %s holds %s, fund %s does not',
            p_to_account_id, v_account.base_currency, p_fund_id), null);
    elsif v_account.status <> 'active' then
        perform app.raise_error('TB043', pg_catalog.format('account %s is %s', p_to_account_id, v_account.status),
            null);
    end if;
    select coalesce((
        select h.shares from fund.holdings as h where h.fund_id = p_fund_id and h.user_id = v_account.user_id
    ), 0) - coalesce((
        select pg_catalog.sum(l.shares) from fund.flows as l
        where l.fund_id = p_fund_id and l.user_id = v_account.user_id and l.status = 'pending'
            and l.kind = 'redemption'
    ), 0) into v_free;
    if v_shares > v_free then
        perform app.raise_error('22023', pg_catalog.format(
            'investor %s may redeem %s shares of fund %s (held, less pending redemptions), not %s',
            v_account.user_id, v_free, p_fund_id, v_shares
        ), 'See api.fund_holdings and your pending flows (api.fund_flows).');
    end if;

    insert into fund.flows (fund_id, user_id, account_id, kind, shares, idempotency_key, request)
    values (p_fund_id, v_account.user_id, p_to_account_id, 'redemption', v_shares, p_idempotency_key, v_request)
    returning id into v_id;
    select * into v_row from api.fund_flows as l where l.id = v_id;
    return v_row;
end
$$;

comment on function api.redeem(uuid, uuid, numeric, text) is
'Request the redemption of p_shares into your live account (forward pricing: it deals at the next strike, net of '
'the performance fee its lots accrued). Returns the pending flow; idempotent per (fund, investor, key): TB042 other '
'arguments. 22023 more shares than held less pending redemptions, P0002 unknown fund or account, 42501 another '
'user''s account, TB047 not a live account, TB044 other currency, TB043 inactive account, TB004 the investor '
'deleted meanwhile.';
