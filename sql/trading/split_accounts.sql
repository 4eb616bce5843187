-- The accounts a split touches (§5): every account with a position row in the security or an open order
-- for it. trading.apply_split locks them and then splits them one by one, both from this one list.
create or replace function trading.split_accounts(p_security_id uuid)
returns table (account_id uuid)
language sql
stable
set search_path = ''
as $$
    select p.account_id from trading.positions as p where p.security_id = p_security_id
    union
    select o.account_id from trading.orders as o
    where o.security_id = p_security_id and o.status in ('new', 'partially_filled')
$$;

comment on function trading.split_accounts(uuid) is
'The accounts a split of p_security_id applies to: those with a position in it or an open (new or partially '
'filled) order for it.';
