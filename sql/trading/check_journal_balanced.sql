-- Fires at commit for each posting (deferred constraint trigger): the journal must sum to zero per
-- currency. All postings of a journal share posted_at, which prunes the check to one partition.
-- Security definer: at commit it runs as the caller's role, whose RLS would hide the other side of
-- the journal (the system account's postings).
create or replace function trading.check_journal_balanced()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_currency text;
    v_sum numeric;
begin
    select t.currency, pg_catalog.sum(t.amount) into v_currency, v_sum
    from trading.transactions as t
    where t.journal_id = new.journal_id and t.posted_at = new.posted_at
    group by t.currency
    having pg_catalog.sum(t.amount) <> 0
    limit 1;
    if found then
        perform app.raise_error('TB041', pg_catalog.format('journal %s does not balance: %s %s left over',
            new.journal_id, v_sum, v_currency), null);
    end if;
    return null;
end
$$;

comment on function trading.check_journal_balanced() is
'Deferred constraint trigger of trading.transactions: rejects a journal that does not sum to zero per currency.';
