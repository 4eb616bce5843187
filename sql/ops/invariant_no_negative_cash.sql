create or replace function ops.invariant_no_negative_cash()
returns setof text
language plpgsql
stable
set search_path = ''
as $$
begin
    return query
    select pg_catalog.format('account %s has negative cash %s', a.id, a.cash)
    from trading.accounts as a
    where a.cash < 0;
    return query
    select pg_catalog.format('posting %s leaves account %s at %s', t.id, t.account_id, t.balance_after)
    from trading.transactions as t
    where t.balance_after < 0;
end
$$;

comment on function ops.invariant_no_negative_cash() is 'No user account''s cash, now or after any posting, is negative.';
