-- Trading statistics per account from its fills and lot closures. A closed trade is a fill that closes
-- lots (a sell closing longs or a buy covering shorts); its P&L is the sum of the realized P&L of the
-- lot closures it made (issue 15 §3). Closures without a fill (a split's cash in lieu) are not trades.
create or replace view analytics.trade_stats as
with
fills as (
    select
        f.account_id,
        pg_catalog.count(*) as fills,
        pg_catalog.count(*) filter (where f.side = 'buy') as buys,
        pg_catalog.count(*) filter (where f.side = 'sell') as sells,
        pg_catalog.count(distinct f.order_id) as orders_filled,
        pg_catalog.count(distinct f.security_id) as securities_traded,
        pg_catalog.sum(f.notional) as traded_notional,
        pg_catalog.sum(f.commission) as commission,
        pg_catalog.min(f.filled_at) as first_fill_at,
        pg_catalog.max(f.filled_at) as last_fill_at
    from trading.fills as f
    group by f.account_id
),

trades as (
    select
        c.account_id,
        c.fill_id,
        pg_catalog.sum(c.realized_pnl) as pnl
    from trading.lot_closures as c
    where c.fill_id is not null
    group by c.account_id, c.fill_id
),

closed as (
    select
        t.account_id,
        pg_catalog.count(*) as closed_trades,
        pg_catalog.count(*) filter (where t.pnl > 0) as winning_trades,
        pg_catalog.count(*) filter (where t.pnl < 0) as losing_trades,
        coalesce(pg_catalog.sum(t.pnl) filter (where t.pnl > 0), 0) as gross_profit,
        coalesce(-pg_catalog.sum(t.pnl) filter (where t.pnl < 0), 0) as gross_loss,
        pg_catalog.sum(t.pnl) as realized_pnl
    from trades as t
    group by t.account_id
)

select
    f.account_id,
    a.user_id,
    a.kind as account_kind,
    a.base_currency as currency,
    f.fills::integer as fills,
    f.buys::integer as buys,
    f.sells::integer as sells,
    f.orders_filled::integer as orders_filled,
    f.securities_traded::integer as securities_traded,
    f.traded_notional,
    f.commission,
    coalesce(c.closed_trades, 0)::integer as closed_trades,
    coalesce(c.winning_trades, 0)::integer as winning_trades,
    coalesce(c.losing_trades, 0)::integer as losing_trades,
    pg_catalog.round(c.winning_trades::numeric / nullif(c.closed_trades, 0) * 100, 4) as win_rate_pct,
    coalesce(c.gross_profit, 0) as gross_profit,
    coalesce(c.gross_loss, 0) as gross_loss,
    pg_catalog.round(c.gross_profit / nullif(c.gross_loss, 0), 8) as profit_factor,
    pg_catalog.round(c.gross_profit / nullif(c.winning_trades, 0), 8) as average_win,
    pg_catalog.round(c.gross_loss / nullif(c.losing_trades, 0), 8) as average_loss,
    coalesce(c.realized_pnl, 0) as realized_pnl,
    f.first_fill_at,
    f.last_fill_at
from fills as f
inner join trading.accounts as a on f.account_id = a.id
left join closed as c on f.account_id = c.account_id;

comment on view analytics.trade_stats is
'Per account that has fills: fills, buys, sells, orders filled, securities traded, traded notional and '
'commission (account currency), closed trades (a fill that closes lots; its P&L the sum of its lot closures), '
'winning and losing trades, win rate, gross profit and loss, profit factor (gross profit / gross loss, NULL '
'without losses), average win and loss, realized P&L of closed trades, first and last fill.';
comment on column analytics.trade_stats.currency is 'The account''s base currency: every amount is in it.';
comment on column analytics.trade_stats.closed_trades is
'Fills that closed lots (lot closures with a fill); a trade with zero P&L is neither a win nor a loss.';
comment on column analytics.trade_stats.win_rate_pct is
'winning_trades / closed_trades x 100 (4 decimals); NULL without closed trades.';
comment on column analytics.trade_stats.profit_factor is 'gross_profit / gross_loss; NULL without losing trades.';
comment on column analytics.trade_stats.average_loss is 'gross_loss / losing_trades, a positive amount; NULL without losses.';
