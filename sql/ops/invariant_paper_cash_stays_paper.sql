-- Paper cash is play money: a journal that takes cash out of a paper account may pay it only to paper
-- accounts or to the system accounts of trading and paper capital (market_clearing, fee_income,
-- paper_capital), never to a live or fund account or to external_cash (a real withdrawal).
create or replace function ops.invariant_paper_cash_stays_paper()
returns setof text
language sql
stable
set search_path = ''
as $$
    select distinct pg_catalog.format(
        'journal %s (%s) moves cash of paper account %s to %s account %s',
        d.journal_id, d.kind, d.account_id, coalesce(c.system_purpose, c.kind), c.id
    )
    from trading.transactions as d
    inner join trading.accounts as p on d.account_id = p.id
    inner join trading.transactions as t on d.journal_id = t.journal_id
    inner join trading.accounts as c on t.account_id = c.id
    where
        d.amount < 0
        and p.kind = 'paper'
        and t.amount > 0
        and (c.kind in ('live', 'fund') or c.system_purpose = 'external_cash')
$$;

comment on function ops.invariant_paper_cash_stays_paper() is
'No journal moves cash out of a paper account into a live or fund account or to external_cash.';
