-- A request context whose nonce the session discarded (DISCARD SEQUENCES or DISCARD ALL forget the
-- sequence's currval that app.current_context checks): PostgreSQL's own 55000, documented as what it
-- means here. Catching it inside app.current_context would cost a subtransaction on every api call.
-- depends: 0560_actors
set local role tradebase_owner;

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    '55000', 'context_discarded',
    'The session discarded its sequence state (DISCARD SEQUENCES or DISCARD ALL) after authenticating in this '
    || 'transaction, so the request context can no longer be verified.',
    'Call api.authenticate(token) again after a DISCARD.'
);
