-- Only the account's own attributes bump updated_at: cash and reserved_cash change with every
-- journal and order, and the postings already date those changes (a column list also spares the
-- trade path the trigger call).
create or replace trigger accounts_touch_updated_at
before update of
user_id, template_id, name, kind, account_type, risk_level, base_currency, initial_balance, status,
is_default, system_purpose, cost_basis_method, commission_per_order, commission_rate, slippage_bps,
allow_short, max_volume_participation, benchmark_id
on trading.accounts
for each row execute function app.touch_updated_at();

comment on trigger accounts_touch_updated_at on trading.accounts is
'Keeps updated_at current when an attribute of the account changes (not on cash movements).';
