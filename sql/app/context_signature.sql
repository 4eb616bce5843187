-- HMAC that binds a request-context payload to this backend and this transaction, under the
-- owner-only context key. Owner-only: the app role can neither compute nor read it.
-- The transaction is named by its start as epoch microseconds (extract(epoch ...) is a numeric,
-- the same under every TimeZone): nothing in the signed text is a setting the client chooses, so a
-- value captured in one transaction cannot be made valid in another by choosing a time zone.
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
                '/', p_payload, pg_catalog.pg_backend_pid(), extract(epoch from pg_catalog.transaction_timestamp())
            ),
            v_key,
            'sha256'
        ),
        'hex'
    );
end
$$;

comment on function app.context_signature(text) is
'HMAC-SHA256 of a context payload bound to the backend pid and the transaction start (UTC epoch microseconds, '
'independent of TimeZone), under auth.secrets context_key.';
