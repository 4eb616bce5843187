-- Lots copy their opening fill's account and security (the FIFO index needs them); only the
-- lot -> fill foreign key is declared (migration 0350_orders), so this checks the copies and the sign.
create or replace function ops.invariant_lots_match_fills()
returns setof text
language sql
stable
set search_path = ''
as $$
    select pg_catalog.format(
        'lot %s is %s of %s/%s, its fill %s is %s of %s/%s',
        l.id, l.quantity, l.account_id, l.security_id, f.id, f.side, f.account_id, f.security_id
    )
    from trading.lots as l
    join trading.fills as f on f.id = l.fill_id
    where
        (l.account_id, l.security_id) is distinct from (f.account_id, f.security_id)
        or (l.quantity > 0) <> (f.side = 'buy')
$$;

comment on function ops.invariant_lots_match_fills() is
'Lots whose account or security differ from their opening fill''s, or whose sign is not the fill''s side.';
