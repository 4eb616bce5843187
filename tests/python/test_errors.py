"""app.error_codes, docs/errors.md and tradebase.errors list the same codes; translate() maps them."""

import re

import psycopg
import pytest

from tradebase import config, errors


def registered(conn) -> dict[str, str]:
    return dict(conn.execute('select sqlstate, name from app.error_codes').fetchall())


def test_every_registered_code_has_an_exception_class(conn):
    assert set(registered(conn)) == set(errors.by_sqlstate())


def test_docs_list_every_code_with_its_class(conn):
    doc = (config.ROOT / 'docs' / 'errors.md').read_text()
    rows = dict(re.findall(r'^\| `([0-9A-Z]{5})` \| (\w+) \|', doc, re.MULTILINE))
    assert rows == registered(conn)
    for sqlstate, cls in errors.by_sqlstate().items():
        assert f'| `{sqlstate}` |' in doc and f'`{cls.__name__}`' in doc


@pytest.mark.parametrize('sqlstate', ['22023', '42501', 'P0002'])
def test_translate_keeps_message_and_hint(conn, sqlstate):
    with pytest.raises(psycopg.Error) as caught:
        conn.execute("select app.raise_error(%s, 'account 42 is frozen', 'Unfreeze it first.')", [sqlstate])
    err = errors.translate(caught.value)
    assert isinstance(err, errors.by_sqlstate()[sqlstate])
    assert err.message == 'account 42 is frozen'
    assert err.hint == 'Unfreeze it first.'
    assert str(err) == 'account 42 is frozen (HINT: Unfreeze it first.)'


def test_translate_keeps_the_constraint_name(conn):
    with pytest.raises(psycopg.Error) as caught:
        conn.execute("insert into app.error_codes values ('bad', 'x', 'y')")
    err = errors.translate(caught.value)
    assert isinstance(err, errors.CheckViolation)
    assert err.constraint == 'error_codes_sqlstate_is_five_characters_ck'


def test_errors_outside_the_catalogue_pass_through(conn):
    with pytest.raises(psycopg.Error) as caught:
        conn.execute('select 1/0')
    assert errors.translate(caught.value) is caught.value


def test_app_role_is_not_admin_but_superuser_is(conn, app_conn):
    assert conn.execute('select app.is_admin()').fetchone()[0] is True
    assert app_conn.execute('select app.is_admin()').fetchone()[0] is False
    app_conn.execute('set role tradebase_app')
    assert app_conn.execute('select app.current_user_id()').fetchone()[0] is None
