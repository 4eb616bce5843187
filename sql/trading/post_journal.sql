-- THE only way cash moves. User accounts are locked in ascending id order (so concurrent journals
-- never deadlock), their cash is updated once each, and every line becomes a posting; user-account
-- postings carry balance_after. System accounts are neither locked nor updated: their balance is the
-- sum of their postings, so no row is shared by unrelated accounts. posted_at is the clock after the
-- locks are held, so per account it grows in the same order as balance_after.
-- depends: trading/positive_amount.sql
create or replace function trading.post_journal(
    p_kind text,
    p_lines trading.journal_line[],
    p_memo text default null,
    p_order_id uuid default null,
    p_fill_id bigint default null
)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_account record;
    v_posted bigint;
    v_journal bigint;
    v_posted_at timestamptz;
begin
    if p_lines is null or pg_catalog.cardinality(p_lines) < 2 then
        perform app.raise_error('22023', pg_catalog.format('a journal needs at least two lines, got %s',
            coalesce(pg_catalog.cardinality(p_lines), 0)), 'Post one line per account, debits and credits.');
    end if;
    -- One pass over the lines; the slow path below only runs to name the bad line.
    if exists (
        select from pg_catalog.unnest(p_lines) as l
        where
            l.account_id is null
            or l.amount is null
            or l.amount in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric, 0)
            or pg_catalog.abs(l.amount) >= 1e16
            or l.amount <> pg_catalog.round(l.amount, 8)
    ) then
        if exists (select from pg_catalog.unnest(p_lines) as l where l.account_id is null) then
            perform app.raise_error('22023', 'a journal line has no account_id', null);
        end if;
        perform trading.positive_amount(pg_catalog.abs(l.amount), pg_catalog.format('journal line %s amount', l.n))
        from pg_catalog.unnest(p_lines) with ordinality as l (account_id, amount, n);
    end if;

    for v_account in
        select
            a.id,
            a.cash,
            (select pg_catalog.sum(l.amount) from pg_catalog.unnest(p_lines) as l where l.account_id = a.id) as net
        from trading.accounts as a
        where a.id = any(array(select l.account_id from pg_catalog.unnest(p_lines) as l)) and a.kind <> 'system'
        order by a.id
        for update
    loop
        if v_account.cash + v_account.net < 0 then
            perform app.raise_error('TB040', pg_catalog.format(
                'account %s has cash %s; the journal needs %s', v_account.id, v_account.cash, -v_account.net
            ), null);
        end if;
    end loop;

    update trading.accounts as a
    set cash = a.cash + n.net
    from (
        select l.account_id, pg_catalog.sum(l.amount) as net
        from pg_catalog.unnest(p_lines) as l
        group by l.account_id
    ) as n
    where a.id = n.account_id and a.kind <> 'system' and n.net <> 0;

    v_journal := pg_catalog.nextval('trading.journal_id_seq');
    v_posted_at := pg_catalog.clock_timestamp();
    insert into trading.transactions (
        journal_id, account_id, currency, amount, balance_after, kind, memo, order_id, fill_id, posted_at
    )
    select
        v_journal,
        l.account_id,
        a.base_currency,
        l.amount,
        case when a.kind <> 'system' then
            a.cash - pg_catalog.sum(l.amount) over (partition by l.account_id)
            + pg_catalog.sum(l.amount) over (partition by l.account_id order by l.n)
        end,
        p_kind,
        p_memo,
        p_order_id,
        p_fill_id,
        v_posted_at
    from pg_catalog.unnest(p_lines) with ordinality as l (account_id, amount, n)
    inner join trading.accounts as a on l.account_id = a.id
    order by l.n;
    get diagnostics v_posted = row_count;
    if v_posted < pg_catalog.cardinality(p_lines) then
        perform app.raise_error('P0002', pg_catalog.format('journal lines name unknown accounts: %s', (
            select pg_catalog.string_agg(l.account_id::text, ', ')
            from pg_catalog.unnest(p_lines) as l
            where not exists (select from trading.accounts as a where a.id = l.account_id)
        )), null);
    end if;
    return v_journal;
end
$$;

comment on function trading.post_journal(text, trading.journal_line[], text, uuid, bigint) is
'Post a journal (lines in each account''s base currency, summing to zero per currency, checked at commit): locks '
'the user accounts in id order, updates their cash, writes postings with balance_after; TB040 when a user '
'account''s cash would go below zero. Returns the journal id.';
