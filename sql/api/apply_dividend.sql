-- A cash dividend (§5): holders of record at the start of the ex-date receive per_share x units
-- (shorts pay it), through one journal per account.
create or replace function api.apply_dividend(
    p_symbol text,
    p_per_share numeric,
    p_ex_date date,
    p_pay_date date
)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_security market.securities;
    v_action_id uuid;
    v_holder record;
    v_cash numeric;
    v_fx numeric;
    v_paid integer := 0;
begin
    perform app.require_admin('apply a dividend');
    if p_per_share is null or p_per_share = 'NaN' or p_per_share <= 0 or p_per_share >= 1e12
        or p_per_share <> pg_catalog.round(p_per_share, 8) then
        perform app.raise_error('22023', pg_catalog.format('dividend %s per share is not a positive amount', p_per_share));
    elsif p_ex_date is null or p_pay_date is null or not pg_catalog.isfinite(p_ex_date)
        or not pg_catalog.isfinite(p_pay_date) or p_pay_date < p_ex_date then
        perform app.raise_error(
            '22023', pg_catalog.format('ex-date %s and pay date %s are not in order', p_ex_date, p_pay_date)
        );
    end if;
    v_security := market.security(p_symbol);
    v_action_id := trading.record_corporate_action(
        v_security, 'dividend', p_ex_date, p_per_share => p_per_share, p_pay_date => p_pay_date
    );

    -- Holders of record: units from fills before the ex-date plus earlier split adjustments.
    for v_holder in
        select a.id as account_id, a.base_currency, h.quantity
        from (
            select u.account_id, pg_catalog.sum(u.quantity) as quantity
            from (
                select f.account_id, case f.side when 'buy' then f.quantity else -f.quantity end as quantity
                from trading.fills as f
                where f.security_id = v_security.id and f.filled_at < p_ex_date::timestamptz
                union all
                select j.account_id, j.quantity
                from trading.position_adjustments as j
                inner join trading.corporate_actions as c on j.corporate_action_id = c.id
                where j.security_id = v_security.id and c.kind = 'split' and c.effective_date < p_ex_date
            ) as u
            group by u.account_id
        ) as h
        inner join trading.accounts as a on h.account_id = a.id
        where h.quantity <> 0
        order by a.id
        for update of a
    loop
        v_fx := trading.settlement_rate(v_security.currency, v_holder.base_currency, pg_catalog.now());
        v_cash := pg_catalog.round(v_holder.quantity * p_per_share * coalesce(v_fx, 0), 8);
        continue when v_cash = 0;
        insert into trading.position_adjustments (
            corporate_action_id, account_id, security_id, kind, cash, journal_id
        ) values (
            v_action_id, v_holder.account_id, v_security.id, 'dividend', v_cash,
            trading.post_journal(
                'dividend',
                array[
                    row(v_holder.account_id, v_cash)::trading.journal_line,
                    row(trading.system_account('market_clearing', v_holder.base_currency), -v_cash)::trading.journal_line
                ],
                pg_catalog.format('dividend %s x %s %s (ex %s)', v_holder.quantity, p_per_share, v_security.symbol, p_ex_date)
            )
        );
        v_paid := v_paid + 1;
    end loop;
    return v_paid;
end
$$;

comment on function api.apply_dividend(text, numeric, date, date) is
'Admin: pays p_per_share x units to every account holding p_symbol at the start of p_ex_date (shorts are charged), '
'in account currency, one journal each; returns how many accounts it paid. 42501 non-admin, 22023 bad amount or '
'dates, P0002 unknown symbol, TB064 applied twice.';
