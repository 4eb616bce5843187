"""docs/schema.md is what `tradebase docs` generates from the current schema (regenerate it when it fails)."""

from tradebase import config, schemadoc


def test_schema_reference_is_up_to_date(conn):
    committed = (config.ROOT / 'docs' / 'schema.md').read_text()
    assert schemadoc.render(conn) == committed, 'docs/schema.md is stale: run `make docs`'


def test_every_documented_relation_has_its_comment(conn):
    text = schemadoc.render(conn)
    assert '### `app.error_codes` (table)' in text
    assert 'Every SQLSTATE an app can receive from tradebase' in text
    assert '| `app.raise_error(text,text,text,text)` | void |' in text


def test_a_table_reads_in_one_place(conn):
    """Per table: columns (type, null, default), constraints, indexes, triggers, RLS and policies."""
    text = schemadoc.render(conn)
    table = text[text.index('### `trading.transactions` (partitioned table)') :]
    table = table[: table.index('\n### ', 1)]
    assert '| `posted_at` | timestamp with time zone |  | `now()` |' in table
    assert '| `id` | bigint |  | `generated always as identity` |' in table
    assert '| `transactions_pk` | `PRIMARY KEY (id, posted_at)` |' in table
    assert '| `transactions_journal_idx` | `USING btree (journal_id)` |' in table
    assert (
        '| `transactions_journal_balanced` | `AFTER INSERT ON trading.transactions REFERENCING NEW TABLE AS '
        'new_postings FOR EACH STATEMENT EXECUTE FUNCTION trading.queue_unbalanced_journals()` |'
    ) in table
    assert 'Row-level security: enabled.' in table
    assert '| `transactions_owner_read` | select | permissive | public |' in table
    # A foreign key and a check constraint, with their definitions.
    orders = text[text.index('### `trading.orders` (table)') :]
    orders = orders[: orders.index('\n### ', 1)]
    assert 'FOREIGN KEY (account_id) REFERENCES trading.accounts(id)' in orders
    assert 'CHECK (' in orders


def test_each_index_is_listed_once_with_its_own_constraint(conn):
    """A self-referencing foreign key points at its table's key index too; the index still reads once."""
    text = schemadoc.render(conn)
    for section in text.split('\n### ')[1:]:
        if 'Indexes:' not in section:
            continue
        rows = section[section.index('Indexes:') :].split('\n\n')[1].splitlines()[2:]
        names = [row.split('|')[1].strip() for row in rows]
        assert len(names) == len(set(names)), section.splitlines()[0]
    consumers = text[text.index('### `notify.consumers` (table)') :]
    consumers = consumers[: consumers.index('\n### ', 1)]
    assert '(constraint `consumers_after_fk`)' not in consumers
