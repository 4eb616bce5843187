-- The event outbox: domain events are notify.events rows written with the change; the notifications and
-- wakeups consumers (notify.consume) act on each exactly once; their errors; the worker's wake-up.
begin;
select plan(33);

insert into auth.users (email, username) values ('outbox-o@example.com', 'outbox_o');
create temporary table t as
select
    u.id as u,
    (select a.id from trading.accounts as a where a.user_id = u.id) as a
from auth.users as u where u.username = 'outbox_o';
do $$ begin perform api.act_as((select u from t)); end $$;
do $$ begin perform api.upsert_security('OBX', 'Outbox', 'stock'); end $$;
do $$ begin perform api.record_price('OBX', 100, now() - interval '1 minute'); end $$;
create function pg_temp.trade(p_side text, p_quantity numeric, p_type text default 'market', p_limit numeric default null)
returns uuid language sql as $f$
    select o.id from api.execute_paper_trade((select a from t), 'OBX', p_side, p_quantity, p_type, p_limit) as o
$f$;
-- A test-only consumer: counts each event it sees.
create table pg_temp.seen (event_id bigint);
grant insert on pg_temp.seen to tradebase_owner;  -- notify.consume runs handlers as the owner
create function pg_temp.count_events(p_events notify.events []) returns void language sql as $f$
    insert into pg_temp.seen select e.id from unnest(p_events) as e
$f$;

-- Events are written with the change; no notification until a consumer runs.
do $$ begin perform pg_temp.trade('buy', 2); end $$;
do $$ begin perform pg_temp.trade('buy', 1000000000); end $$;
select results_eq(
    $$ select kind::text from notify.events where user_id = (select u from t) order by id $$,
    $$ values ('order_filled'::text), ('order_rejected') $$, 'a fill and a rejection are two outbox rows'
);
select ok(
    (select bool_and(xid = pg_current_xact_id()) from notify.events where user_id = (select u from t)),
    'each row carries its transaction''s xid'
);
select is((select count(*)::integer from notify.notifications where user_id = (select u from t)), 0,
    'the notification is a consumer''s output, not written on the order path');

-- The notifications consumer.
select is(notify.consume('notifications', 1), 1, 'one batch of one event');
select is(notify.consume('notifications'), 1, 'then the rest');
select is(notify.consume('notifications'), 0, 'nothing is processed twice');
select results_eq(
    $$ select n.kind::text, n.title, (n.data ->> 'quantity')::numeric, n.event_id = e.id
       from notify.notifications as n inner join notify.events as e on n.event_id = e.id
       where n.user_id = (select u from t) order by e.id $$,
    $$ values ('order_filled'::text, 'Order filled'::text, 2::numeric, true), ('order_rejected', 'Order rejected', null, true) $$,
    'one notification per event, made from it'
);
select is(
    (select count(*)::integer from notify.deliveries where consumer = 'notifications'
        and event_id in (select id from notify.events where user_id = (select u from t))), 2,
    'events of a running transaction are recorded as delivered (the cursor cannot pass them yet)'
);

select throws_ok(
    $$ select notify.make_notifications(array(select e from notify.events as e where e.user_id = (select u from t) order by e.id limit 1)) $$,
    '23505', null, 'a second notification for one event is refused (notifications_event_uk)'
);

-- The wakeups consumer comes after notifications, and sends the notification ids.
do $$ begin perform pg_temp.trade('buy', 1); end $$;
select is(notify.consume('wakeups'), 2, 'wakeups sees only the events notifications has processed');
select is(notify.consume('wakeups'), 0, 'and each once');
select is(
    (select count(*)::integer from notify.notifications where user_id = (select u from t) and announced_at is not null), 2,
    'the announced notifications are stamped'
);
select is(notify.announce_pending(), 1, 'notify.announce_pending runs both consumers once: the third fill');
select is(api.announce_events(), 0, 'api.announce_events likewise; nothing left');

-- Canceled, expired and risk events.
do $$ begin perform pg_temp.trade('buy', 1, 'limit', 50); end $$;
select is((select count(*)::integer from notify.events where user_id = (select u from t)), 3,
    'a resting order is no event');
update trading.orders set expires_at = now() - interval '1 second'
where account_id = (select a from t) and status = 'new';
select is(api.expire_orders(), 1, 'the day order expires');
select results_eq(
    $$ select kind::text, data ->> 'order_id' from notify.events where user_id = (select u from t) order by id desc limit 1 $$,
    $$ select 'order_expired'::text, id::text from trading.orders where status = 'expired' $$,
    'expiry is an event'
);
do $$ begin perform api.create_risk_rule('MAX_ORDER_NOTIONAL', 50, (select a from t)); end $$;
do $$ begin perform pg_temp.trade('buy', 1); end $$;
select results_eq(
    $$ select kind::text from notify.events where user_id = (select u from t) order by id desc limit 2 $$,
    $$ values ('order_rejected'::text), ('risk_alert') $$, 'a risk rule''s rejection: the alert and the rejection'
);
select is(notify.announce_pending(), 3, 'the three new events are announced');

-- A consumer registered later starts at the beginning, sees each event once, even across batches.
insert into notify.consumers (name, handler, description) values ('test_seen', 'pg_temp.count_events', 'test');
select is(notify.consume('test_seen', 4), 4, 'a batch is at most p_limit events');
select ok(notify.consume('test_seen', 100000) >= 2, 'the rest in the next');
select is(
    (select count(*)::integer from pg_temp.seen), (select count(*)::integer from notify.events),
    'every event once'
);
select is((select count(distinct event_id)::integer from pg_temp.seen), (select count(*)::integer from pg_temp.seen),
    'none twice');

-- Errors.
select throws_ok($$ select notify.consume('nobody') $$, 'P0002', null, 'an unknown consumer');
select throws_ok($$ select notify.consume('notifications', 0) $$, '22023', null, 'the batch size is positive');
select throws_ok($$ select notify.consume('notifications', null) $$, '22023', null, 'a batch size is required');
select throws_ok($$ select notify.announce_pending(0) $$, '22023', null, 'announce_pending: a positive batch size');

-- What tradebase worker runs, and as whom.
select results_eq(
    $$ select name, after_consumer from notify.runnable_consumers() where name in ('notifications', 'wakeups') $$,
    $$ values ('notifications'::text, null::text), ('wakeups', 'notifications') $$,
    'notify.runnable_consumers: the enabled consumers and whom each runs after'
);
select ok(
    has_function_privilege('tradebase_worker', 'notify.consume(text, integer)', 'execute')
    and has_function_privilege('tradebase_worker', 'notify.runnable_consumers()', 'execute')
    and not has_table_privilege('tradebase_worker', 'notify.events', 'select'),
    'tradebase_worker may run the consumers and read no table'
);
select ok(
    not has_function_privilege('tradebase_app', 'notify.consume(text, integer)', 'execute'),
    'apps may not run a consumer'
);

-- notify.publish and notify.wake_worker.
select ok(
    notify.publish((select u from t), 'system', 'info', 'Hello', 'A test event', null, false) > 0,
    'notify.publish writes an event and returns its id'
);
select lives_ok($$ select notify.wake_worker() $$, 'notify.wake_worker sends an empty notify');

select is_empty('select * from ops.verify_invariants()', 'the books are consistent');
select * from finish();
rollback;
