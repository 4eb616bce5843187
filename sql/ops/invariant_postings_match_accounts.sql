create or replace function ops.invariant_postings_match_accounts()
returns setof text
language plpgsql
stable
set search_path = ''
as $$
begin
    return query
    select pg_catalog.format('posting %s names account %s, which does not exist', t.id, t.account_id)
    from trading.transactions as t
    where not exists (select from trading.accounts as a where a.id = t.account_id);
    return query
    select pg_catalog.format('posting %s is in %s, account %s holds %s', t.id, t.currency, a.id, a.base_currency)
    from trading.transactions as t
    inner join trading.accounts as a on t.account_id = a.id
    where t.currency <> a.base_currency;
    return query
    select pg_catalog.format('posting %s on %s account %s has %s balance_after', t.id, a.kind, a.id,
        case when t.balance_after is null then 'no' else 'a' end)
    from trading.transactions as t
    inner join trading.accounts as a on t.account_id = a.id
    where (a.kind = 'system') <> (t.balance_after is null);
end
$$;

comment on function ops.invariant_postings_match_accounts() is
'Every posting names an existing account in its currency; user-account postings carry balance_after, system ones not.';
