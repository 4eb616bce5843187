-- The daily strike of the quiet funds in a few statements (the strike_funds job; issue 17's cost limit): every
-- active or paused fund struck before, not yet for p_as_of's UTC day, with no request to deal (one pending
-- and requested before p_as_of: fund.strike deals no later one), no management fee to pay that day (not its
-- month's last day, nothing unpaid from an earlier month) and no crystallization due, is struck exactly as
-- fund.strike would (the same valuation, management fee, NAV, NAV per share, lots' fees and snapshot, its
-- statistics from the previous snapshot's accumulators), set-based instead of one fund at a time. Funds
-- with a holding that has no price are left out (fund.strike reports them), and so are funds without
-- their previous snapshot. The rest (first strikes, dealing, payments, crystallizations)
-- go through fund.strike. Locks the funds, then their accounts (as fund.strike: fund row first); a fund's
-- pending requests are read once its row is held (a request committed while this waited is dealt by
-- fund.strike). Returns how many funds it struck.
-- depends: fund/strike.sql fund/lot_performance_fee.sql fund/management_fee_due.sql fund/holding_value.sql
create or replace function fund.strike_quiet(p_as_of timestamptz)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_date date := (p_as_of at time zone 'UTC')::date;
    v_funds uuid [];
    v_struck bigint;
begin
    if p_as_of is null or not pg_catalog.isfinite(p_as_of) then
        perform app.raise_error('22023', 'p_as_of must be a point in time', null);
    end if;
    -- The funds with nothing to pay or crystallize, locked in id order (the job strikes the others next, in
    -- this transaction); then, among them, those with no request to deal, read only now that their rows are
    -- held: a request committed while this waited for a row (api.subscribe and api.redeem lock it) only
    -- locked that row, so the locking statement would have kept its earlier reading, and a fund with one is
    -- left to fund.strike, which deals it. Then the quiet funds' accounts, in id order.
    select pg_catalog.array_agg(q.id order by q.id) into v_funds
    from (
        select f.id
        from fund.funds as f
        where
            f.status in ('active', 'paused')
            and f.last_strike_date < v_date
            and (v_date < f.crystallization_date or f.shares_outstanding = 0)
            and not fund.management_fee_due(v_date, f.management_fee_unpaid_since)
        order by f.id
        for update of f
    ) as q;
    select pg_catalog.array_agg(q.id order by q.id) into v_funds
    from pg_catalog.unnest(v_funds) as q (id)
    where not exists (
        select from fund.flows as l
        where l.fund_id = q.id and l.status = 'pending' and l.requested_at < p_as_of
    );
    if v_funds is null then
        return 0;
    end if;
    perform from trading.accounts as a
    where a.id in (
        select f.account_id from pg_catalog.unnest(v_funds) as q (id) inner join fund.funds as f on q.id = f.id
    )
    order by a.id
    for update;

    with
    valued as (
        select
            f.id as fund_id, a.cash, f.shares_outstanding as shares, f.nav_per_share as previous_nps,
            f.performance_fee_rate, f.accrued_management_fee as accrued_before, coalesce(v.value, 0) as positions,
            s.return_count, s.return_sum, s.return_sxx, s.return_min, s.return_max, s.log_wealth, s.log_peak,
            s.log_floor, s.log_drawdown,
            pg_catalog.round(
                greatest(a.cash + coalesce(v.value, 0) - f.accrued_management_fee, 0) * f.management_fee_rate
                * (v_date - f.last_strike_date) / 365, 8
            ) as fee
        -- The quiet funds as a set to join (a filter = any(v_funds) would be a linear search of the array for
        -- every row the generic plan looks at).
        from pg_catalog.unnest(v_funds) as q (id)
        inner join fund.funds as f on q.id = f.id
        inner join trading.accounts as a on f.account_id = a.id
        -- The previous snapshot's return accumulators (a fund without it is left to fund.strike).
        inner join fund.performance_snapshots as s on f.id = s.fund_id and f.last_strike_date = s.snapshot_date
        -- The positions of every active or paused fund valued at once: one join and one grouping (as the
        -- SELECT this is measured against), not a lookup per fund. Not filtered by v_funds: the generic plan
        -- PL/pgSQL settles on cannot size that array and walks the funds one by one; the few funds that are
        -- not quiet are valued here for nothing (the join below drops them) and again by fund.strike.
        -- Each position costs two hash probes, as in the SELECT: one into the fund accounts with their
        -- currency (joined first, offset 0 keeps them one table of 1,000 rows) and one into the securities
        -- with their currency and price (one price lookup per security).
        left join (
            select
                p.account_id,
                pg_catalog.sum(
                    fund.holding_value(p.quantity, px.price, px.currency, h.base_currency, p_as_of)
                ) as value,
                pg_catalog.count(*) filter (where px.price is null) as unpriced
            from (
                select h.account_id, g.base_currency
                from fund.funds as h
                inner join trading.accounts as g on h.account_id = g.id
                where h.status in ('active', 'paused')
                offset 0
            ) as h
            inner join trading.positions as p on h.account_id = p.account_id
            left join lateral (
                select c.currency, y.price
                from market.securities as c
                left join lateral market.price_at(c.id, p_as_of) as y on true
                where c.id = p.security_id
            ) as px on true
            where p.quantity <> 0
            group by p.account_id
        ) as v on a.id = v.account_id
        -- A fund with an unpriced holding is left to fund.strike, which reports it.
        where coalesce(v.unpriced, 0) = 0
    ),
    figures as (
        select
            x.*,
            pg_catalog.clock_timestamp() as struck_at,
            x.accrued_before + x.fee as accrued,
            x.cash + x.positions - x.accrued_before - x.fee as nav,
            case
                when x.shares = 0 then 1
                else greatest(
                    pg_catalog.round((x.cash + x.positions - x.accrued_before - x.fee) / x.shares, 10), 0.0000000001
                )
            end as nps
        from valued as x
    ),
    snapshots as (
        insert into fund.performance_snapshots (
            fund_id, snapshot_date, as_of, struck_at, cash, positions_value, accrued_management_fee, management_fee,
            accrued_performance_fee, nav, shares_outstanding, nav_per_share, daily_return, cumulative_return,
            volatility, sharpe_ratio, max_drawdown, return_count, return_sum, return_sxx, return_min, return_max,
            log_wealth, log_peak, log_floor, log_drawdown
        )
        select
            x.fund_id, v_date, p_as_of, x.struck_at, x.cash, x.positions, x.accrued, x.fee, coalesce(p.accrued, 0),
            x.nav, x.shares, x.nps, (x.nps / x.previous_nps - 1)::double precision, (x.nps - 1)::double precision,
            m.volatility, m.sharpe_ratio, m.max_drawdown, m.return_count, m.return_sum, m.return_sxx, m.return_min,
            m.return_max, m.log_wealth, m.log_peak, m.log_floor, m.log_drawdown
        from figures as x
        -- The open lots' accrued fees at this NAV per share: one index probe per fund, not a join with an
        -- aggregate whose size the plan cannot know.
        left join lateral (
            select pg_catalog.sum(
                fund.lot_performance_fee(x.nps, l.high_water_mark, l.shares, x.performance_fee_rate)
            ) as accrued
            from fund.lots as l
            where l.fund_id = x.fund_id and l.shares > 0
        ) as p on true
        cross join lateral fund.next_return_stats(
            x.return_count, x.return_sum, x.return_sxx, x.return_min, x.return_max, x.log_wealth, x.log_peak,
            x.log_floor, x.log_drawdown, (x.nps / x.previous_nps - 1)::double precision
        ) as m
    ),
    funds as (
        update fund.funds as f
        set accrued_management_fee = x.accrued,
            management_fee_unpaid_since = case
                when x.accrued > 0 then coalesce(f.management_fee_unpaid_since, v_date)
            end,
            nav_per_share = case when x.shares = 0 then 1 else x.nps end, last_strike_date = v_date
        from figures as x
        where f.id = x.fund_id
        returning f.id
    )
    select pg_catalog.count(*) into v_struck from funds;
    return v_struck;
end
$$;

comment on function fund.strike_quiet(timestamptz) is
'Strike, set-based and exactly as fund.strike would, every active or paused fund struck before that has nothing to '
'deal, pay or crystallize on p_as_of''s UTC day (and a price for every holding); returns how many. The strike_funds '
'job runs it first and fund.strike for the rest.';
