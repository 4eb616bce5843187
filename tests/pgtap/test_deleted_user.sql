-- Nothing of a deleted user is made after api.delete_account: every call that creates something of the
-- user's that would outlive the deletion (an account, which can carry orders that fill later; a platform
-- connection with its stored credentials; a tax id, an MFA secret, an API key) holds the user's row first
-- (auth.hold_active_user), as the fund requests do, and finds the user deleted (TB004). A transaction that
-- authenticated before the deletion committed (here: support staff acting as the deleted user, which
-- api.act_as allows) can therefore not open an active account or store a secret for a deleted user;
-- tests/python/test_deletion_races.py races each against the deletion in both orders. Each error with its
-- exact message, and that the refused call left nothing. The session is a superuser acting as the user.
begin;
select plan(12);

do $$ begin perform api.register_user('du-d@example.com', 'du_d', 'deleted user d pass 1'); end $$;
create temporary table u as select (select id from auth.users where username = 'du_d') as d;

-- D has a live account with 1,000 and a platform connection, then deletes the account.
do $$ begin
    perform api.act_as((select d from u));
    perform api.deposit(api.create_account('DU live', 'live'), 1000);
    perform api.connect_platform('zerodha', 'key 1', 'secret 1');
end $$;
select lives_ok($$ select api.delete_account('deleted user d pass 1') $$, 'delete_account: D is deleted');
select results_eq(
    $$ select (select count(*)::integer from trading.accounts where user_id = (select d from u) and status <> 'archived'),
              (select count(*)::integer from auth.platform_connections
               where user_id = (select d from u) and status <> 'disconnected'),
              (select count(*)::integer from auth.platform_credentials as p
               inner join auth.platform_connections as c on p.connection_id = c.id where c.user_id = (select d from u)) $$,
    $$ values (0, 0, 0) $$,
    'set-up: D''s accounts are archived, the platform disconnected and its credentials destroyed'
);

-- A context of D's set after the deletion: each call that would leave something of D's is refused.
do $$ begin perform api.act_as((select d from u)); end $$;

-- 1. An account: it would be active under a deleted user, and an order placed on it would rest and fill.
select throws_ok($$ select api.create_account('DU late', 'paper') $$, 'TB004',
    format('user %s is disabled', (select d from u)), 'create_account: TB004 for a deleted user');
select is(
    (select count(*)::integer from trading.accounts where user_id = (select d from u) and status <> 'archived'), 0,
    'no account of D''s is active'
);

-- 2. A platform connection with its credentials.
select throws_ok($$ select api.connect_platform('binance', 'key 2', 'secret 2') $$, 'TB004',
    format('user %s is disabled', (select d from u)), 'connect_platform: TB004 for a deleted user');
select results_eq(
    $$ select (select count(*)::integer from auth.platform_connections
               where user_id = (select d from u) and status <> 'disconnected'),
              (select count(*)::integer from auth.platform_credentials as p
               inner join auth.platform_connections as c on p.connection_id = c.id where c.user_id = (select d from u)) $$,
    $$ values (0, 0) $$,
    'no connection of D''s is connected and no credentials are stored'
);

-- 3. The secrets of auth.user_security: a tax id, an MFA secret.
select throws_ok($$ select api.set_tax_id('TAX-1234') $$, 'TB004',
    format('user %s is disabled', (select d from u)), 'set_tax_id: TB004 for a deleted user');
select throws_ok($$ select api.enable_mfa('totp', 'JBSWY3DPEHPK3PXPJBSWY3DP') $$, 'TB004',
    format('user %s is disabled', (select d from u)), 'enable_mfa: TB004 for a deleted user');
select results_eq(
    $$ select tax_id_encrypted is null, mfa_enabled, mfa_secret_encrypted is null, backup_code_hashes = '{}'
       from auth.user_security where user_id = (select d from u) $$,
    $$ values (true, false, true, true) $$,
    'D''s security row holds no tax id, no MFA secret and no backup codes'
);

-- 4. An API key.
select throws_ok($$ select api.create_api_key('late key') $$, 'TB004',
    format('user %s is disabled', (select d from u)), 'create_api_key: TB004 for a deleted user');
select is(
    (select count(*)::integer from auth.api_keys where user_id = (select d from u) and revoked_at is null), 0,
    'D has no API key that is not revoked'
);

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');
select * from finish();
rollback;
