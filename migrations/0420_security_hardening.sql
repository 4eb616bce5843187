-- Security hardening (issue 13 §2): what API keys may do, the nonce that binds a request context to
-- the call that signed it, and the error codes of scopes, MFA and paper money.
-- depends: 0100_auth 0300_trading_accounts
set local role tradebase_owner;

-- Every signed request context carries a value of this sequence, and app.current_context() accepts it
-- only while it is this backend's currval: a later api.authenticate, api.act_as or api.logout (which
-- draws a new value) makes every earlier context of the backend invalid, even in the same transaction.
create sequence app.context_nonce as bigint no cycle;
comment on sequence app.context_nonce is
'Nonces of signed request contexts (app.set_context); a context is valid only while its nonce is the currval.';

-- API key permissions become exactly the four scopes, each true or false. Existing keys keep the
-- scopes they named true; read stays on unless it was set to false.
update auth.api_keys
set permissions = jsonb_build_object(
    'read', permissions -> 'read' is distinct from 'false'::jsonb,
    'trade', coalesce(permissions -> 'trade' = 'true'::jsonb, false),
    'transfer', coalesce(permissions -> 'transfer' = 'true'::jsonb, false),
    'manage', coalesce(permissions -> 'manage' = 'true'::jsonb, false)
);
alter table auth.api_keys
alter column permissions set default '{"read": true, "trade": false, "transfer": false, "manage": false}',
add constraint api_keys_permissions_are_the_scopes_ck check (
    permissions - array['read', 'trade', 'transfer', 'manage'] = '{}'::jsonb
    and jsonb_typeof(permissions -> 'read') is not distinct from 'boolean'
    and jsonb_typeof(permissions -> 'trade') is not distinct from 'boolean'
    and jsonb_typeof(permissions -> 'transfer') is not distinct from 'boolean'
    and jsonb_typeof(permissions -> 'manage') is not distinct from 'boolean'
);
comment on column auth.api_keys.permissions is
'Scopes of the key: {"read", "trade", "transfer", "manage"} each true or false (api_keys_permissions_are_the_scopes_ck); '
'signed into the request context by api.authenticate and checked by auth.require_scope.';

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    'TB010', 'scope_missing', 'The API key that authenticated this transaction lacks the scope this call needs.',
    'Use a key created with that scope (api.create_api_key) or a session token.'
),
(
    'TB011', 'mfa_already_enabled', 'MFA is already enabled for this user.',
    'Disable it first (api.disable_mfa, which re-checks the password), then enable it again.'
),
(
    'TB047', 'account_kind_mismatch', 'Cash moves only between accounts of the same kind (paper to paper, live to live).',
    'Paper cash stays in paper accounts; use accounts of the same kind.'
);
