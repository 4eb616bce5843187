-- The shared checks of the identity api: ownership of one object and password re-verification.
begin;
select plan(8);

create temp table ids as
select
    api.register_user('owner@example.com', 'owner', 'correct horse battery') as owner_id,
    api.register_user('other@example.com', 'other', 'battery staple horse') as other_id;
create function pg_temp.id(p_col text) returns uuid language plpgsql as $f$
declare v uuid;
begin
    execute format('select %I from ids', p_col) into v;
    return v;
end $f$;

-- assert_owner
select throws_ok($$ select auth.assert_owner('widget', gen_random_uuid(), pg_temp.id('owner_id')) $$, 'TB008', null,
    'an anonymous caller is refused first');
select lives_ok($$ select api.act_as(pg_temp.id('owner_id')) $$, 'act as the owner');
select lives_ok($$ select auth.assert_owner('widget', gen_random_uuid(), pg_temp.id('owner_id')) $$,
    'the owner passes');
select throws_ok($$ select auth.assert_owner('widget', '00000000-0000-0000-0000-000000000001', null) $$, 'P0002',
    'widget 00000000-0000-0000-0000-000000000001 does not exist', 'a missing object is not found');
select throws_ok($$ select auth.assert_owner('widget', '00000000-0000-0000-0000-000000000002', pg_temp.id('other_id')) $$,
    '42501', 'widget 00000000-0000-0000-0000-000000000002 belongs to another user', 'another user''s object is refused');

-- verify_password
select lives_ok($$ select auth.verify_password(pg_temp.id('owner_id'), 'correct horse battery') $$,
    'the right password passes');
select throws_ok($$ select auth.verify_password(pg_temp.id('owner_id'), 'wrong horse battery') $$, 'TB001', null,
    'a wrong password is refused');
select throws_ok($$ select auth.verify_password(gen_random_uuid(), 'correct horse battery') $$, 'TB001', null,
    'an unknown user is refused the same way');

select * from finish();
rollback;
