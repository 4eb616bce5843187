-- A lot's accrued performance fee at a NAV per share (issue 17, docs/funds.md "Fees, worked"): (NAV per share
-- - its high-water mark) x its shares x the fund's performance fee rate, to 8 decimals, when positive, else 0.
-- Not stored (migration 0861), so the daily strike does not rewrite every open lot: the strike takes it at
-- the NAV per share it strikes, and api.fund_lots at the fund's last (fund.funds.nav_per_share, which only a
-- strike sets) with this formula written out, since apps execute no function outside api and app. An
-- inlinable SQL function (no SET clause, one expression), so the strike's statements plan it in place.
create or replace function fund.lot_performance_fee(
    p_nav_per_share numeric,
    p_high_water_mark numeric,
    p_shares numeric,
    p_rate numeric
)
returns app.money
language sql
immutable
parallel safe
as $$
    select greatest(pg_catalog.round((p_nav_per_share - p_high_water_mark) * p_shares * p_rate, 8), 0)::app.money
$$;

comment on function fund.lot_performance_fee(numeric, numeric, numeric, numeric) is
'A lot''s accrued performance fee: (p_nav_per_share - p_high_water_mark) x p_shares x p_rate, rounded to 8 decimals, '
'when positive, else 0.';
