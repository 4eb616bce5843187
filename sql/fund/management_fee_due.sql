-- When a fund's accrued management fee is paid (issue 17, docs/funds.md "Fees, worked"): at the strike of the
-- month's last day, or at the first strike of a later month when the month end was not struck (its oldest
-- unpaid day, p_unpaid_since, lies in an earlier month). fund.strike pays then; fund.strike_quiet leaves such
-- funds to it. An inlinable SQL function (no SET clause, one expression), planned in place in both: date
-- arithmetic only, since date_trunc would take the date as a timestamptz (stable) and stop the inlining.
create or replace function fund.management_fee_due(p_date date, p_unpaid_since date)
returns boolean
language sql
immutable
parallel safe
as $$
    select extract(day from p_date + 1) = 1
        or coalesce(p_unpaid_since <= p_date - extract(day from p_date)::integer, false)
$$;

comment on function fund.management_fee_due(date, date) is
'Whether the management fee accrued since p_unpaid_since (null: nothing accrued before) is paid at the strike of '
'p_date: the month''s last day, or any day of a later month than p_unpaid_since''s.';
