-- The seeds' "top performing investments" (seed 003, Common queries 2) for every user at once: each
-- user's ten open positions with the best unrealized return. Built on analytics.positions_valued, so a
-- holding is valued one way everywhere.
-- depends: analytics/positions_valued.sql
create or replace view analytics.top_holdings as
select
    r.user_id,
    r.holding_rank,
    r.account_id,
    r.account_kind,
    r.currency,
    r.symbol,
    r.asset_type,
    r.quantity,
    r.cost_basis,
    r.market_value,
    r.unrealized_pnl,
    r.unrealized_return_pct
from (
    select
        v.*,
        pg_catalog.row_number() over (
            partition by v.user_id
            order by v.unrealized_return_pct desc nulls last, v.unrealized_pnl desc nulls last, v.symbol asc, v.account_id asc
        ) as holding_rank
    from analytics.positions_valued as v
) as r
where r.holding_rank <= 10;

comment on view analytics.top_holdings is
'Each user''s ten best open positions by unrealized return (the seeds'' top performing investments): rank 1 is '
'the highest unrealized_return_pct, ties by unrealized P&L, symbol, account; unpriced positions rank last.';
comment on column analytics.top_holdings.holding_rank is 'Rank within the user (1 to 10), best unrealized return first.';
