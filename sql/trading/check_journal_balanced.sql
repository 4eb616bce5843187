-- Fires at commit for each posting (deferred constraint trigger): the journal must sum to zero per
-- currency. All postings of a journal share posted_at, which prunes the check to one partition.
-- Postings written by trading.post_journal and trading.apply_fill are not queued at all (see
-- trading.transactions_journal_balanced). Other postings of a journal are queued one after another:
-- once the journal is summed, the events of the postings that sum included (id up to the largest
-- seen) skip the query (trading.journal_summed, transaction-local, 'journal_id:last posting id'); a
-- posting added later is checked again.
-- Security definer: at commit it runs as the caller's role, whose RLS would hide the other side of
-- the journal (the system account's postings).
-- plan_cache_mode: a custom plan (pruned to one partition) is re-planned for every posting; the
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
    v_checked text [] := pg_catalog.string_to_array(
        pg_catalog.current_setting('trading.journal_summed', true), ':'
    );
    v_last_id bigint;
    v_currency text;
    v_sum numeric;
begin
    if v_checked[1] = new.journal_id::text and new.id <= v_checked[2]::bigint then
        return null;
    end if;
    select
        pg_catalog.max(c.last_id),
        pg_catalog.min(c.currency) filter (where c.total <> 0),
        pg_catalog.min(c.total) filter (where c.total <> 0)
    into v_last_id, v_currency, v_sum
    from (
        select t.currency, pg_catalog.sum(t.amount) as total, pg_catalog.max(t.id) as last_id
        from trading.transactions as t
        where t.journal_id = new.journal_id and t.posted_at = new.posted_at
        group by t.currency
    ) as c;
    if v_currency is not null then
        perform app.raise_error('TB041', pg_catalog.format('journal %s does not balance: %s %s left over',
            new.journal_id, v_sum, v_currency), null);
    end if;
    perform pg_catalog.set_config('trading.journal_summed', new.journal_id || ':' || v_last_id, true);
    return null;
end
$$;

comment on function trading.check_journal_balanced() is
'Deferred constraint trigger of trading.transactions: rejects a journal that does not sum to zero per currency.';
