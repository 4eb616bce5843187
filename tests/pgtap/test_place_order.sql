-- The one placement path (trading.place_order) and its actors: a user's own order (owner), support
-- staff's (support), a system actor's (app.act_as_system) with its source and cause, each error
-- place_order documents, what a system actor may and may not do, how its actions are audited,
-- ops.run_job acting as the job's actor, the shared lot-closing routine (trading.close_lots) and
-- the invariant that orders name known actors. Runs as the superuser (the owner's rights); the
-- logins that may not assume a system actor are proven in tests/python/test_system_actors.py.
begin;
select plan(41);

do $$ begin perform api.register_user('po-a@example.com', 'po_a', 'correct horse 1'); end $$;
create temporary table t as
select
    u.id as ua,
    (select a.id from trading.accounts as a where a.user_id = u.id) as a,
    api.login('po_a', 'correct horse 1') as token
from auth.users as u where u.username = 'po_a';
create temporary table o (name text primary key, id uuid);
create function pg_temp.keep(p_name text, p_order trading.orders) returns uuid language sql as $f$
    insert into o values (p_name, p_order.id) returning p_order.id
$f$;
create function pg_temp.o(p_name text) returns uuid language sql as $f$ select id from o where name = p_name $f$;
-- trading.place_order for the test's account, locked as its callers lock it.
create function pg_temp.place(
    p_side text, p_quantity numeric, p_source text, p_cause uuid default null, p_symbol text default 'PLC',
    p_client_order_id text default null
) returns trading.orders language sql as $f$
    select trading.place_order(
        (select a from trading.accounts as a where a.id = (select t.a from t) for update),
        p_symbol, p_side, p_quantity, 'market', null, null, 'day', p_client_order_id, p_source, p_cause
    )
$f$;

do $$ begin perform api.upsert_security('PLC', 'Placed', 'stock'); end $$;
do $$ begin perform api.record_price('PLC', 100, now() - interval '1 minute'); end $$;

-- 1. A person's order through the api: the owner by session token, manual, no cause.
do $$ begin perform api.authenticate((select token from t)); end $$;
insert into o select 'own', r.id from api.execute_paper_trade((select a from t), 'plc', 'buy', 3) as r;
select results_eq(
    $$ select status::text, placed_by, source::text, cause_id from trading.orders where id = pg_temp.o('own') $$,
    $$ values ('filled'::text, 'owner'::text, 'manual'::text, null::uuid) $$,
    'a user''s own order is placed by owner, source manual, without a cause'
);
select results_eq(
    $$ select placed_by, source::text from api.orders where id = pg_temp.o('own') $$,
    $$ values ('owner'::text, 'manual'::text) $$,
    'api.orders shows who placed the order and why'
);
select throws_ok(
    $$ select pg_temp.place('buy', 1, 'auto_invest', gen_random_uuid()) $$, '22023', null,
    'a person may not place an order for a system source'
);

-- 2. Support staff acting as the user (api.act_as), and an operator's session without a context.
do $$ begin perform api.act_as((select ua from t)); end $$;
insert into o select 'support', r.id from api.execute_paper_trade((select a from t), 'PLC', 'buy', 1) as r;
select is((select placed_by from trading.orders where id = pg_temp.o('support')), 'support',
    'an administrator acting for the user places as support');
do $$ begin perform app.set_context(null, null, null); end $$;
do $$ begin perform pg_temp.keep('operator', pg_temp.place('buy', 1, 'manual')); end $$;
select is((select placed_by from trading.orders where id = pg_temp.o('operator')), 'support',
    'an operator''s session without a context places as support');
select throws_ok(
    $$ select pg_temp.place('buy', 1, 'manual', gen_random_uuid()) $$, '22023', null,
    'a manual order has no cause'
);

-- 3. A system actor: no user, no scopes; its orders carry its name, source and cause.
select throws_ok($$ select app.act_as_system('nobody') $$, 'P0002', null, 'an unknown system actor is refused');
select throws_ok($$ select app.act_as_system(null) $$, 'P0002', null, 'a null system actor is refused');
select is(app.act_as_system('auto_invest'), 'auto_invest', 'the owner may act as a system actor');
select results_eq(
    $$ select user_id, via, scopes, actor from app.current_context() $$,
    $$ values (null::uuid, 'system'::text, '{}'::text [], 'auto_invest'::text) $$,
    'a system context has no user and no scopes'
);
select is(app.current_actor(), 'auto_invest', 'app.current_actor names it');
select is(app.current_user_id(), null, 'RLS sees no user for it');
select is(
    (select count(*)::integer from audit.log where event = 'system_actor_assumed' and actor = 'auto_invest'),
    1, 'assuming a system actor is audited under its name'
);
do $$ begin perform pg_temp.keep('plan', pg_temp.place('buy', 2, 'auto_invest', '00000000-0000-4000-8000-000000000001')); end $$;
select results_eq(
    $$ select status::text, filled_quantity::numeric, placed_by, source::text, cause_id from trading.orders
       where id = pg_temp.o('plan') $$,
    $$ values ('filled'::text, 2::numeric, 'auto_invest'::text, 'auto_invest'::text,
               '00000000-0000-4000-8000-000000000001'::uuid) $$,
    'a system actor''s order fills like any other and records actor, source and cause'
);
select results_eq(
    $$ select acting_user_id, detail ->> 'source', detail ->> 'status' from audit.log
       where event = 'order_placed' and actor = 'auto_invest' and detail ->> 'order_id' = pg_temp.o('plan')::text $$,
    $$ values ((select ua from t), 'auto_invest'::text, 'filled'::text) $$,
    'a system actor''s order is audited under its name, for the account''s user'
);
select is(
    (select count(*)::integer from audit.log where event = 'order_placed' and detail ->> 'order_id' = pg_temp.o('own')::text),
    0, 'a person''s order is its own record (placed_by), not an audit event'
);
select throws_ok(
    $$ select pg_temp.place('buy', 1, 'manual') $$, '22023', null,
    'a system actor places no manual orders'
);
select throws_ok(
    $$ select pg_temp.place('buy', 1, 'bogus', gen_random_uuid()) $$, '22023', null,
    'an unknown source is refused'
);
select throws_ok(
    $$ select pg_temp.place('buy', 1, 'fund', gen_random_uuid()) $$, '42501', null,
    'a fund order goes on a fund''s account only'
);
select throws_ok(
    $$ select pg_temp.place('buy', 1, null) $$, '22023', null,
    'a null source is refused'
);
select throws_ok(
    $$ select pg_temp.place('buy', 1, 'auto_invest', null, 'NOPE') $$, 'P0002', null,
    'an unknown symbol is refused'
);
select throws_ok(
    $$ select pg_temp.place('hold', 1, 'auto_invest') $$, '22023', null,
    'malformed arguments are refused as for a person'
);
select throws_ok(
    $$ select trading.place_order(
        (select a from trading.accounts as a where a.kind = 'system' limit 1), 'PLC', 'buy', 1, 'market', null, null,
        'day', null, 'auto_invest', null) $$,
    '42501', null, 'a system account does not trade'
);
select throws_ok(
    $$ select trading.place_order(null::trading.accounts, 'PLC', 'buy', 1, p_source => 'auto_invest') $$,
    '22023', null, 'an order needs an account'
);
do $$ begin perform pg_temp.keep('keyed', pg_temp.place('buy', 1, 'auto_invest', null, 'PLC', 'plan-run-1')); end $$;
select is((pg_temp.place('buy', 1, 'auto_invest', null, 'PLC', 'plan-run-1')).id, pg_temp.o('keyed'),
    'a retried client_order_id returns the first order');
select throws_ok(
    $$ select pg_temp.place('buy', 2, 'auto_invest', null, 'PLC', 'plan-run-1') $$, 'TB060', null,
    'a client_order_id reused with other arguments is refused'
);
select throws_ok(
    $$ select api.execute_paper_trade((select a from t), 'PLC', 'buy', 1) $$, 'TB010', null,
    'a system actor calls no api function: it has no scope'
);

-- 4. The placement rules hold for every write (trading.orders_guard_transition), and orders name known
-- actors (ops.invariant_orders_name_known_actors). A resting order of the system actor to change:
do $$ begin perform pg_temp.keep('resting', trading.place_order(
    (select a from trading.accounts as a where a.id = (select t.a from t) for update), 'PLC', 'buy', 1, 'limit', 1,
    null, 'gtc', null, 'auto_invest', null
)); end $$;
select throws_ok(
    $$ update trading.orders set placed_by = 'owner', source = 'manual' where id = pg_temp.o('resting') $$, '23514', null,
    'who placed an order and why never change'
);
create function pg_temp.insert_order(p_placed_by text, p_source text, p_cause uuid) returns void language sql as $f$
    insert into trading.orders (account_id, security_id, side, quantity, placed_by, source, cause_id)
    values ((select a from t), (select id from market.securities where symbol = 'PLC'), 'buy', 1, p_placed_by,
        p_source, p_cause)
$f$;
select throws_ok(
    $$ select pg_temp.insert_order('auto_invest', 'manual', null) $$, '23514', null,
    'a system actor''s order cannot pass for a person''s'
);
select throws_ok(
    $$ select pg_temp.insert_order('owner', 'fund', null) $$, '23514', null, 'a person''s order cannot pass for a fund''s'
);
select throws_ok(
    $$ select pg_temp.insert_order('owner', 'manual', gen_random_uuid()) $$, '23514', null, 'a manual order has no cause'
);
select throws_ok(
    $$ select pg_temp.insert_order('auto_invest', 'bogus', null) $$, '23514', null, 'the source is a known one'
);
-- An unknown actor can only be written with the trigger off.
set local session_replication_role = replica;
update trading.orders set placed_by = 'ghost' where id = pg_temp.o('resting');
set local session_replication_role = origin;
select results_eq(
    $$ select invariant from ops.verify_invariants() $$,
    $$ values ('orders_name_known_actors'::text) $$,
    'an order placed by an unknown actor breaks the invariant'
);
set local session_replication_role = replica;
update trading.orders set placed_by = 'auto_invest' where id = pg_temp.o('resting');
set local session_replication_role = origin;

-- 5. ops.run_job acts as the job's actor and gives the caller its context back.
do $$ begin perform app.act_as_system('fund_manager'); end $$;
select is(
    (select status from ops.run_job('expire_orders', now())), 'succeeded', 'a job runs from a system context'
);
select is(app.current_actor(), 'fund_manager', 'the caller''s context is back after the job');
select is(
    (select actor from audit.log where event = 'job_run' and detail ->> 'job' = 'expire_orders'),
    'scheduler', 'the job ran as its own actor, the scheduler'
);
do $$ begin perform app.set_context(null, null, null); end $$;
select is_empty($$ select * from ops.verify_invariants() $$, 'the invariants hold after the orders above');

-- 6. trading.close_lots, the one lot-closing routine: three lots of 2 at 10, 20, 30 (fees none).
do $$ begin perform api.upsert_security('LOT', 'Lots', 'stock'); end $$;
do $$ begin perform api.record_price('LOT', 10, now() - interval '50 seconds'); end $$;
do $$ begin perform api.execute_paper_trade((select a from t), 'LOT', 'buy', 2); end $$;
do $$ begin perform api.record_price('LOT', 20, now() - interval '40 seconds'); end $$;
do $$ begin perform api.execute_paper_trade((select a from t), 'LOT', 'buy', 2); end $$;
do $$ begin perform api.record_price('LOT', 30, now() - interval '30 seconds'); end $$;
do $$ begin perform api.execute_paper_trade((select a from t), 'LOT', 'buy', 2); end $$;
savepoint lots_closed_by_hand;
create temporary table closed as
select c.* from trading.close_lots(
    (select a from t), (select id from market.securities where symbol = 'LOT'), 3, 100, 3, now(), true
) as c;
-- Newest first: all of the 30 lot (cost 60) and half of the 20 lot (cost 20); 100 for 3 units shared
-- 66.66666667 and 33.33333333 (the last piece takes the remainder).
select results_eq(
    $$ select c.quantity::numeric, c.cost_basis::numeric, c.proceeds::numeric, c.realized_pnl::numeric
       from closed, unnest(closed.closures) as c $$,
    $$ values (2::numeric, 60::numeric, 66.66666667::numeric, 6.66666667::numeric),
              (1::numeric, 20::numeric, 33.33333333::numeric, 13.33333333::numeric) $$,
    'close_lots takes whole lots newest first, splits the last one''s cost and shares the cash by units'
);
select results_eq(
    $$ select closed_cost::numeric, closed_proceeds::numeric from closed $$,
    $$ values (80::numeric, 100::numeric) $$,
    'its totals are the closures'' sums, and the proceeds add up to the cash exactly'
);
select results_eq(
    $$ select l.open_quantity::numeric, l.cost_basis::numeric from trading.lots as l
       where l.security_id = (select id from market.securities where symbol = 'LOT') order by l.id $$,
    $$ values (2::numeric, 20::numeric), (1::numeric, 20::numeric), (0::numeric, 0::numeric) $$,
    'the lots keep what was not closed'
);
-- Closing lots by hand leaves the position behind them; back to before it.
rollback to savepoint lots_closed_by_hand;
select is_empty($$ select * from ops.verify_invariants() $$, 'the invariants hold at the end');

select * from finish();
rollback;
