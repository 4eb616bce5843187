-- HMAC that binds a request-context payload to this backend and this transaction, under the
-- owner-only context key. Owner-only: the app role can neither compute nor read it.
create or replace function app.context_signature(p_payload text)
returns text
language plpgsql
stable
strict
set search_path = ''
as $$
declare
    v_key text;
begin
    select s.secret into strict v_key from auth.secrets as s where s.name = 'context_key';
    return pg_catalog.encode(
        extensions.hmac(
            pg_catalog.concat_ws(
                '/', p_payload, pg_catalog.pg_backend_pid(),
                pg_catalog.to_char(pg_catalog.transaction_timestamp(), 'YYYYMMDDHH24MISSUS')
            ),
            v_key,
            'sha256'
        ),
        'hex'
    );
end
$$;

comment on function app.context_signature(text) is
'HMAC-SHA256 of a context payload bound to the backend pid and transaction start, under auth.secrets context_key.';
