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
