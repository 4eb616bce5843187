-- Closes the open session and records its results: orders placed since it started (and how many
-- filled), realized P&L of the lot closures since then, and the largest fall of cumulative realized
-- P&L from its running peak (the peak starts at 0, the session's start).
-- depends: api/trading_sessions.sql
-- It returned a table's row type before (issue 14 §5); create or replace cannot change that, so the old
-- one is dropped, once (grants.sql grants it again).
do $$
begin
    if exists (
        select from pg_catalog.pg_proc as p
        where
            p.oid = pg_catalog.to_regprocedure('api.end_trading_session(uuid)')
            and p.prorettype <> 'api.trading_sessions'::pg_catalog.regtype
    ) then
        drop function api.end_trading_session(uuid);
    end if;
end
$$;
create or replace function api.end_trading_session(p_account_id uuid)
returns api.trading_sessions
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_account trading.accounts;
    v_session trading.trading_sessions;
    v_ended_at timestamptz;
    v_orders integer;
    v_filled integer;
    v_pnl numeric;
    v_drawdown numeric;
    v_result api.trading_sessions;
begin
    perform auth.require_scope('trade');
    v_account := trading.authorized_account(p_account_id);
    select * into v_session
    from trading.trading_sessions as s
    where s.account_id = p_account_id and s.ended_at is null
    for update;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('account %s has no open trading session', p_account_id),
            'Start one with api.start_trading_session.');
    end if;
    v_ended_at := greatest(pg_catalog.now(), v_session.started_at);

    select pg_catalog.count(*), pg_catalog.count(*) filter (where o.status = 'filled')
    into v_orders, v_filled
    from trading.orders as o
    where o.account_id = p_account_id and o.created_at between v_session.started_at and v_ended_at;

    select coalesce(pg_catalog.sum(c.realized_pnl), 0), coalesce(pg_catalog.max(c.peak - c.cumulative), 0)
    into v_pnl, v_drawdown
    from (
        select
            r.realized_pnl,
            r.cumulative,
            greatest(0, pg_catalog.max(r.cumulative) over (order by r.closed_at, r.id)) as peak
        from (
            select
                lc.id,
                lc.closed_at,
                lc.realized_pnl,
                pg_catalog.sum(lc.realized_pnl) over (order by lc.closed_at, lc.id) as cumulative
            from trading.lot_closures as lc
            where lc.account_id = p_account_id and lc.closed_at between v_session.started_at and v_ended_at
        ) as r
    ) as c;

    update trading.trading_sessions as s
    set
        ended_at = v_ended_at,
        cash_at_end = v_account.cash,
        orders_count = v_orders,
        filled_orders = v_filled,
        realized_pnl = v_pnl,
        max_drawdown = v_drawdown
    where s.id = v_session.id;
    -- The row of api.trading_sessions, read by column name: not the table's storage type (DESIGN §4).
    select s.* into strict v_result from api.trading_sessions as s where s.id = v_session.id;
    return v_result;
end
$$;

comment on function api.end_trading_session(uuid) is
'Close the open trading session of one of your accounts and return it with orders, filled orders, realized P&L '
'and max drawdown of realized P&L; P0002 when none is open or for an unknown account, 42501 another user''s, '
'22023 a null account id.';
