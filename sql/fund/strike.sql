-- The NAV strike of one fund for one UTC day (issue 17, docs/funds.md), in the caller's transaction:
-- 1. value the fund account's positions at the last price at or before p_as_of (the quote when it was
--    observed by then, else the newest daily bar's close by then; P0002 when a held security has none);
-- 2. accrue the management fee for the days since the last strike, ACT/365 on the NAV net of the fees
--    already accrued (cash + positions - accrued, before today's);
-- 3. NAV = cash + positions - accrued management fee; NAV per share = NAV / shares (1 when none);
-- 4. the open lots' accrued performance fees: (NAV per share - its high-water mark) x shares x rate, if positive
--    (fund.lot_performance_fee; not stored: readers derive it from the NAV per share this strike leaves);
-- 5. the snapshot (the NAV history), then the management fee paid when the month ends, then the yearly
--    crystallization on or after the fund's crystallization date;
-- 6. the pending subscriptions, then the pending redemptions, in request order, at that NAV per share: those
--    requested before p_as_of only (forward pricing: a request never deals at prices known when it was made;
--    a later one waits for the next strike). A subscription is refused, its cash returned and its investor
--    notified, when the fund is no longer active, the investor is no longer KYC-verified (auth.users, checked
--    again here: api.set_kyc_status leaves pending requests as they are) or the amount buys no share.
-- A second strike of the same fund and day returns the first one's figures and changes nothing; a day
-- before the last strike is refused. The fund row is locked first, then every account the strike may
-- post to in id order (so concurrent strikes, subscriptions and trades never deadlock).
-- Dealing keeps NAV per share: a subscription adds amount and amount / price shares, a redemption takes
-- shares x price (its fee to the manager, the rest to the investor) and the shares; the fee shares are
-- among the shares redeemed. Crystallizing pays the fee from the fund and cancels the lot's shares worth it.
-- depends: fund/lock_accounts.sql fund/return_subscription.sql fund/management_fee_due.sql
-- depends: fund/pay_management_fee.sql fund/subscriptions_account.sql fund/next_return_stats.sql
-- depends: fund/lot_performance_fee.sql fund/holding_value.sql
create or replace function fund.strike(p_fund_id uuid, p_as_of timestamptz)
returns api.fund_nav
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_fund fund.funds;
    v_account trading.accounts;
    v_date date := (p_as_of at time zone 'UTC')::date;
    v_snapshot fund.performance_snapshots;
    v_struck_at timestamptz;
    v_positions numeric;
    v_missing text;
    v_days integer;
    v_fee numeric;
    v_accrued numeric;
    v_nav numeric;
    v_nps numeric;
    v_previous_nps numeric;
    v_shares numeric;
    v_perf_accrued numeric;
    v_previous fund.performance_snapshots;
    v_return double precision;
    v_stats record;
    v_cash numeric;
    v_journal bigint;
    v_total numeric;
    v_flow fund.flows;
    v_lot fund.lots;
    v_take numeric;
    v_left numeric;
    v_gross numeric;
    v_lot_fee numeric;
    v_redemption_fee numeric;
    v_pending_account uuid;
    v_dealt integer := 0;
    v_pending integer := 0;
    v_blocked text;
    v_reason text;
    v_kyc text;
begin
    if p_fund_id is null then
        perform app.raise_error('22023', 'p_fund_id must not be null', 'Pass the id of a fund (api.funds).');
    elsif p_as_of is null or not pg_catalog.isfinite(p_as_of) then
        perform app.raise_error('22023', 'p_as_of must be a point in time', null);
    end if;
    select * into v_fund from fund.funds as f where f.id = p_fund_id for update;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('fund %s does not exist', p_fund_id), 'See api.funds.');
    end if;
    select * into v_snapshot
    from fund.performance_snapshots as s
    where s.fund_id = p_fund_id and s.snapshot_date = v_date;
    if found then
        return row(
            p_fund_id, v_date, v_snapshot.cash, v_snapshot.positions_value,
            v_snapshot.cash + v_snapshot.positions_value, v_snapshot.accrued_management_fee,
            v_snapshot.accrued_performance_fee, v_snapshot.nav, v_snapshot.shares_outstanding,
            v_snapshot.nav_per_share, 0,
            (select pg_catalog.count(*)::integer from fund.flows as l where l.fund_id = p_fund_id and l.status = 'pending')
        )::api.fund_nav;
    end if;
    if v_fund.status = 'closed' then
        perform app.raise_error('22023', pg_catalog.format('fund %s is closed', p_fund_id), 'Closed funds are not struck.');
    elsif v_fund.last_strike_date > v_date then
        perform app.raise_error('22023', pg_catalog.format(
            'fund %s was struck for %s already; %s lies before it', p_fund_id, v_fund.last_strike_date, v_date
        ), 'Strike days in order.');
    end if;

    perform fund.lock_accounts(v_fund);
    select * into v_account from trading.accounts as a where a.id = v_fund.account_id;
    v_struck_at := pg_catalog.clock_timestamp();

    -- 1. Positions at the last price at or before p_as_of.
    select
        coalesce(pg_catalog.sum(
            fund.holding_value(p.quantity, px.price, s.currency, v_account.base_currency, p_as_of)
        ), 0),
        pg_catalog.string_agg(s.symbol, ', ' order by s.symbol) filter (where px.price is null)
    into v_positions, v_missing
    from trading.positions as p
    inner join market.securities as s on p.security_id = s.id
    left join lateral market.price_at(p.security_id, p_as_of) as px on true
    where p.account_id = v_account.id and p.quantity <> 0;
    if v_missing is not null then
        perform app.raise_error('P0002', pg_catalog.format(
            'fund %s holds %s without a price at or before %s', p_fund_id, v_missing, p_as_of
        ), 'Record a price (api.record_price) or import bars first.');
    end if;

    -- 2-3. The day's management fee on the NAV net of what has accrued, then NAV and NAV per share.
    v_days := coalesce(v_date - v_fund.last_strike_date, 0);
    v_fee := pg_catalog.round(
        greatest(v_account.cash + v_positions - v_fund.accrued_management_fee, 0) * v_fund.management_fee_rate
        * v_days / 365, 8
    );
    v_accrued := v_fund.accrued_management_fee + v_fee;
    v_nav := v_account.cash + v_positions - v_accrued;
    v_shares := v_fund.shares_outstanding;
    v_nps := case
        when v_shares = 0 then 1
        else greatest(pg_catalog.round(v_nav / v_shares, 10), 0.0000000001)
    end;

    -- 4. The open lots' accrued performance fees at this NAV per share.
    select coalesce(pg_catalog.sum(
        fund.lot_performance_fee(v_nps, l.high_water_mark, l.shares, v_fund.performance_fee_rate)
    ), 0) into v_perf_accrued
    from fund.lots as l
    where l.fund_id = p_fund_id and l.shares > 0;

    -- 5. The snapshot: per-share returns, so flows do not count as performance. Volatility, Sharpe and max
    -- drawdown over all the fund's daily returns come from the previous snapshot's running accumulators
    -- (fund.next_return_stats: what analytics.return_metrics gives over the same returns, in O(1)). The
    -- first strike has no return, and neither has statistics.
    v_previous_nps := v_fund.nav_per_share;
    v_return := case when v_fund.last_strike_date is not null then (v_nps / v_previous_nps - 1)::double precision end;
    select * into v_previous
    from fund.performance_snapshots as s
    where s.fund_id = p_fund_id and s.snapshot_date < v_date
    order by s.snapshot_date desc
    limit 1;
    select * into v_stats
    from fund.next_return_stats(
        v_previous.return_count, v_previous.return_sum, v_previous.return_sxx, v_previous.return_min,
        v_previous.return_max, v_previous.log_wealth, v_previous.log_peak, v_previous.log_floor,
        v_previous.log_drawdown, v_return
    );
    insert into fund.performance_snapshots (
        fund_id, snapshot_date, as_of, struck_at, cash, positions_value, accrued_management_fee, management_fee,
        accrued_performance_fee, nav, shares_outstanding, nav_per_share, daily_return, cumulative_return,
        volatility, sharpe_ratio, max_drawdown, return_count, return_sum, return_sxx, return_min, return_max,
        log_wealth, log_peak, log_floor, log_drawdown
    ) values (
        p_fund_id, v_date, p_as_of, v_struck_at, v_account.cash, v_positions, v_accrued, v_fee, v_perf_accrued,
        v_nav, v_shares, v_nps, v_return, (v_nps - 1)::double precision,
        v_stats.volatility, v_stats.sharpe_ratio, v_stats.max_drawdown, v_stats.return_count, v_stats.return_sum,
        v_stats.return_sxx, v_stats.return_min, v_stats.return_max, v_stats.log_wealth, v_stats.log_peak,
        v_stats.log_floor, v_stats.log_drawdown
    );
    v_cash := v_account.cash - v_account.reserved_cash;

    -- The management fee is paid when it is due (fund.management_fee_due: the month's last strike day, or
    -- the first strike of a later month when the month end was not struck); when the fund's free cash does
    -- not cover it, it stays accrued. The day's accrual is on the snapshot; a payment is one
    -- fund.fee_accruals row.
    if v_accrued > 0 and fund.management_fee_due(v_date, v_fund.management_fee_unpaid_since) then
        if v_cash >= v_accrued then
            perform fund.pay_management_fee(v_fund, v_accrued, v_date,
                pg_catalog.format('management fee of fund %s', p_fund_id), v_struck_at);
            v_cash := v_cash - v_accrued;
            v_accrued := 0;
        else
            perform notify.publish(v_fund.manager_id, 'system', 'warning', 'Management fee not paid',
                pg_catalog.format('Fund %s has %s free cash; the management fee of %s stays accrued.',
                    v_fund.name, v_cash, v_accrued),
                pg_catalog.jsonb_build_object('event', 'fund_fee_unpaid', 'fund_id', p_fund_id, 'accrued', v_accrued), false);
        end if;
    end if;

    -- Yearly crystallization: every lot's accrued fee is paid by cancelling its shares worth the fee, and
    -- every lot above its mark moves its mark up to this NAV per share.
    if v_date >= v_fund.crystallization_date and v_shares > 0 then
        if v_cash >= v_perf_accrued then
            if v_perf_accrued > 0 then
                v_journal := trading.post_journal(
                    'fund_fee', array[(v_fund.account_id, -v_perf_accrued), (v_fund.fee_account_id, v_perf_accrued)]
                    ::trading.journal_line [], pg_catalog.format('performance fee of fund %s', p_fund_id)
                );
                v_cash := v_cash - v_perf_accrued;
                with fees as (
                    select
                        l.id, l.user_id, x.fee, pg_catalog.round(x.fee / v_nps, 10) as shares
                    from fund.lots as l
                    cross join lateral (
                        select fund.lot_performance_fee(
                            v_nps, l.high_water_mark, l.shares, v_fund.performance_fee_rate
                        ) as fee
                    ) as x
                    where l.fund_id = p_fund_id and l.shares > 0 and x.fee > 0
                ),
                paid as (
                    insert into fund.fee_accruals (
                        fund_id, kind, accrual_date, amount, lot_id, shares_cancelled, nav_per_share, journal_id,
                        paid_at
                    )
                    select p_fund_id, 'performance', v_date, c.fee, c.id, c.shares, v_nps, v_journal, v_struck_at
                    from fees as c
                ),
                cancelled as (
                    update fund.lots as l
                    set shares = l.shares - c.shares
                    from fees as c
                    where l.id = c.id
                    returning c.user_id, c.shares
                ),
                per_user as (
                    select c.user_id, pg_catalog.sum(c.shares) as shares from cancelled as c group by c.user_id
                )
                update fund.holdings as h
                set shares = h.shares - u.shares, updated_at = v_struck_at
                from per_user as u
                where h.fund_id = p_fund_id and h.user_id = u.user_id;
                select h.total into v_total
                from (
                    select coalesce(pg_catalog.sum(h.shares), 0) as total
                    from fund.holdings as h where h.fund_id = p_fund_id
                ) as h;
                v_shares := v_total;
            end if;
            update fund.lots as l
            set high_water_mark = v_nps, crystallized_at = v_struck_at
            where l.fund_id = p_fund_id and l.shares > 0 and l.high_water_mark < v_nps;
            while v_fund.crystallization_date <= v_date loop
                v_fund.crystallization_date := (v_fund.crystallization_date + interval '1 year')::date;
            end loop;
            update fund.funds as f set crystallization_date = v_fund.crystallization_date where f.id = p_fund_id;
        else
            perform notify.publish(v_fund.manager_id, 'system', 'warning', 'Performance fee not crystallized',
                pg_catalog.format('Fund %s has %s free cash; performance fees of %s wait for a later strike.',
                    v_fund.name, v_cash, v_perf_accrued),
                pg_catalog.jsonb_build_object('event', 'fund_fee_unpaid', 'fund_id', p_fund_id, 'accrued', v_perf_accrued), false);
        end if;
    end if;

    -- 6a. Pending subscriptions requested before p_as_of, in request order: the held cash moves into the
    -- fund, a lot opens at this price. One that may no longer deal (the fund not active, the investor not
    -- KYC-verified, no share bought) is refused: its cash goes back and the investor is told why.
    v_pending_account := fund.subscriptions_account(v_account.base_currency);
    for v_flow in
        select l.* from fund.flows as l
        where l.fund_id = p_fund_id and l.status = 'pending' and l.kind = 'subscription' and l.requested_at < p_as_of
        order by l.requested_at, l.id
    loop
        v_take := pg_catalog.round(v_flow.amount / v_nps, 10);
        select u.kyc_status into v_kyc from auth.users as u where u.id = v_flow.user_id;
        v_reason := case
            when v_fund.status <> 'active' then pg_catalog.format('the fund is %s', v_fund.status)
            when v_kyc is distinct from 'verified' then pg_catalog.format('the investor is not KYC-verified (%s)', v_kyc)
            when v_take = 0 then 'the amount buys no share at this NAV per share'
        end;
        if v_reason is not null then
            perform fund.return_subscription(v_flow, 'refused', v_reason, v_struck_at);
            perform notify.publish(v_flow.user_id, 'system', 'warning', 'Subscription refused',
                pg_catalog.format('Fund %s refused your subscription of %s at its strike of %s: %s. The cash is back '
                    'in your account.', v_fund.name, v_flow.amount, v_date, v_reason),
                pg_catalog.jsonb_build_object(
                    'event', 'fund_subscription_refused', 'fund_id', p_fund_id, 'flow_id', v_flow.id, 'reason', v_reason
                ), false);
            continue;
        end if;
        v_journal := trading.post_journal(
            'fund_subscription', array[(v_pending_account, -v_flow.amount), (v_fund.account_id, v_flow.amount)]
            ::trading.journal_line [], pg_catalog.format('subscription %s dealt', v_flow.id)
        );
        update fund.flows as l
        set status = 'dealt', shares = v_take, nav_per_share = v_nps, deal_journal_id = v_journal,
            dealt_at = v_struck_at, strike_date = v_date, closed_at = v_struck_at, pending_reason = null
        where l.id = v_flow.id;
        insert into fund.lots (fund_id, user_id, flow_id, original_shares, shares, high_water_mark, opened_at)
        values (p_fund_id, v_flow.user_id, v_flow.id, v_take, v_take, v_nps, v_struck_at);
        insert into fund.holdings as h (fund_id, user_id, shares, net_invested, updated_at)
        values (p_fund_id, v_flow.user_id, v_take, v_flow.amount, v_struck_at)
        on conflict on constraint holdings_pk do update
        set shares = h.shares + excluded.shares, net_invested = h.net_invested + excluded.net_invested,
            updated_at = excluded.updated_at;
        v_shares := v_shares + v_take;
        v_cash := v_cash + v_flow.amount;
        v_dealt := v_dealt + 1;
    end loop;

    -- 6b. Pending redemptions requested before p_as_of, in request order; one the free cash cannot cover
    -- stays pending with a reason, and so do the later ones (they deal in request order), and the manager is
    -- told.
    for v_flow in
        select l.* from fund.flows as l
        where l.fund_id = p_fund_id and l.status = 'pending' and l.kind = 'redemption' and l.requested_at < p_as_of
        order by l.requested_at, l.id
    loop
        if v_blocked is not null then
            update fund.flows as l set pending_reason = v_blocked where l.id = v_flow.id;
            v_pending := v_pending + 1;
            continue;
        end if;
        -- Performance-fee settlements may have left fewer shares than were asked for: what is held redeems.
        select least(v_flow.shares, h.shares) into v_take
        from fund.holdings as h where h.fund_id = p_fund_id and h.user_id = v_flow.user_id;
        v_gross := pg_catalog.round(coalesce(v_take, 0) * v_nps, 8);
        if v_gross = 0 then
            update fund.flows as l
            set status = 'refused', pending_reason = 'the shares are worth nothing at this NAV per share',
                closed_at = v_struck_at
            where l.id = v_flow.id;
            continue;
        elsif v_gross > v_cash then
            v_blocked := pg_catalog.format('the fund''s free cash (%s) does not cover %s', v_cash, v_gross);
            update fund.flows as l set pending_reason = v_blocked where l.id = v_flow.id;
            v_blocked := pg_catalog.format('an earlier redemption waits for cash: %s', v_blocked);
            v_pending := v_pending + 1;
            perform notify.publish(v_fund.manager_id, 'system', 'warning', 'Redemption waits for cash',
                pg_catalog.format('Fund %s cannot pay a redemption of %s from its free cash %s.', v_fund.name, v_gross,
                    v_cash),
                pg_catalog.jsonb_build_object(
                    'event', 'fund_redemption_pending', 'fund_id', p_fund_id, 'flow_id', v_flow.id, 'amount', v_gross
                ), false);
            continue;
        end if;
        -- The redeemed shares leave the investor's lots oldest first; each lot's fee on them crystallizes.
        v_left := v_take;
        v_redemption_fee := 0;
        for v_lot in
            select l.* from fund.lots as l
            where l.fund_id = p_fund_id and l.user_id = v_flow.user_id and l.shares > 0
            order by l.id
        loop
            exit when v_left = 0;
            v_lot.shares := least(v_lot.shares, v_left);
            v_left := v_left - v_lot.shares;
            v_lot_fee := fund.lot_performance_fee(v_nps, v_lot.high_water_mark, v_lot.shares, v_fund.performance_fee_rate);
            update fund.lots as l
            set shares = l.shares - v_lot.shares,
                crystallized_at = case when v_lot_fee > 0 then v_struck_at else l.crystallized_at end
            where l.id = v_lot.id;
            if v_lot_fee > 0 then
                insert into fund.fee_accruals (
                    fund_id, kind, accrual_date, amount, lot_id, flow_id, shares_cancelled, nav_per_share, journal_id,
                    paid_at
                ) values (
                    p_fund_id, 'performance', v_date, v_lot_fee, v_lot.id, v_flow.id,
                    pg_catalog.round(v_lot_fee / v_nps, 10), v_nps, 0, v_struck_at
                );
                v_redemption_fee := v_redemption_fee + v_lot_fee;
            end if;
        end loop;
        if v_gross - v_redemption_fee > 0 then
            v_journal := trading.post_journal(
                'fund_redemption',
                array[(v_fund.account_id, -(v_gross - v_redemption_fee)), (v_flow.account_id, v_gross - v_redemption_fee)]
                ::trading.journal_line [], pg_catalog.format('redemption %s dealt', v_flow.id)
            );
        else
            v_journal := null;
        end if;
        if v_redemption_fee > 0 then
            v_flow.fee_journal_id := trading.post_journal(
                'fund_fee', array[(v_fund.account_id, -v_redemption_fee), (v_fund.fee_account_id, v_redemption_fee)]
                ::trading.journal_line [], pg_catalog.format('performance fee of redemption %s', v_flow.id)
            );
            update fund.fee_accruals as a set journal_id = v_flow.fee_journal_id
            where a.flow_id = v_flow.id and a.journal_id = 0;
        end if;
        update fund.flows as l
        set status = 'dealt', shares = v_take, amount = v_gross - v_redemption_fee, fee = v_redemption_fee,
            nav_per_share = v_nps, deal_journal_id = coalesce(v_journal, v_flow.fee_journal_id),
            fee_journal_id = v_flow.fee_journal_id, dealt_at = v_struck_at, strike_date = v_date,
            closed_at = v_struck_at, pending_reason = null
        where l.id = v_flow.id;
        update fund.holdings as h
        set shares = h.shares - v_take, net_invested = h.net_invested - v_gross, updated_at = v_struck_at
        where h.fund_id = p_fund_id and h.user_id = v_flow.user_id;
        v_shares := v_shares - v_take;
        v_cash := v_cash - v_gross;
        v_dealt := v_dealt + 1;
    end loop;

    update fund.funds as f
    set shares_outstanding = v_shares, accrued_management_fee = v_accrued,
        management_fee_unpaid_since = case
            when v_accrued > 0 then coalesce(v_fund.management_fee_unpaid_since, v_date)
        end,
        nav_per_share = case when v_shares = 0 then 1 else v_nps end, last_strike_date = v_date
    where f.id = p_fund_id;

    return row(
        p_fund_id, v_date, v_account.cash, v_positions, v_account.cash + v_positions,
        v_fund.accrued_management_fee + v_fee, v_perf_accrued, v_nav, v_fund.shares_outstanding, v_nps,
        v_dealt, v_pending
    )::api.fund_nav;
end
$$;

comment on function fund.strike(uuid, timestamptz) is
'Strike fund p_fund_id''s NAV for the UTC day of p_as_of (positions at the last price at or before it), accrue the '
'management fee (ACT/365 on NAV net of accrued fees) and each lot''s performance fee, pay the management fee at month '
'end, crystallize yearly, then deal the flows requested before p_as_of at the NAV per share (forward pricing), '
'refusing a subscription when the fund is not active, its investor not KYC-verified or it buys no share; a '
'second strike of the day changes nothing. '
'22023 for a closed fund or a day before the last strike, P0002 for an unknown fund or a holding without a price.';
