-- Statement-level AFTER INSERT trigger of trading.transactions (trading.transactions_journal_balanced):
-- sums, per journal, the postings the statement wrote (its transition table). A journal whose postings
-- in the statement balance per currency needs nothing more: if every statement that wrote to a journal
-- balanced its own part, the journal balances. Any other is queued in trading.journals_to_check, whose
-- deferred constraint trigger checks the whole journal at commit. No session setting takes part, so
-- nothing a caller sets can exempt a posting. trading.post_journal and trading.apply_fill write each
-- journal in one statement, so their journals are never queued: the only cost on the trade path is
-- this one query over the statement's rows.
-- Not security definer and no SET clause (a GUC save and restore per statement): the writers of
-- trading.transactions are the owner's functions, every name here is schema-qualified, and the
-- INSERT runs only for an unbalanced journal.
create or replace function trading.queue_unbalanced_journals()
returns trigger
language plpgsql
volatile
as $$
begin
    if exists (
        select from new_postings as p
        group by p.journal_id, p.posted_at, p.currency
        having pg_catalog.sum(p.amount) <> 0
    ) then
        insert into trading.journals_to_check (journal_id, posted_at)
        select distinct u.journal_id, u.posted_at
        from (
            select p.journal_id, p.posted_at
            from new_postings as p
            group by p.journal_id, p.posted_at, p.currency
            having pg_catalog.sum(p.amount) <> 0
        ) as u
        on conflict on constraint journals_to_check_pk do nothing;
    end if;
    return null;
end
$$;

comment on function trading.queue_unbalanced_journals() is
'Statement trigger of trading.transactions: queues in trading.journals_to_check (checked at commit) every journal '
'whose postings written by the statement do not sum to zero per currency.';
