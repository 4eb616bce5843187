-- Identity: registration, login and lockout, tokens and the signed request context, act_as, API keys,
-- passwords, profile, preferences, settings, platform connections, syncs and the data key.
-- Runs as the superuser (app.is_admin() is true); RLS is proven as a real app login in test_rls.py.
begin;
select plan(171);

create function pg_temp.uid(p_username text) returns uuid language sql as $f$
    select id from auth.users where username = p_username
$f$;
create temp table tokens (name text primary key, token text);
-- Side-effect calls return no rows, so the TAP stream holds only test lines.
create function pg_temp.run(p_sql text) returns setof int language plpgsql as $f$
begin
    execute p_sql;
end $f$;
create function pg_temp.auth(p_name text) returns setof int language sql as $f$
    select pg_temp.run(pg_catalog.format('select api.authenticate(%L)', (select token from tokens where name = p_name)))
$f$;
create function pg_temp.act(p_username text) returns setof int language sql as $f$
    select pg_temp.run(pg_catalog.format('select api.act_as(%L)', pg_temp.uid(p_username)))
$f$;
create function pg_temp.anonymous() returns setof int language sql as $f$
    select pg_temp.run('select app.set_context(null, null, null)')
$f$;

-- register_user ------------------------------------------------------------------------------------
select isnt(api.register_user('Alice@Example.com', 'alice', 'correct horse 1', 'Alice', 'Archer'), null,
    'register_user returns the new user id');
select lives_ok($$ select api.register_user('bob@example.com', 'bob', 'battery staple 2') $$, 'a second user registers');
select lives_ok($$ select api.register_user('carol@example.com', 'carol', 'tr0ub4dor and 3') $$, 'a third user registers');
select is((select count(*)::int from auth.user_security where user_id = pg_temp.uid('alice')), 1,
    'handle_new_user creates the security row');
select is((select theme from auth.user_preferences where user_id = pg_temp.uid('alice')), 'light',
    'handle_new_user creates default preferences');
select ok((select password_hash like '$2a$04$%' from auth.user_security where user_id = pg_temp.uid('alice')),
    'the password is a bcrypt hash with the cost of auth.settings (4 in tests)');
select is((select value from auth.settings where name = 'bcrypt_cost'), '4', 'tests run with bcrypt cost 4');
select throws_ok($$ select api.register_user('ALICE@example.COM', 'alice2', 'correct horse 1') $$, 'TB006', null,
    'a duplicate email (any case) is refused');
select throws_ok($$ select api.register_user('alice2@example.com', 'ALICE', 'correct horse 1') $$, 'TB007', null,
    'a duplicate username (any case) is refused');
select throws_ok($$ select api.register_user('not-an-email', 'dave', 'correct horse 1') $$, '22023', null,
    'a malformed email is refused');
select throws_ok($$ select api.register_user('dave@example.com', 'd', 'correct horse 1') $$, '22023', null,
    'a malformed username is refused');
select throws_ok($$ select api.register_user('dave@example.com', 'dave', 'short') $$, 'TB005', null,
    'a password under 10 characters is refused');
select throws_ok($$ select api.register_user('dave@example.com', 'dave', 'my name is DAVE ok') $$, 'TB005', null,
    'a password containing the username is refused');
select throws_ok($$ select api.register_user('dave@example.com', 'dave', repeat('x', 73)) $$, 'TB005', null,
    'a password over 72 bytes is refused');
select throws_ok($$ select api.register_user('dave@example.com', 'dave', 'correct horse 1', repeat('x', 101)) $$,
    '22023', null, 'an over-long name is refused');

-- login and lockout -------------------------------------------------------------------------------
insert into tokens values ('alice', api.login('ALICE@EXAMPLE.COM', 'correct horse 1', '10.0.0.1', 'pgtap'));
select ok((select token like 'tbs\_%' and length(token) = 68 from tokens where name = 'alice'),
    'login by email (any case) returns a session token');
select ok((select exists (
    select from auth.user_sessions
    where user_id = pg_temp.uid('alice') and token_hash = auth.hash_token((select token from tokens where name = 'alice'))
)), 'only the token hash is stored');
select is(api.login('alice', 'wrong password'), null, 'a wrong password returns null');
select is(api.login('nobody', 'wrong password'), null, 'an unknown user returns null (the same as a wrong password)');
select is((select failed_login_attempts from auth.user_security where user_id = pg_temp.uid('alice')), 1,
    'a failure is counted');
select isnt(api.login('alice', 'correct horse 1'), null, 'the right password logs in');
select is((select failed_login_attempts from auth.user_security where user_id = pg_temp.uid('alice')), 0,
    'success resets the counter');
select is((select count(*)::int from audit.log where event = 'login_failure'), 2, 'each failure is audited');
select is((select count(*)::int from audit.log where event = 'login_success' and acting_user_id = pg_temp.uid('alice')), 2,
    'each success is audited');
select is(api.login('carol', 'wrong 1 password'), null, 'failure 1');
select is(api.login('carol', 'wrong 2 password'), null, 'failure 2');
select is(api.login('carol', 'wrong 3 password'), null, 'failure 3');
select is(api.login('carol', 'wrong 4 password'), null, 'failure 4');
select is(api.login('carol', 'wrong 5 password'), null, 'failure 5');
select ok((select account_locked_until = now() + interval '15 minutes' from auth.user_security where user_id = pg_temp.uid('carol')),
    'five consecutive failures lock the account for 15 minutes');
select throws_ok($$ select api.login('carol', 'tr0ub4dor and 3') $$, 'TB002', null,
    'a locked account cannot log in, even with the right password');
update auth.user_security set account_locked_until = now() - interval '1 second' where user_id = pg_temp.uid('carol');
select isnt(api.login('carol', 'tr0ub4dor and 3'), null, 'after the lock expires the right password works');
insert into tokens values ('bob', api.login('bob', 'battery staple 2'));
update auth.users set is_active = false where username = 'bob';
select throws_ok($$ select api.login('bob', 'battery staple 2') $$, 'TB004', null, 'a disabled user cannot log in');

-- authenticate and the signed context --------------------------------------------------------------
select is(api.authenticate((select token from tokens where name = 'alice')), pg_temp.uid('alice'),
    'authenticate returns the token''s user');
select is(app.current_user_id(), pg_temp.uid('alice'), 'current_user_id is that user for the transaction');
select is((select via from app.current_context()), 'session', 'the context records how the user authenticated');
select throws_ok($$ select api.authenticate('tbs_0000') $$, 'TB003', null, 'an unknown token is refused');
select throws_ok($$ select api.authenticate(null) $$, 'TB003', null, 'a null token is refused');
select throws_ok($$ select api.authenticate((select token from tokens where name = 'bob')) $$, 'TB004', null,
    'a disabled user''s token is refused');
update auth.users set is_active = true where username = 'bob';
update auth.user_sessions set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'
where token_hash = auth.hash_token((select token from tokens where name = 'bob'));
select throws_ok($$ select api.authenticate((select token from tokens where name = 'bob')) $$, 'TB003', null,
    'an expired session is refused');
select lives_ok($$ select set_config('tradebase.context', pg_temp.uid('bob') || '/session//deadbeef', true) $$,
    'anyone can SET the context setting ...');
select throws_ok($$ select app.current_user_id() $$, '42501', null, '... but a forged value is refused');
select lives_ok($$ select set_config('tradebase.context', 'garbage', true) $$, 'a malformed value can be set ...');
select throws_ok($$ select app.current_user_id() $$, '42501', null, '... and is refused too');
select pg_temp.anonymous();
select is(app.current_user_id(), null, 'a cleared context is anonymous');

-- act_as -------------------------------------------------------------------------------------------
select is(api.act_as(pg_temp.uid('bob')), pg_temp.uid('bob'), 'support staff act as a user');
select is(app.current_user_id(), pg_temp.uid('bob'), 'the acting user is then that user');
select ok(exists (select from audit.log where event = 'act_as' and acting_user_id = pg_temp.uid('bob')),
    'act_as is audited');
select throws_ok($$ select api.act_as('00000000-0000-0000-0000-000000000000') $$, 'P0002', null,
    'acting as an unknown user fails');
set local session authorization tb_test_app;
select throws_ok($$ select api.act_as(pg_temp.uid('alice')) $$, '42501', null, 'an app login cannot act_as');
reset session authorization;

-- logout -------------------------------------------------------------------------------------------
select pg_temp.auth('alice');
select lives_ok($$ select api.logout() $$, 'logout succeeds');
select ok((select revoked_at is not null from auth.user_sessions
    where token_hash = auth.hash_token((select token from tokens where name = 'alice'))), 'logout revokes the session');
select is(app.current_user_id(), null, 'logout clears the context');
select throws_ok($$ select api.authenticate((select token from tokens where name = 'alice')) $$, 'TB003', null,
    'a revoked session is refused');
select throws_ok($$ select api.logout() $$, 'TB008', null, 'logout needs an authenticated user');

-- API keys -----------------------------------------------------------------------------------------
select pg_temp.act('alice');
insert into tokens values ('alice_key', api.create_api_key('ci', '{"trade": true, "manage": true}'));
select ok((select token like 'tbk\_%' from tokens where name = 'alice_key'), 'create_api_key returns a tbk_ key');
select pg_temp.anonymous();
select is(api.authenticate((select token from tokens where name = 'alice_key')), pg_temp.uid('alice'),
    'an API key authenticates its user');
select is((select via from app.current_context()), 'api_key', 'the context says api_key');
select ok((select last_used_at is not null from auth.api_keys where name = 'ci'), 'its use is recorded');
select ok(exists (select from audit.log where event = 'api_key_used'), 'API key use is audited');
select is((select name || ' ' || key_prefix from api.list_api_keys()), 'ci ' || left((select token from tokens where name = 'alice_key'), 12),
    'list_api_keys shows name and prefix');
select throws_ok($$ select api.create_api_key('') $$, '22023', null, 'an API key needs a name');
select throws_ok($$ select api.create_api_key('x', '[]') $$, '22023', null, 'permissions must be an object');
select throws_ok($$ select api.create_api_key('x', '{}', now() - interval '1 day') $$, '22023', null,
    'an expiry in the past is refused');
select throws_ok($$ select api.create_api_key('ci') $$, '22023', null, 'two active keys cannot share a name');
select pg_temp.act('bob');
select throws_ok($$ select api.revoke_api_key((select id from auth.api_keys where name = 'ci')) $$, '42501', null,
    'another user''s key cannot be revoked');
select throws_ok($$ select api.revoke_api_key('00000000-0000-0000-0000-000000000000') $$, 'P0002', null,
    'an unknown key cannot be revoked');
select pg_temp.act('alice');
select lives_ok($$ select api.revoke_api_key((select id from auth.api_keys where name = 'ci')) $$, 'the owner revokes a key');
select throws_ok($$ select api.authenticate((select token from tokens where name = 'alice_key')) $$, 'TB003', null,
    'a revoked key is refused');
insert into tokens values ('alice_key2', api.create_api_key('ci', '{}', now() + interval '1 day'));
update auth.api_keys set created_at = now() - interval '2 days', expires_at = now() - interval '1 day'
where name = 'ci' and revoked_at is null;
select throws_ok($$ select api.authenticate((select token from tokens where name = 'alice_key2')) $$, 'TB003', null,
    'an expired key is refused');
select pg_temp.anonymous();
select throws_ok($$ select api.create_api_key('x') $$, 'TB008', null, 'create_api_key needs a user');
select throws_ok($$ select api.revoke_api_key('00000000-0000-0000-0000-000000000000') $$, 'TB008', null,
    'revoke_api_key needs a user');
select throws_ok($$ select * from api.list_api_keys() $$, 'TB008', null, 'list_api_keys needs a user');

-- change_password ---------------------------------------------------------------------------------
insert into tokens values ('carol_other', api.login('carol', 'tr0ub4dor and 3'));
insert into tokens values ('carol', api.login('carol', 'tr0ub4dor and 3'));
select pg_temp.auth('carol');
select throws_ok($$ select api.change_password('wrong one!!', 'new password 42') $$, 'TB001', null,
    'a wrong current password is refused');
select throws_ok($$ select api.change_password('tr0ub4dor and 3', 'short') $$, 'TB005', null, 'a weak new password is refused');
select lives_ok($$ select api.change_password('tr0ub4dor and 3', 'new password 42') $$, 'the password changes');
select is(api.login('carol', 'tr0ub4dor and 3'), null, 'the old password no longer works');
select ok((select revoked_at is not null from auth.user_sessions
    where token_hash = auth.hash_token((select token from tokens where name = 'carol_other'))),
    'other sessions are revoked');
select ok((select revoked_at is null from auth.user_sessions
    where token_hash = auth.hash_token((select token from tokens where name = 'carol'))), 'the current session stays');
select is((select count(*)::int from api.list_sessions() where is_current), 1, 'list_sessions marks the current session');
select is((select count(*)::int from api.list_sessions()), 3, 'and lists all of the user''s sessions');
select lives_ok($$ select api.revoke_session((select id from api.list_sessions() where is_current)) $$,
    'revoke_session revokes a session');
select is(app.current_user_id(), null, 'revoking the session in use ends the transaction''s context');
select pg_temp.act('carol');
select throws_ok($$ select api.authenticate((select token from tokens where name = 'carol')) $$, 'TB003', null,
    'the revoked session no longer authenticates');
select throws_ok($$ select api.revoke_session('00000000-0000-0000-0000-000000000000') $$, 'P0002', null,
    'an unknown session cannot be revoked');
select throws_ok($$ select api.revoke_session((select id from auth.user_sessions where user_id = pg_temp.uid('bob') limit 1)) $$,
    '42501', null, 'another user''s session cannot be revoked');
select pg_temp.anonymous();
select throws_ok($$ select api.change_password('a', 'b') $$, 'TB008', null, 'change_password needs a user');
select throws_ok($$ select * from api.list_sessions() $$, 'TB008', null, 'list_sessions needs a user');
select throws_ok($$ select api.revoke_session('00000000-0000-0000-0000-000000000000') $$, 'TB008', null,
    'revoke_session needs a user');

-- profile, preferences, settings -------------------------------------------------------------------
select pg_temp.act('alice');
select lives_ok($$ select api.update_profile(p_phone => '+1 555 0100', p_country => 'us') $$, 'update_profile succeeds');
select is((select first_name || ' ' || phone || ' ' || country from auth.users where username = 'alice'),
    'Alice +1 555 0100 US', 'given fields change, the others stay');
select throws_ok($$ select api.update_profile(p_phone => 'call me') $$, '22023', null, 'a malformed phone is refused');
select throws_ok($$ select api.update_profile(p_country => 'USA') $$, '22023', null, 'a malformed country is refused');
select throws_ok($$ select api.update_profile(p_date_of_birth => '2999-01-01') $$, '22023', null,
    'a future date of birth is refused');
select throws_ok($$ select api.update_profile(p_last_name => repeat('x', 101)) $$, '22023', null, 'an over-long name is refused');
select lives_ok($$ select api.update_preferences('{"theme": "dark", "items_per_page": 50, "email_news_digest": true}') $$,
    'update_preferences succeeds');
select lives_ok($$ select api.update_preferences('{"timezone": "Asia/Kolkata"}') $$, 'a single preference can be set');
select is((select theme || items_per_page || email_news_digest || timezone from auth.user_preferences
    where user_id = pg_temp.uid('alice')), 'dark50trueAsia/Kolkata', 'the preferences are stored');
select throws_ok($$ select api.update_preferences('{"colour": "red"}') $$, '22023', null, 'an unknown preference is refused');
select throws_ok($$ select api.update_preferences('{"user_id": "x"}') $$, '22023', null, 'the owner column cannot be set');
select throws_ok($$ select api.update_preferences('{"email_news_digest": "yes"}') $$, '22023', null,
    'a wrongly typed value is refused');
select throws_ok($$ select api.update_preferences('{"items_per_page": 1e30}') $$, '22023', null,
    'an out-of-range integer is refused before any cast');
select throws_ok($$ select api.update_preferences('{"timezone": "Mars/Olympus"}') $$, '22023', null,
    'an unknown time zone is refused');
select throws_ok($$ select api.update_preferences('[]') $$, '22023', null, 'preferences must be an object');
select throws_ok($$ select api.update_preferences('{"theme": "neon"}') $$, '23514', null,
    'a value outside the allowed set breaks its check constraint');
select lives_ok($$ select api.set_user_setting('dashboard.layout', '{"cols": 3}') $$, 'set_user_setting stores a setting');
select lives_ok($$ select api.set_user_setting('dashboard.layout', '{"cols": 4}') $$, 'and replaces it');
select is((select value from auth.user_settings where name = 'dashboard.layout'), '{"cols": 4}'::jsonb, 'the new value wins');
select pg_temp.run($$ select api.set_user_setting('dashboard.layout', null) $$);
select ok(not exists (select from auth.user_settings where name = 'dashboard.layout'), 'a null value deletes the setting');
select throws_ok($$ select api.set_user_setting('Bad Name', '1') $$, '22023', null, 'a malformed setting name is refused');
select lives_ok($$ select api.set_tax_id('ABCDE1234F') $$, 'set_tax_id stores a tax id');
select ok((select auth.decrypt(tax_id_encrypted) = 'ABCDE1234F' and position('ABCDE' in encode(tax_id_encrypted, 'escape')) = 0
    from auth.user_security where user_id = pg_temp.uid('alice')), 'the tax id is stored encrypted');
select throws_ok($$ select api.set_tax_id('x') $$, '22023', null, 'a malformed tax id is refused');
create temp table codes as select api.enable_mfa('totp', 'JBSWY3DPEHPK3PXPJBSWY3DP') as codes;
select is((select cardinality(codes) from codes), 8, 'enable_mfa returns 8 backup codes');
select ok((select mfa_enabled and auth.decrypt(mfa_secret_encrypted) = 'JBSWY3DPEHPK3PXPJBSWY3DP'
    and backup_code_hashes[1] = encode(auth.hash_token((select codes[1] from codes)), 'hex')
    from auth.user_security where user_id = pg_temp.uid('alice')), 'the MFA secret is encrypted and the codes hashed');
select throws_ok($$ select api.enable_mfa('carrier pigeon') $$, '22023', null, 'an unknown MFA method is refused');
select throws_ok($$ select api.enable_mfa('totp', 'short') $$, '22023', null, 'a short TOTP secret is refused');
select throws_ok($$ select api.disable_mfa('wrong password') $$, 'TB001', null, 'disable_mfa re-checks the password');
select lives_ok($$ select api.disable_mfa('correct horse 1') $$, 'disable_mfa succeeds');
select ok((select not mfa_enabled and mfa_secret_encrypted is null and backup_code_hashes = '{}'
    from auth.user_security where user_id = pg_temp.uid('alice')), 'and forgets the secret and codes');
select pg_temp.anonymous();
select throws_ok($$ select api.update_profile() $$, 'TB008', null, 'update_profile needs a user');
select throws_ok($$ select api.update_preferences('{}') $$, 'TB008', null, 'update_preferences needs a user');
select throws_ok($$ select api.set_user_setting('a', '1') $$, 'TB008', null, 'set_user_setting needs a user');
select throws_ok($$ select api.set_tax_id('ABCD1') $$, 'TB008', null, 'set_tax_id needs a user');
select throws_ok($$ select api.enable_mfa('sms') $$, 'TB008', null, 'enable_mfa needs a user');
select throws_ok($$ select api.disable_mfa('x') $$, 'TB008', null, 'disable_mfa needs a user');

-- platform connections and syncs -------------------------------------------------------------------
insert into tokens values ('alice2', api.login('alice', 'correct horse 1'));
select pg_temp.auth('alice2');
create temp table conn as select api.connect_platform('Binance', 'AK-123', 'SECRET-456', '{"passphrase": "pp"}') as id;
select ok((select api_key_encrypted is not null and position('AK-123' in encode(api_key_encrypted, 'escape')) = 0
    from auth.platform_credentials where connection_id = (select id from conn)), 'credentials are stored encrypted');
select throws_ok($$ select api.connect_platform('binance', 'k', 's') $$, 'TB009', null,
    'a second live connection to the same platform is refused');
select throws_ok($$ select api.connect_platform('Bin ance!', 'k', 's') $$, '22023', null, 'a malformed platform is refused');
select throws_ok($$ select api.connect_platform('zerodha', '', 's') $$, '22023', null, 'credentials are required');
select throws_ok($$ select api.connect_platform('zerodha', 'k', 's', '[1]') $$, '22023', null,
    'additional auth must be an object');
select throws_ok($$ select api.connect_platform('zerodha', 'k', 's', null, true, 1) $$, '22023', null,
    'an out-of-range sync frequency is refused');
select throws_ok($$ select api.record_sync((select id from conn), 'hourly', 'completed') $$, '22023', null,
    'an unknown sync type is refused');
select throws_ok($$ select api.record_sync((select id from conn), 'manual', 'done') $$, '22023', null,
    'an unknown sync status is refused');
select throws_ok($$ select api.record_sync((select id from conn), 'manual', 'failed') $$, '22023', null,
    'a failed sync needs a message');
select throws_ok($$ select api.record_sync((select id from conn), 'manual', 'completed', -1) $$, '22023', null,
    'negative counts are refused');
select throws_ok($$ select api.record_sync((select id from conn), 'manual', 'completed', p_total_value => 'NaN') $$,
    '22023', null, 'a non-finite value is refused');
select throws_ok($$ select api.record_sync((select id from conn), 'manual', 'completed', p_started_at => now() + interval '1 day') $$,
    '22023', null, 'a start in the future is refused');
select throws_ok($$ select api.record_sync((select id from conn), 'manual', 'completed', p_completed_at => now() - interval '1 day') $$,
    '22023', null, 'a completion before the start is refused');
select isnt(api.record_sync((select id from conn), 'manual', 'completed', 7, 30, p_total_value => 1234.5), null,
    'record_sync logs a completed sync');
select is((select status || ' ' || holdings_count || ' ' || total_value::numeric from auth.platform_connections
    where id = (select id from conn)), 'connected 7 1234.50000000', 'a completed sync updates the connection');
select lives_ok($$ select api.record_sync((select id from conn), 'auto', 'failed', p_error_message => 'timeout') $$,
    'a failed sync is logged');
select is((select status from auth.platform_connections where id = (select id from conn)), 'error',
    'a failed sync marks the connection in error');
select is((select api_key || ' ' || api_secret || ' ' || (additional_auth ->> 'passphrase')
    from api.platform_credentials((select id from conn))), 'AK-123 SECRET-456 pp', 'the owner reads the plaintext');
select ok(exists (select from audit.log where event = 'credentials_read'), 'reading credentials is audited');
select is((select count(*)::int from audit.log where table_name = 'platform_credentials'
    and new_row ->> 'api_key_encrypted' = '[redacted]'), 1, 'the audit row of the credentials is redacted');
select is(auth.rotate_data_key(), 2, 'rotate_data_key re-encrypts every encrypted row (a tax id, a credential)');
select is((select api_key from api.platform_credentials((select id from conn))), 'AK-123',
    'credentials decrypt under the new key');
select throws_ok($$ select auth.rotate_data_key('too short') $$, '22023', null, 'a short data key is refused');
select pg_temp.act('bob');
select throws_ok($$ select * from api.platform_credentials((select id from conn)) $$, '42501', null,
    'another user cannot read the credentials');
select throws_ok($$ select api.disconnect_platform((select id from conn)) $$, '42501', null,
    'another user cannot disconnect it');
select throws_ok($$ select api.record_sync((select id from conn), 'manual', 'pending') $$, '42501', null,
    'another user cannot log a sync');
select throws_ok($$ select api.disconnect_platform('00000000-0000-0000-0000-000000000000') $$, 'P0002', null,
    'an unknown connection is not found');
select pg_temp.act('alice');
select throws_ok($$ select * from api.platform_credentials((select id from conn)) $$, '42501', null,
    'support staff acting as the owner cannot read the credentials');
select pg_temp.auth('alice2');
select lives_ok($$ select api.disconnect_platform((select id from conn)) $$, 'the owner disconnects');
select lives_ok($$ select api.disconnect_platform((select id from conn)) $$, 'disconnecting twice is a no-op');
select ok(not exists (select from auth.platform_credentials where connection_id = (select id from conn)),
    'disconnecting deletes the credentials');
select throws_ok($$ select * from api.platform_credentials((select id from conn)) $$, 'P0002', null,
    'a disconnected connection has no credentials');
select throws_ok($$ select api.record_sync((select id from conn), 'manual', 'pending') $$, '22023', null,
    'a disconnected connection takes no sync');
select isnt(api.connect_platform('binance', 'k2', 's2'), null, 'after disconnecting, the platform can be connected again');
select pg_temp.anonymous();
select throws_ok($$ select api.connect_platform('x1', 'k', 's') $$, 'TB008', null, 'connect_platform needs a user');


-- updated_at and soft delete ----------------------------------------------------------------------
update auth.users set updated_at = '2000-01-01' where username = 'carol';
select is((select updated_at from auth.users where username = 'carol'), now(), 'updated_at is maintained by trigger');
insert into tokens values ('carol_last', api.login('carol', 'new password 42'));
select pg_temp.auth('carol_last');
select throws_ok($$ select api.delete_account('wrong password') $$, 'TB001', null, 'delete_account re-checks the password');
select lives_ok($$ select api.delete_account('new password 42') $$, 'delete_account succeeds');
select ok((select not is_active and deleted_at is not null from auth.users where username = 'carol'),
    'the user is soft-deleted');
select is(app.current_user_id(), null, 'and the context is cleared');
select throws_ok($$ select api.authenticate((select token from tokens where name = 'carol_last')) $$, 'TB003', null,
    'the deleted user''s sessions are revoked');
select is(api.login('carol', 'new password 42'), null, 'and the password no longer works');
select throws_ok($$ select api.delete_account('x') $$, 'TB008', null, 'delete_account needs a user');

select is_empty('select * from ops.verify_invariants()', 'no invariant is violated');
delete from auth.user_preferences where user_id = pg_temp.uid('bob');
select is((select detail from ops.verify_invariants() where invariant = 'auth_users_complete'),
    format('user %s has no user_preferences row', pg_temp.uid('bob')), 'a user without preferences is reported');

select * from finish();
rollback;
