-- Pays p_amount of a fund's accrued management fee to its manager's fee account (issue 17, docs/funds.md
-- "Fees, worked"): one fund_fee journal from the fund account, and one fund.fee_accruals row, the payment,
-- settling the strike days through p_through. The month-end payment (fund.strike) and the payment at a close
-- (api.set_fund_status) both go through here; each caller clears or reduces the fund's accrued fee itself.
-- Returns the journal's id.
create or replace function fund.pay_management_fee(
    p_fund fund.funds,
    p_amount numeric,
    p_through date,
    p_memo text,
    p_at timestamptz
)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_journal bigint;
begin
    v_journal := trading.post_journal(
        'fund_fee', array[(p_fund.account_id, -p_amount), (p_fund.fee_account_id, p_amount)]::trading.journal_line [],
        p_memo
    );
    insert into fund.fee_accruals (fund_id, kind, accrual_date, amount, journal_id, paid_at)
    values (p_fund.id, 'management', p_through, p_amount, v_journal, p_at);
    return v_journal;
end
$$;

comment on function fund.pay_management_fee(fund.funds, numeric, date, text, timestamptz) is
'Pays p_amount of fund p_fund''s accrued management fee to its fee account (a fund_fee journal, memo p_memo) and '
'records the payment in fund.fee_accruals, settling the strike days through p_through, at p_at; returns the '
'journal id.';
