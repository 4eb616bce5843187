-- Equity of an account for the risk rules: cash plus its positions at the latest quote in account
-- currency (at cost where no quote or FX rate is known).
create or replace function risk.account_equity(p_account_id uuid)
returns numeric
language sql
stable
set search_path = ''
as $$
    select a.cash + coalesce((
        select sum(coalesce(
            round(p.quantity * q.price * market.settlement_rate(s.currency, a.base_currency, now()), 8),
            p.cost_basis
        ))
        from trading.positions as p
        inner join market.securities as s on p.security_id = s.id
        left join market.quotes as q on p.security_id = q.security_id
        where p.account_id = a.id and p.quantity <> 0
    ), 0)
    from trading.accounts as a
    where a.id = p_account_id
$$;

comment on function risk.account_equity(uuid) is
'Cash + positions at the latest quote (account currency; at cost without a quote or rate) of an account.';
