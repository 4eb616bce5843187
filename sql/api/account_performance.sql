-- The performance of one of the acting user's accounts (issue 15 §3): analytics.account_performance for
-- an account the user owns (trading.authorized_account: 42501 for another user's), after the read scope.
-- Every figure is defined once, there (docs/analytics.md "Account performance").
-- depends: analytics/account_performance.sql
create or replace function api.account_performance(
    p_account_id uuid,
    p_window text default 'life',
    p_as_of date default null
)
returns table (
    account_id uuid,
    as_of date,
    period text,
    first_day date,
    last_day date,
    equity numeric,
    return_day double precision,
    return_week double precision,
    return_month double precision,
    return_quarter double precision,
    return_year double precision,
    return_life double precision,
    money_weighted_return double precision,
    observations integer,
    volatility double precision,
    sharpe_ratio double precision,
    sortino_ratio double precision,
    max_drawdown double precision,
    current_drawdown double precision,
    trades integer,
    winning_trades integer,
    losing_trades integer,
    win_rate double precision,
    avg_win numeric,
    avg_loss numeric,
    gross_profit numeric,
    gross_loss numeric,
    profit_factor double precision,
    active_positions integer,
    largest_position_symbol text,
    largest_position_value numeric,
    largest_position_weight double precision,
    diversity double precision,
    cash_share double precision,
    benchmark_symbol text,
    benchmark_return double precision,
    alpha double precision,
    beta double precision,
    correlation double precision,
    reason text
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
    perform auth.require_scope('read');
    perform trading.authorized_account(p_account_id);
    return query select * from analytics.account_performance(p_account_id, p_window, p_as_of);
end
$$;

comment on function api.account_performance(uuid, text, date) is
'Performance of one of your accounts as of its last snapshot at or before p_as_of, over p_window (day, week, month, '
'quarter, year, life; default life): returns over every window, volatility, Sharpe, Sortino, drawdowns, trades, '
'win rate, average win and loss, profit factor, holdings, benchmark return, alpha, beta, correlation '
'(analytics.account_performance; docs/analytics.md). 22023 for an unknown window or infinite day, 42501 for '
'another user''s account, P0002 for an unknown account.';
