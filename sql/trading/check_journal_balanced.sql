-- Deferred constraint trigger of trading.journals_to_check (journals_to_check_balanced): fires at
-- commit for each journal a statement left unbalanced (trading.queue_unbalanced_journals); the journal,
-- all its postings of that posted_at (one partition), must sum to zero per currency. The queue row is
-- then removed, so a posting added to the journal later is queued and checked again.
-- Security definer: at commit it runs as the caller's role, whose RLS would hide the other side of
-- the journal (the system account's postings), and which may not write the queue.
-- plan_cache_mode: a custom plan (pruned to one partition) would be re-planned for every journal; the
-- generic plan prunes at executor start-up instead and is planned once per connection.
create or replace function trading.check_journal_balanced()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
    v_currency text;
    v_sum numeric;
begin
    select c.currency, c.total
    into v_currency, v_sum
    from (
        select t.currency, pg_catalog.sum(t.amount) as total
        from trading.transactions as t
        where t.journal_id = new.journal_id and t.posted_at = new.posted_at
        group by t.currency
    ) as c
    where c.total <> 0
    order by c.currency
    limit 1;
    if v_currency is not null then
        perform app.raise_error('TB041', pg_catalog.format('journal %s does not balance: %s %s left over',
            new.journal_id, v_sum, v_currency), null);
    end if;
    delete from trading.journals_to_check as j
    where j.journal_id = new.journal_id and j.posted_at = new.posted_at;
    return null;
end
$$;

comment on function trading.check_journal_balanced() is
'Deferred constraint trigger of trading.journals_to_check: rejects a journal that does not sum to zero per currency '
'(TB041), then removes it from the queue.';
