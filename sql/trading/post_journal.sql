-- How cash moves (the one exception: a fill's settlement, whose fixed shape trading.apply_fill
-- writes in the same statement as the fill, for the one account it already holds locked). User
-- accounts are locked in ascending id order (so concurrent journals never deadlock), their cash (and,
-- for an external flow, their running external_flow) is updated once each, and every line becomes a
-- posting; user-account postings carry balance_after.
-- System accounts are neither locked nor updated: their balance is the sum of their postings, so no
-- row is shared by unrelated accounts. posted_at is the clock after the locks are held, so per
-- account it grows in the same order as balance_after.
-- Three statements for a two-line journal (read the accounts, update the user account, insert the
-- postings); the rest is plain PL/pgSQL on arrays.
-- It checks the journal balances per currency itself (TB041, with a message naming the currency) and
-- writes all its postings in one statement, so trading.transactions_journal_balanced finds them balanced
-- and queues nothing for the deferred check.
-- plan_cache_mode: the postings insert goes to a partitioned table, for which the plan cache keeps
-- choosing a custom plan, i.e. plans it again on every call; the generic plan is as good here.
-- depends: trading/positive_amount.sql trading/is_external_flow.sql
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
set plan_cache_mode = force_generic_plan
as $$
declare
    v_line trading.journal_line;
    v_n integer := 0;
    v_line_ids uuid [] := '{}';
    v_amount numeric [] := '{}';
    v_ids uuid [];
    v_kinds text [];
    v_currencies text [];
    v_running numeric [];
    v_pos integer;
    v_cash numeric;
    v_currency text [] := '{}';
    v_balance numeric [] := '{}';
    v_totals_currency text [] := '{}';
    v_totals numeric [] := '{}';
    v_total integer;
    v_journal bigint;
    v_posted_at timestamptz;
    v_flow constant boolean := trading.is_external_flow(p_kind);
begin
    if p_lines is null or pg_catalog.cardinality(p_lines) < 2 then
        perform app.raise_error('22023', pg_catalog.format('a journal needs at least two lines, got %s',
            coalesce(pg_catalog.cardinality(p_lines), 0)), 'Post one line per account, debits and credits.');
    end if;
    foreach v_line in array p_lines loop
        v_n := v_n + 1;
        if v_line.account_id is null then
            perform app.raise_error('22023', pg_catalog.format('journal line %s has no account_id', v_n), null);
        elsif v_line.amount is null
            or v_line.amount in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric, 0)
            or pg_catalog.abs(v_line.amount) >= 1e16
            or v_line.amount <> pg_catalog.round(v_line.amount, 8) then
            perform trading.positive_amount(
                pg_catalog.abs(v_line.amount), pg_catalog.format('journal line %s amount', v_n)
            );
        end if;
        v_line_ids := v_line_ids || v_line.account_id;
        v_amount := v_amount || v_line.amount;
    end loop;

    select
        pg_catalog.array_agg(a.id order by a.id),
        pg_catalog.array_agg(a.kind order by a.id),
        pg_catalog.array_agg(a.base_currency::text order by a.id)
    into v_ids, v_kinds, v_currencies
    from trading.accounts as a
    where a.id = any(v_line_ids);
    -- Net change per account and total per currency (which must be zero), then the user accounts
    -- updated (and so locked) in ascending id order.
    v_running := pg_catalog.array_fill(0::numeric, array[coalesce(pg_catalog.cardinality(v_ids), 0)]);
    foreach v_line in array p_lines loop
        v_pos := pg_catalog.array_position(v_ids, v_line.account_id);
        if v_pos is null then
            perform app.raise_error('P0002', pg_catalog.format('journal line names unknown account %s',
                v_line.account_id), null);
        end if;
        v_running[v_pos] := v_running[v_pos] + v_line.amount;
        v_total := pg_catalog.array_position(v_totals_currency, v_currencies[v_pos]);
        if v_total is null then
            v_totals_currency := v_totals_currency || v_currencies[v_pos];
            v_totals := v_totals || v_line.amount;
        else
            v_totals[v_total] := v_totals[v_total] + v_line.amount;
        end if;
    end loop;
    for v_total in 1 .. pg_catalog.cardinality(v_totals) loop
        if v_totals[v_total] <> 0 then
            perform app.raise_error('TB041', pg_catalog.format('journal does not balance: %s %s left over',
                v_totals[v_total], v_totals_currency[v_total]), null);
        end if;
    end loop;
    for v_pos in 1 .. pg_catalog.cardinality(v_ids) loop
        continue when v_kinds[v_pos] = 'system';
        update trading.accounts as a
        set
            cash = a.cash + v_running[v_pos],
            external_flow = a.external_flow + case when v_flow then v_running[v_pos] else 0 end
        where a.id = v_ids[v_pos] and a.cash + v_running[v_pos] >= 0
        returning a.cash into v_cash;
        if not found then
            perform app.raise_error('TB040', pg_catalog.format('account %s has cash %s; the journal needs %s',
                v_ids[v_pos], (select a.cash from trading.accounts as a where a.id = v_ids[v_pos]),
                -v_running[v_pos]), null);
        end if;
        v_running[v_pos] := v_cash - v_running[v_pos];
    end loop;

    -- Per line: the account's currency and, for user accounts, the running balance after it.
    foreach v_line in array p_lines loop
        v_pos := pg_catalog.array_position(v_ids, v_line.account_id);
        v_currency := v_currency || v_currencies[v_pos];
        if v_kinds[v_pos] = 'system' then
            v_balance := v_balance || null::numeric;
        else
            v_running[v_pos] := v_running[v_pos] + v_line.amount;
            v_balance := v_balance || v_running[v_pos];
        end if;
    end loop;

    v_journal := pg_catalog.nextval('trading.journal_id_seq');
    v_posted_at := pg_catalog.clock_timestamp();
    insert into trading.transactions (
        journal_id, account_id, currency, amount, balance_after, kind, memo, order_id, fill_id, posted_at
    )
    select
        v_journal, l.account_id, l.currency, l.amount, l.balance_after, p_kind, p_memo, p_order_id, p_fill_id,
        v_posted_at
    from rows from (
        pg_catalog.unnest(v_line_ids), pg_catalog.unnest(v_currency), pg_catalog.unnest(v_amount),
        pg_catalog.unnest(v_balance)
    ) with ordinality as l (account_id, currency, amount, balance_after, n)
    order by l.n;
    return v_journal;
end
$$;

comment on function trading.post_journal(text, trading.journal_line[], text, uuid, bigint) is
'Post a journal (lines in each account''s base currency that sum to zero per currency, else TB041): locks '
'the user accounts in id order, updates their cash, writes postings with balance_after; TB040 when a user '
'account''s cash would go below zero. Returns the journal id.';
