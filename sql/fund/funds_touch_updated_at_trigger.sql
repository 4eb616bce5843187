-- Only the fund's own attributes bump updated_at: the strike rewrites its NAV per share, shares, accrued fee
-- and last strike day every day, and the snapshots and flows already date those changes (a column list also
-- spares the daily strike of every fund the trigger call, as trading.accounts does for cash).
create or replace trigger funds_touch_updated_at
before update of
name, description, manager_id, fund_type, account_id, fee_account_id, benchmark_id, management_fee_rate,
performance_fee_rate, min_investment, max_investment, max_investors, status, risk_level, crystallization_date
on fund.funds
for each row execute function app.touch_updated_at();

comment on trigger funds_touch_updated_at on fund.funds is
'Keeps updated_at current when an attribute of the fund changes (not on a strike''s NAV, shares or fees).';
