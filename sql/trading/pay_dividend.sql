-- One holder's part of a cash dividend (§5): p_quantity units of record x p_per_share, converted into the
-- account's currency, through one journal (a short pays it). The unit trading.apply_dividend sets aside when
-- one account's data fails. The caller holds the account's row lock.
-- depends: trading/post_journal.sql market/settlement_rate.sql trading/system_account.sql
create or replace function trading.pay_dividend(
    p_action_id uuid,
    p_security market.securities,
    p_account_id uuid,
    p_base_currency text,
    p_quantity numeric,
    p_per_share numeric,
    p_ex_date date
)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_cash numeric;
begin
    v_cash := pg_catalog.round(
        p_quantity * p_per_share
        * coalesce(market.settlement_rate(p_security.currency, p_base_currency, pg_catalog.now()), 0),
        8
    );
    if v_cash = 0 then
        return 0;
    end if;
    insert into trading.position_adjustments (
        corporate_action_id, account_id, security_id, kind, cash, journal_id
    ) values (
        p_action_id, p_account_id, p_security.id, 'dividend', v_cash,
        trading.post_journal(
            'dividend',
            array[
                row(p_account_id, v_cash)::trading.journal_line,
                row(trading.system_account('market_clearing', p_base_currency), -v_cash)::trading.journal_line
            ],
            pg_catalog.format('dividend %s x %s %s (ex %s)', p_quantity, p_per_share, p_security.symbol, p_ex_date)
        )
    );
    return 1;
end
$$;

comment on function trading.pay_dividend(uuid, market.securities, uuid, text, numeric, numeric, date) is
'Pays (or, for a short, charges) one account p_quantity x p_per_share of the dividend p_action_id in its currency '
'p_base_currency, through one journal and a position adjustment; 1 when cash moved, 0 when it rounds to nothing. '
'The caller holds the account lock.';
