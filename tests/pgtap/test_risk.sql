-- The seven pre-trade risk rules: each rejects an order with the rule in its reason, records a
-- violation and an alert and notifies the user; orders within the limit pass. Plus the rule and
-- notification api.
begin;
select plan(32);

insert into auth.users (email, username) values ('risk-r@example.com', 'risk_r');
create temporary table t as
select
    u.id as u,
    (select a.id from trading.accounts as a where a.user_id = u.id) as a
from auth.users as u where u.username = 'risk_r';
do $$ begin perform api.act_as((select u from t)); end $$;
do $$ begin perform api.upsert_security('RSK', 'Risky', 'stock'); end $$;
do $$ begin perform api.record_price('RSK', 100, now() - interval '1 hour'); end $$;
create function pg_temp.trade(p_side text, p_quantity numeric) returns text language sql as $f$
    select o.status || coalesce(': ' || o.reject_reason, '')
    from api.execute_paper_trade((select a from t), 'RSK', p_side, p_quantity) as o
$f$;
create function pg_temp.only_rule(p_type text, p_threshold numeric, p_per_user boolean default false) returns uuid
language sql as $f$
    update risk.rules set is_active = false;
    select api.create_risk_rule(p_type, p_threshold, case when p_per_user then null else (select a from t) end);
$f$;

-- MAX_ORDER_NOTIONAL 5000: 60 x 100 is too much, 50 x 100 is not.
do $$ begin perform pg_temp.only_rule('max_order_notional', 5000); end $$;
select matches(pg_temp.trade('buy', 60), '^rejected: risk rule MAX_ORDER_NOTIONAL: 6000\.0+ against a limit of 5000\.0+$',
    'an order above the notional limit is rejected with the rule in its reason');
select results_eq(
    $$ select v.rule_type, v.observed::numeric, v.threshold::numeric, o.status::text
       from risk.violations as v inner join trading.orders as o on v.order_id = o.id $$,
    $$ values ('MAX_ORDER_NOTIONAL'::text, 6000::numeric, 5000::numeric, 'rejected'::text) $$,
    'the violation names the rule, its threshold, the observed value and the rejected order'
);
select is((select count(*)::integer from risk.alerts where user_id = (select u from t)), 1, 'a risk alert was raised');
select results_eq(
    $$ select kind::text from notify.events where user_id = (select u from t) order by created_at, kind $$,
    $$ values ('order_rejected'::text), ('risk_alert') $$, 'the user is notified of the alert and the rejection'
);
select is(pg_temp.trade('buy', 50), 'filled', 'an order at the limit passes');

-- MAX_POSITION_SIZE 60, for every account of the user: 50 + 11 is too many, 50 + 10 is not.
do $$ begin perform pg_temp.only_rule('MAX_POSITION_SIZE', 60, true); end $$;
select matches(pg_temp.trade('buy', 11), '^rejected: risk rule MAX_POSITION_SIZE: 61\.0+ against', 'a position above 60');
select is(pg_temp.trade('buy', 10), 'filled', 'a position of exactly 60');
select is(pg_temp.trade('sell', 5), 'filled', 'reducing a position is always allowed');

-- MAX_ORDERS_PER_DAY 3: three orders went through today, the fourth is one too many.
do $$ begin perform pg_temp.only_rule('MAX_ORDERS_PER_DAY', 3); end $$;
select matches(pg_temp.trade('buy', 1), '^rejected: risk rule MAX_ORDERS_PER_DAY: 4 against a limit of 3\.0+$',
    'the fourth order of the day');

-- MAX_POSITION_PCT 0.5: equity is 100000; 55 + 450 units at 100 would be 50.5 percent of it.
do $$ begin perform pg_temp.only_rule('MAX_POSITION_PCT', 0.5); end $$;
select matches(pg_temp.trade('buy', 450), '^rejected: risk rule MAX_POSITION_PCT: 0\.505', 'a position above half the equity');
select is(pg_temp.trade('buy', 1), 'filled', 'a position within half the equity');

-- MAX_DAILY_LOSS 100: selling 56 at 90 realizes -560 today; new exposure is refused after that.
do $$ begin perform pg_temp.only_rule('MAX_DAILY_LOSS', 100); end $$;
do $$ begin perform api.record_price('RSK', 90, now() - interval '30 minutes'); end $$;
select is(pg_temp.trade('sell', 56), 'filled', 'closing a position is allowed under a loss limit');
select matches(pg_temp.trade('buy', 1), '^rejected: risk rule MAX_DAILY_LOSS: 560\.0+ against a limit of 100\.0+$',
    'after losing 560 today no new position');

-- MIN_CAPITAL_THRESHOLD 99000: cash is 99440; 10 x 90 would leave 98540, 4 x 90 leaves 99080.
do $$ begin perform pg_temp.only_rule('MIN_CAPITAL_THRESHOLD', 99000); end $$;
select is((select cash::numeric from trading.accounts where id = (select a from t)), 99440::numeric, 'cash after the trades');
select matches(pg_temp.trade('buy', 10), '^rejected: risk rule MIN_CAPITAL_THRESHOLD: 98540\.0+ against', 'too little capital left');
select is(pg_temp.trade('buy', 4), 'filled', 'enough capital left');

-- MAX_DRAWDOWN 0.004: equity 99080 + 4 x 90 = 99440 is 0.56 percent below the initial 100000.
do $$ begin perform pg_temp.only_rule('MAX_DRAWDOWN', 0.004); end $$;
select matches(pg_temp.trade('buy', 1), '^rejected: risk rule MAX_DRAWDOWN: 0\.0056', 'a drawdown beyond the limit');
select is((select count(*)::integer from risk.violations), 7, 'one violation per rejected order');

-- The api of rules and notifications (made from the events by the notifications consumer).
do $$ begin perform notify.consume('notifications', 100000); end $$;
select results_eq(
    $$ select rule_type, violations from api.risk_rules where rule_type = 'MAX_ORDER_NOTIONAL' $$,
    $$ values ('MAX_ORDER_NOTIONAL'::text, 1::bigint) $$, 'api.risk_rules counts violations per rule'
);
select throws_ok($$ select api.create_risk_rule('MAX_LEVERAGE', 2) $$, '22023', null, 'unknown rule types are refused');
select throws_ok($$ select api.create_risk_rule('MAX_ORDER_NOTIONAL', 0) $$, '22023', null, 'thresholds are positive');
select throws_ok($$ select api.create_risk_rule('MAX_DRAWDOWN', 1.5) $$, '22023', null, 'fractions are at most 1');
select throws_ok($$ select api.create_risk_rule('MAX_ORDER_NOTIONAL', 10, gen_random_uuid()) $$, 'P0002', null,
    'unknown account');
select is(
    api.mark_notifications_read(array(select id from api.notifications where kind = 'risk_alert')), 7,
    'marking the risk alerts read'
);
select is(
    api.mark_notifications_read(array(select id from api.notifications where kind = 'risk_alert')), 0,
    'marking them again changes nothing'
);
select ok((select count(*) from api.notifications where kind = 'order_filled') > 0, 'fills notify the user');
select is(api.announce_events(), 20, 'the 20 events (6 fills, 7 rejections, 7 risk alerts) are announced in one batch');
select is(api.announce_events(), 0, 'nothing is left to announce');
select throws_ok($$ select api.announce_events(0) $$, '22023', null, 'the batch size is positive');

select is_empty('select * from ops.verify_invariants()', 'the books are consistent');

-- Without an acting user.
do $$ begin perform app.set_context(null, null, null); end $$;
select throws_ok($$ select api.create_risk_rule('MAX_ORDER_NOTIONAL', 10) $$, 'TB008', null, 'rules need a user');
select throws_ok($$ select api.mark_notifications_read('{}') $$, 'TB008', null, 'notifications need a user');

select * from finish();
rollback;
