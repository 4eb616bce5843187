-- The statement behind api.snapshot_accounts: each non-archived user account as it stood at the end of
-- the UTC day p_date, whenever it runs (the daily job runs it for yesterday; a replay of last year gives
-- last year's equity, docs/returns.md):
-- - units: today's positions less the fills (filled_at) and position adjustments (created_at) at or after
--   the day's end, so a snapshot taken after later trades still holds the day's units;
-- - prices: per security held, the last price at or before the day's end: the close of the newest bar of
--   any timeframe that ended by then (ts + its length), or the quote when it was observed before the
--   day's end and later than that bar; units of a security without any price count zero; converted into
--   the account's currency at the last FX rate of the day;
-- - cash: the balance_after of the last posting before the day's end, with each fill's settlement counted
--   at the fill's filled_at (a resting order matched later against an earlier bar settles at the matching
--   clock time), so cash and units move together;
-- - net_flow: the day's external flows (deposits, withdrawals, transfers, the initial balance, resets,
--   fund subscriptions and redemptions, FX conversions, adjustments; not fills, fees, dividends, cash in
--   lieu or fund fees), plus the day-end value of the units a reset closed (negative: value that left).
-- All accounts, or only p_account_id (the unit trading.snapshot_accounts sets aside when one account's
-- data fails), in one statement; a rerun replaces the day's row. The day is [p_date 00:00, p_date + 1
-- 00:00) UTC: an observation stamped exactly at midnight belongs to the next day.
-- jit = off: the statement's estimated cost passes jit_above_cost from a few thousand accounts on, and
-- compiling it took 1.1 s of a 1.2 s run over 4,000 accounts (0.1 s without).
create or replace function trading.write_snapshots(p_date date, p_account_id uuid default null)
returns integer
language plpgsql
volatile
set search_path = ''
set jit = off
as $$
declare
    v_start timestamptz := (p_date::timestamp at time zone 'UTC');
    v_end timestamptz := ((p_date + 1)::timestamp at time zone 'UTC');
    -- The day's last instant: FX rates are read at or before it (market.convert).
    v_last timestamptz := v_end - interval '1 microsecond';
    v_month timestamptz := pg_catalog.date_trunc('month', p_date::timestamp) at time zone 'UTC';
    v_count integer;
begin
    insert into trading.account_snapshots as s (account_id, snapshot_date, cash, positions_value, equity, net_flow)
    with accounts as (
        select a.id, a.base_currency::text as base_currency
        from trading.accounts as a
        where a.kind <> 'system' and a.status <> 'archived' and (p_account_id is null or a.id = p_account_id)
    ),

    -- Units changed at or after the day's end, to take back off today's positions.
    later as (
        select f.account_id, f.security_id, case f.side when 'buy' then -f.quantity else f.quantity end as quantity
        from trading.fills as f
        where f.filled_at >= v_end and f.account_id in (select a.id from accounts as a)
        union all
        select j.account_id, j.security_id, -j.quantity
        from trading.position_adjustments as j
        where j.created_at >= v_end and j.account_id in (select a.id from accounts as a)
    ),

    held as (
        select u.account_id, u.security_id, pg_catalog.sum(u.quantity) as quantity
        from (
            select p.account_id, p.security_id, p.quantity
            from trading.positions as p
            where p.account_id in (select a.id from accounts as a)
            union all
            select l.account_id, l.security_id, l.quantity from later as l
        ) as u
        group by u.account_id, u.security_id
        having pg_catalog.sum(u.quantity) <> 0
    ),

    -- Units a paper account reset closed during the day: their value leaves the account as a flow.
    reset_units as (
        select j.account_id, j.security_id, pg_catalog.sum(j.quantity) as quantity
        from trading.position_adjustments as j
        where
            j.kind = 'reset' and j.created_at >= v_start and j.created_at < v_end
            and j.account_id in (select a.id from accounts as a)
        group by j.account_id, j.security_id
    ),

    prices as (
        select sec.id as security_id, sec.currency, o.price
        from market.securities as sec
        cross join lateral (
            select b.close as price, b.ends_at as observed_at, 0 as preference
            from (
                values
                ('1m', interval '1 minute'), ('5m', interval '5 minutes'), ('15m', interval '15 minutes'),
                ('1h', interval '1 hour'), ('1d', interval '1 day'), ('1w', interval '7 days'),
                ('1mo', interval '1 month')
            ) as tf (timeframe, length)
            cross join lateral (
                select d.close, ((d.ts at time zone 'UTC') + tf.length) as ends_at
                from market.market_data as d
                where
                    d.security_id = sec.id and d.timeframe = tf.timeframe and d.ts < v_end
                    and (d.ts at time zone 'UTC') + tf.length <= (v_end at time zone 'UTC')
                order by d.ts desc
                limit 1
            ) as b
            union all
            select q.price, (q.quoted_at at time zone 'UTC'), 1
            from market.quotes as q
            where q.security_id = sec.id and q.quoted_at < v_end
            order by observed_at desc, preference
            limit 1
        ) as o
        where sec.id in (select h.security_id from held as h union select r.security_id from reset_units as r)
    ),

    valued as (
        select
            h.account_id,
            pg_catalog.sum(market.convert(h.quantity * x.price, x.currency, a.base_currency, v_last)) as value
        from held as h
        inner join prices as x on h.security_id = x.security_id
        inner join accounts as a on h.account_id = a.id
        group by h.account_id
    ),

    reset_valued as (
        select
            r.account_id,
            pg_catalog.sum(market.convert(r.quantity * x.price, x.currency, a.base_currency, v_last)) as value
        from reset_units as r
        inner join prices as x on r.security_id = x.security_id
        inner join accounts as a on r.account_id = a.id
        group by r.account_id
    ),

    -- Fill settlements on the other side of the day's end from their fill.
    settled_late as (
        select t.account_id, pg_catalog.sum(t.amount) as amount
        from trading.transactions as t
        inner join trading.fills as f on t.fill_id = f.id and t.account_id = f.account_id
        where
            t.posted_at >= v_end and t.fill_id is not null and f.filled_at < v_end
            and (p_account_id is null or t.account_id = p_account_id)
        group by t.account_id
    ),

    settled_early as (
        select t.account_id, pg_catalog.sum(t.amount) as amount
        from trading.fills as f
        inner join trading.transactions as t on f.journal_id = t.journal_id and f.account_id = t.account_id
        where
            f.filled_at >= v_end and t.posted_at < v_end
            and (p_account_id is null or f.account_id = p_account_id)
        group by t.account_id
    ),

    flows as (
        select t.account_id, pg_catalog.sum(t.amount) as amount
        from trading.transactions as t
        where
            t.posted_at >= v_start and t.posted_at < v_end
            and trading.is_external_flow(t.kind)
            and t.account_id in (select a.id from accounts as a)
        group by t.account_id
    ),

    -- Materialized: cash is read twice below (cash, equity), its lookups made once.
    figures as materialized (
        select
            a.id as account_id,
            -- The day's month first (one child to search, as api.account_balance does), then earlier months.
            coalesce((
                select t.balance_after
                from trading.transactions as t
                where t.account_id = a.id and t.posted_at >= v_month and t.posted_at < v_end
                order by t.posted_at desc, t.id desc
                limit 1
            ), (
                select t.balance_after
                from trading.transactions as t
                where t.account_id = a.id and t.posted_at < v_month
                order by t.posted_at desc, t.id desc
                limit 1
            ), 0) + coalesce(sl.amount, 0) - coalesce(se.amount, 0) as cash,
            coalesce(pg_catalog.round(v.value, 8), 0) as positions_value,
            coalesce(fl.amount, 0) + coalesce(pg_catalog.round(rv.value, 8), 0) as net_flow
        from accounts as a
        left join valued as v on a.id = v.account_id
        left join reset_valued as rv on a.id = rv.account_id
        left join settled_late as sl on a.id = sl.account_id
        left join settled_early as se on a.id = se.account_id
        left join flows as fl on a.id = fl.account_id
    )

    select fi.account_id, p_date, fi.cash, fi.positions_value, fi.cash + fi.positions_value, fi.net_flow
    from figures as fi
    on conflict (account_id, snapshot_date) do update
        set
            cash = excluded.cash,
            positions_value = excluded.positions_value,
            equity = excluded.equity,
            net_flow = excluded.net_flow,
            taken_at = excluded.taken_at;
    get diagnostics v_count = row_count;
    return v_count;
end
$$;

comment on function trading.write_snapshots(date, uuid) is
'Writes (or replaces) the p_date snapshot of every non-archived user account, or of p_account_id only, as the '
'account stood at the end of that UTC day: the units it held then at the last price at or before then (bar '
'close or quote) in the account currency, its cash then (fills settled at their filled_at), equity, and the '
'day''s net external flow (docs/returns.md). Returns the number of rows written.';
