-- Strategies and signals (issue 16 §1, docs/strategies.md): the public catalogue; strategy.checked_parameters
-- (defaults, and every rejection: unknown keys, wrong types, impossible values, per type); api.create_strategy,
-- api.update_strategy and api.record_signal with each error they document; the views api.strategies and
-- api.signals. RLS (another user's rows invisible) is proven as the app login in tests/python/test_backtests.py.
begin;
select plan(66);

insert into auth.users (email, username) values ('strat-a@example.com', 'strat_a'), ('strat-b@example.com', 'strat_b');
create temporary table t as
select
    (select id from auth.users where username = 'strat_a') as a,
    (select id from auth.users where username = 'strat_b') as b;
do $$ begin perform api.upsert_security('STRT', 'Strategy test', 'stock'); end $$;

-- 1. The public catalogue.
select ok(
    (select count(*) from strategy.strategies where user_id is null) >= 6, 'the migration seeds a public catalogue'
);
select is(
    (select parameters from strategy.strategies where user_id is null and name = 'RSI DMI Strategy'),
    '{"period": 14, "oversold": 30, "overbought": 70}'::jsonb, 'seed 002''s RSI strategy, with its parameters'
);
select is(
    (select symbols from strategy.strategies where user_id is null and name = 'RSI DMI Strategy'),
    '{RELIANCE,TCS,INFY}'::text [], 'and its symbols'
);

-- 2. strategy.checked_parameters.
select is(strategy.checked_parameters('sma_crossover', '{}'), '{"fast": 10, "slow": 20, "mode": "long_only"}'::jsonb,
    'sma_crossover: missing keys take the defaults');
select is(strategy.checked_parameters('sma_crossover', '{"fast": 5, "slow": 50, "mode": "long_short"}'),
    '{"fast": 5, "slow": 50, "mode": "long_short"}'::jsonb, 'sma_crossover: given keys are kept');
select is(strategy.checked_parameters('rsi_reversion', '{"period": 7}'),
    '{"period": 7, "oversold": 30, "overbought": 70}'::jsonb, 'rsi_reversion: defaults fill the rest');
select is(strategy.checked_parameters('rsi_reversion', '{"oversold": 20.5, "overbought": 80.25}') ->> 'oversold', '20.5',
    'rsi_reversion: thresholds may have decimals');
select is(strategy.checked_parameters('signals', '{}'), '{}'::jsonb, 'signals: no parameters');
select is(strategy.checked_parameters('ml', '{"model": "x", "layers": [1, 2]}'), '{"model": "x", "layers": [1, 2]}'::jsonb,
    'descriptive types keep any object');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', '{"fast": 10, "slower": 20}') $$, '22023',
    'parameter ''slower'' is unknown for a sma_crossover strategy', 'an unknown key');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', '{"fast": "10"}') $$, '22023',
    'parameter fast must be a number, got ''"10"''', 'a string where a number belongs');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', '{"fast": 20, "slow": 20}') $$, '22023',
    'parameter fast (20) must be below slow (20)', 'fast >= slow is impossible');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', '{"fast": 2.5}') $$, '22023', null,
    'a fractional window');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', '{"slow": 1e30}') $$, '22023', null,
    'a window beyond 1000 bars');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', '{"fast": 0}') $$, '22023', null,
    'a window of 0 bars');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', '{"mode": "short_only"}') $$, '22023', null,
    'an unknown mode');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', '{"mode": null}') $$, '22023', null,
    'a null mode');
select throws_ok($$ select strategy.checked_parameters('rsi_reversion', '{"period": 1}') $$, '22023', null,
    'an RSI period of 1');
select throws_ok($$ select strategy.checked_parameters('rsi_reversion', '{"oversold": 0}') $$, '22023', null,
    'an RSI threshold of 0');
select throws_ok($$ select strategy.checked_parameters('rsi_reversion', '{"overbought": 100}') $$, '22023', null,
    'an RSI threshold of 100');
select throws_ok($$ select strategy.checked_parameters('rsi_reversion', '{"oversold": 70, "overbought": 30}') $$,
    '22023', 'parameter oversold (70) must be below overbought (30)', 'oversold >= overbought');
select throws_ok($$ select strategy.checked_parameters('signals', '{"fast": 1}') $$, '22023', null,
    'a signals strategy takes no parameters');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', '[1, 2]') $$, '22023', null,
    'parameters that are not an object');
select throws_ok($$ select strategy.checked_parameters('sma_crossover', null) $$, '22023', null, 'null parameters');
select throws_ok($$ select strategy.checked_parameters('ai', jsonb_build_object('p', repeat('x', 10001))) $$, '22023',
    null, 'descriptive parameters beyond 10,000 characters');
select throws_ok($$ select strategy.checked_parameters('grid', '{}') $$, '22023', 'strategy type ''grid'' is unknown',
    'an unknown type');

-- 3. api.create_strategy, as user a.
do $$ begin perform api.act_as((select a from t)); end $$;
create temporary table s as
select
    api.create_strategy('my sma', 'sma_crossover', '{"fast": 5, "slow": 15, "mode": "long_short"}', 'mine',
        '{STRT,AAPL}', 'trend', 'HIGH', 2500, 12.5, 30) as sma,
    api.create_strategy('my signals', 'signals', '{}') as sig;
select results_eq(
    $$ select name, strategy_type, parameters, symbols, category, risk_level, min_capital::numeric,
              expected_annual_return_pct::numeric, expected_max_drawdown_pct::numeric, is_active, user_id
       from strategy.strategies where id = (select sma from s) $$,
    $$ values ('my sma'::text, 'sma_crossover'::text, '{"fast": 5, "slow": 15, "mode": "long_short"}'::jsonb,
              '{STRT,AAPL}'::text [], 'trend'::text, 'high'::text, 2500::numeric, 12.5::numeric, 30::numeric, true,
              (select a from t)) $$,
    'a strategy is created for the acting user with its fields (risk level lower-cased)'
);
select is((select parameters from strategy.strategies where id = (select sig from s)), '{}'::jsonb, 'a signals strategy');
select throws_ok($$ select api.create_strategy('x', 'sma_crossover', '{"fast": 30, "slow": 10}') $$, '22023', null,
    'create: invalid parameters');
select throws_ok($$ select api.create_strategy('x', 'quantum', '{}') $$, '22023', null, 'create: an unknown type');
select throws_ok($$ select api.create_strategy(null, 'momentum', '{}') $$, '22023', 'strategy name must not be null',
    'create: a null name');
select throws_ok($$ select api.create_strategy('   ', 'momentum', '{}') $$, '22023', null, 'create: a blank name');
select throws_ok($$ select api.create_strategy('my sma', 'momentum', '{}') $$, '22023',
    'you already have a strategy named ''my sma''', 'create: a name the user already gave a strategy');
select throws_ok($$ select api.create_strategy('x', 'momentum', '{}', p_symbols => '{aapl}') $$, '22023', null,
    'create: a symbol that is not an upper-case ticker');
select throws_ok($$ select api.create_strategy('x', 'momentum', '{}', p_symbols => array[null]::text []) $$, '22023',
    null, 'create: a null symbol');
select throws_ok($$ select api.create_strategy('x', 'momentum', '{}', p_risk_level => 'extreme') $$, '22023', null,
    'create: an unknown risk level');
select throws_ok($$ select api.create_strategy('x', 'momentum', '{}', p_min_capital => -1) $$, '22023', null,
    'create: a negative minimum capital');
select throws_ok($$ select api.create_strategy('x', 'momentum', '{}', p_expected_max_drawdown => 101) $$, '22023',
    null, 'create: a drawdown above 100 percent');
select throws_ok($$ select api.create_strategy('x', 'momentum', '{}', p_expected_annual_return => 'NaN') $$, '22023',
    null, 'create: a NaN expected return');
select throws_ok($$ select api.create_strategy('x', 'momentum', '{}', p_category => repeat('c', 51)) $$, '22023',
    null, 'create: a category beyond 50 characters');
select throws_ok($$ select api.create_strategy('x', 'momentum', '{}', repeat('d', 2001)) $$, '22023', null,
    'create: a description beyond 2,000 characters');

-- 4. api.update_strategy.
do $$ begin perform api.update_strategy((select sma from s), p_name => 'my sma 2', p_parameters => '{"fast": 3}',
    p_is_active => false); end $$;
select results_eq(
    $$ select name, parameters, is_active, category from strategy.strategies where id = (select sma from s) $$,
    $$ values ('my sma 2'::text, '{"fast": 3, "slow": 20, "mode": "long_only"}'::jsonb, false, 'trend'::text) $$,
    'update: given fields change (parameters are re-checked whole, with defaults), null ones stay'
);
select throws_ok($$ select api.update_strategy((select sma from s), p_parameters => '{"period": 14}') $$, '22023',
    'parameter ''period'' is unknown for a sma_crossover strategy', 'update: parameters are checked against its type');
select throws_ok($$ select api.update_strategy((select sma from s), p_name => 'my signals') $$, '22023', null,
    'update: a name taken by another of the user''s strategies');
select throws_ok($$ select api.update_strategy(null) $$, '22023', 'strategy id must not be null', 'update: a null id');
select throws_ok($$ select api.update_strategy('00000000-0000-0000-0000-000000000000') $$, 'P0002', null,
    'update: an unknown strategy');
select throws_ok(
    $$ select api.update_strategy((select id from strategy.strategies where user_id is null limit 1), p_name => 'x') $$,
    '42501', null, 'update: the public catalogue is changed by nobody'
);

-- 5. api.record_signal.
select ok(
    api.record_signal((select sig from s), 'STRT', 'BUY', '2024-01-02', 101.5, 0.75, 'model v1') > 0,
    'a signal is recorded'
);
select results_eq(
    $$ select strategy_id, symbol, signal_at, action, price::numeric, confidence::numeric, note from api.signals $$,
    $$ values ((select sig from s), 'STRT'::text, '2024-01-02'::timestamptz, 'buy'::text, 101.5::numeric, 0.75::numeric,
               'model v1'::text) $$,
    'api.signals shows it (action lower-cased)'
);
select throws_ok($$ select api.record_signal((select sig from s), 'STRT', 'sell', '2024-01-02') $$, '22023', null,
    'record_signal: a second signal at the same time');
select throws_ok($$ select api.record_signal((select sma from s), 'STRT', 'buy', '2024-01-03') $$, '22023', null,
    'record_signal: the strategy is not of type signals');
select throws_ok($$ select api.record_signal((select sig from s), 'STRT', 'hold') $$, '22023', null,
    'record_signal: an unknown action');
select throws_ok($$ select api.record_signal((select sig from s), null, 'buy') $$, '22023', null,
    'record_signal: a null symbol');
select throws_ok($$ select api.record_signal((select sig from s), 'NOPE', 'buy') $$, 'P0002', null,
    'record_signal: an unknown symbol');
select throws_ok($$ select api.record_signal((select sig from s), 'STRT', 'buy', now() + interval '1 day') $$, '22023',
    null, 'record_signal: a time ahead of the clock');
select throws_ok($$ select api.record_signal((select sig from s), 'STRT', 'buy', 'infinity') $$, '22023', null,
    'record_signal: an infinite time');
select throws_ok($$ select api.record_signal((select sig from s), 'STRT', 'buy', '2024-01-05', 0) $$, '22023', null,
    'record_signal: a price of 0');
select throws_ok($$ select api.record_signal((select sig from s), 'STRT', 'buy', '2024-01-05', 1, 1.5) $$, '22023',
    null, 'record_signal: a confidence above 1');
select throws_ok($$ select api.record_signal((select sig from s), 'STRT', 'buy', '2024-01-05', null, null,
    repeat('n', 501)) $$, '22023', null, 'record_signal: a note beyond 500 characters');
select throws_ok(
    $$ select api.record_signal((select id from strategy.strategies where user_id is null limit 1), 'STRT', 'buy') $$,
    '42501', null, 'record_signal: a public strategy'
);

-- 6. Another user (b): a's strategy is refused. (That b does not see it is proven as the app login in
-- tests/python/test_backtests.py: here the session is a superuser's, whom the policies let read all.)
do $$ begin perform api.act_as((select b from t)); end $$;
select throws_ok($$ select api.update_strategy((select sma from s), p_name => 'taken over') $$, '42501', null,
    'b may not change a''s strategy');
select throws_ok($$ select api.record_signal((select sig from s), 'STRT', 'sell', '2024-01-09') $$, '42501', null,
    'b may not record a''s signals');
select is((select count(*)::integer from strategy.strategies where user_id = (select b from t)), 0, 'b created nothing');
select ok((select count(*) from api.strategies where is_public) >= 6, 'api.strategies shows the public catalogue');

-- 7. Anonymous callers.
do $$ begin perform app.set_context(null, null, null); end $$;
select throws_ok($$ select api.create_strategy('anon', 'momentum', '{}') $$, 'TB008', null, 'create: anonymous');

select is((select count(*)::integer from ops.verify_invariants()), 0, 'the invariants hold');

select * from finish();
rollback;
