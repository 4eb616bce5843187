-- Cash in lieu of units a split cannot carry (§5), for trading.split_account: one journal paying p_cash
-- to the account against market clearing (a short pays it; none when the cash is zero) and the account's
-- cash_in_lieu position adjustment of p_quantity units (negative for a long: units taken away), which the
-- lot closures of the units paid for point at.
-- depends: trading/post_journal.sql trading/system_account.sql
create or replace function trading.pay_cash_in_lieu(
    p_action_id uuid,
    p_account trading.accounts,
    p_security market.securities,
    p_quantity numeric,
    p_cash numeric,
    p_memo text
)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_journal_id bigint;
    v_adjustment_id bigint;
begin
    v_journal_id := case when p_cash <> 0 then trading.post_journal(
        'cash_in_lieu',
        array[
            row(p_account.id, p_cash)::trading.journal_line,
            row(trading.system_account('market_clearing', p_account.base_currency), -p_cash)::trading.journal_line
        ],
        p_memo
    ) end;
    insert into trading.position_adjustments (
        corporate_action_id, account_id, security_id, kind, quantity, cash, journal_id
    ) values (
        p_action_id, p_account.id, p_security.id, 'cash_in_lieu', p_quantity, p_cash, v_journal_id
    ) returning id into v_adjustment_id;
    return v_adjustment_id;
end
$$;

comment on function trading.pay_cash_in_lieu(uuid, trading.accounts, market.securities, numeric, numeric, text) is
'Split p_action_id''s cash in lieu for one account: a journal of p_cash (memo p_memo) between the account and '
'market clearing when p_cash is not zero, and a cash_in_lieu position adjustment of p_quantity units of '
'p_security; returns the adjustment''s id (for the lot closures).';
