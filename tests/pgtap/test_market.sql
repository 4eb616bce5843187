-- Market data: tables and their checks, api.upsert_security, api.record_price, market.convert,
-- market.bars, market.latest_price, the import parsers and the partition registry.
begin;
select plan(78);

-- Tables and keys.
select has_table('market', 'securities', 'market.securities exists');
select has_table('market', 'quotes', 'market.quotes exists');
select has_table('market', 'benchmarks', 'market.benchmarks exists');
select has_table('market', 'fx_rates', 'market.fx_rates exists');
select is(
    (select c.relkind::text from pg_class as c where c.oid = 'market.market_data'::regclass), 'p',
    'market.market_data is partitioned'
);
select col_is_pk('market', 'market_data', array['security_id', 'timeframe', 'ts'], 'bars are keyed by security, timeframe, ts');
select is(
    (select partition_interval from ops.partitioned_tables where parent_table = 'market.market_data'), 'month',
    'market.market_data is registered monthly'
);
select ok(
    exists(select from ops.partition_children('market.market_data') where is_default),
    'migrate gave market.market_data its default partition'
);

select is(
    (
        select count(*) from ops.partition_children('market.market_data')
        where not is_default and upper_bound is distinct from lower_bound + interval '1 month'
    ),
    0::bigint,
    'partition_children reads every monthly child''s real bounds'
);
select is(
    (select count(*) from ops.partition_children('market.market_data') where is_default and lower_bound is null),
    1::bigint,
    'the default partition has no bounds'
);

-- api.upsert_security: insert, then update by symbol.
select ok(api.upsert_security(' tst ', 'Test Corp', 'stock', 'NYSE') is not null, 'upsert_security creates a security');
select results_eq(
    $$ select symbol, name, asset_type, exchange, currency, fractionable from market.securities where symbol = 'TST' $$,
    $$ values ('TST'::text, 'Test Corp'::text, 'stock'::text, 'NYSE'::text, 'USD'::text, true) $$,
    'the symbol is trimmed and upper-cased, currency defaults to USD'
);
select is(
    api.upsert_security('TST', 'Test Corporation', 'etf', null, 'eur', false),
    (select id from market.securities where symbol = 'TST'),
    'upserting the same symbol returns the same id'
);
select results_eq(
    $$ select name, asset_type, exchange, currency, fractionable from market.securities where symbol = 'TST' $$,
    $$ values ('Test Corporation'::text, 'etf'::text, null::text, 'EUR'::text, false) $$,
    'upsert_security updates the descriptive fields'
);
select throws_ok($$ select api.upsert_security('', 'x', 'stock') $$, '22023', null, 'an empty symbol is refused');
select throws_ok($$ select api.upsert_security('A B', 'x', 'stock') $$, '22023', null, 'a symbol with a space is refused');
select throws_ok($$ select api.upsert_security(null, 'x', 'stock') $$, '22023', null, 'a null symbol is refused');
select throws_ok($$ select api.upsert_security('OK', ' ', 'stock') $$, '22023', null, 'an empty name is refused');
select throws_ok($$ select api.upsert_security('OK', 'x', 'warrant') $$, '22023', null, 'an unknown asset type is refused');
select throws_ok($$ select api.upsert_security('OK', 'x', 'stock', null, 'US') $$, '22023', null, 'a bad currency is refused');

-- Only an administrator (or the owner) defines securities and records prices.
create temporary table seen_errors (call text, sqlstate text);
grant all on seen_errors to public;
set local session authorization tb_test_app;
do $$
begin
    perform api.upsert_security('APP', 'App Inc', 'stock');
exception when others then
    insert into seen_errors values ('upsert_security', sqlstate);
end $$;
do $$
begin
    perform api.record_price('TST', 10);
exception when others then
    insert into seen_errors values ('record_price', sqlstate);
end $$;
reset session authorization;
select results_eq(
    'select call, sqlstate from seen_errors order by call',
    $$ values ('record_price'::text, '42501'::text), ('upsert_security', '42501') $$,
    'the app role may neither define securities nor record prices'
);

-- api.record_price: the quote moves forward, never back.
select is(api.record_price('tst', 10.5, '2026-01-02 10:00+00', 10.4, 10.6, 500), 0, 'record_price returns 0 filled orders');
select results_eq(
    $$ select q.price::numeric, q.bid::numeric, q.ask::numeric, q.volume::numeric, q.quoted_at from market.quotes as q
       inner join market.securities as s on q.security_id = s.id where s.symbol = 'TST' $$,
    $$ values (10.5::numeric, 10.4::numeric, 10.6::numeric, 500::numeric, timestamptz '2026-01-02 10:00+00') $$,
    'record_price stores the quote'
);
select lives_ok($$ select api.record_price('TST', 11, '2026-01-02 11:00+00') $$, 'a newer price is recorded');
select lives_ok($$ select api.record_price('TST', 9, '2026-01-02 09:00+00') $$, 'an older price is accepted');
select is(
    (select q.price::numeric from market.quotes as q inner join market.securities as s on q.security_id = s.id where s.symbol = 'TST'),
    11::numeric, 'an older price does not overwrite a newer quote'
);
select throws_ok($$ select api.record_price('NOPE', 1) $$, 'P0002', null, 'an unknown symbol is not found');
update market.securities set is_active = false where symbol = 'TST';
select throws_ok($$ select api.record_price('TST', 1) $$, 'TB020', null, 'an inactive security takes no price');
update market.securities set is_active = true where symbol = 'TST';
select throws_ok($$ select api.record_price('TST', 0) $$, '22023', null, 'a zero price is refused');
select throws_ok($$ select api.record_price('TST', null) $$, '22023', null, 'a null price is refused');
select throws_ok($$ select api.record_price('TST', 'NaN') $$, '22023', null, 'a NaN price is refused');
select throws_ok($$ select api.record_price('TST', 1e20) $$, '22023', null, 'an out-of-range price is refused, not overflowed');
select throws_ok($$ select api.record_price('TST', 1, null) $$, '22023', null, 'a null time is refused');
select throws_ok($$ select api.record_price('TST', 1, 'infinity') $$, '22023', null, 'an infinite time is refused');
select throws_ok($$ select api.record_price('TST', 1, now(), 2, 1) $$, '22023', null, 'bid above ask is refused');
select throws_ok($$ select api.record_price('TST', 1, now(), -1, 1) $$, '22023', null, 'a negative bid is refused');
select throws_ok($$ select api.record_price('TST', 1, now(), null, null, -5) $$, '22023', null, 'a negative volume is refused');

-- Table checks.
select throws_ok(
    $$ insert into market.securities (symbol, name, asset_type) values ('lower', 'x', 'stock') $$,
    '23514', null, 'securities_symbol_is_upper_case_ticker_ck'
);
select throws_ok(
    $$ insert into market.securities (symbol, name, asset_type, isin) values ('ISN', 'x', 'stock', 'US123') $$,
    '23514', null, 'securities_isin_format_ck'
);
select throws_ok(
    $$ insert into market.securities (symbol, name, asset_type, lot_size) values ('LOT', 'x', 'stock', 0) $$,
    '23514', null, 'securities_lot_size_positive_ck'
);
select throws_ok(
    $$ insert into market.securities (symbol, name, asset_type, metadata) values ('MD', 'x', 'stock', '[]') $$,
    '23514', null, 'securities_metadata_is_object_ck'
);
select throws_ok(
    $$ insert into market.securities (symbol, name, asset_type) values ('TST', 'x', 'stock') $$,
    '23505', null, 'securities_symbol_uk'
);
create temporary table tst as select id from market.securities where symbol = 'TST';
select throws_ok(
    $$ insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
       select id, '2d', '2026-01-05', 1, 1, 1, 1 from tst $$,
    '23514', null, 'market_data_timeframe_known_ck'
);
select throws_ok(
    $$ insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
       select id, '1d', '2026-01-05', 0, 1, 0, 1 from tst $$,
    '23514', null, 'market_data_prices_positive_ck'
);
select throws_ok(
    $$ insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
       select id, '1d', '2026-01-05', 2, 1.5, 1, 1 from tst $$,
    '23514', null, 'market_data_high_is_highest_ck'
);
select throws_ok(
    $$ insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
       select id, '1d', '2026-01-05', 2, 3, 2.5, 3 from tst $$,
    '23514', null, 'market_data_low_is_lowest_ck'
);
select throws_ok(
    $$ insert into market.market_data (security_id, timeframe, ts, open, high, low, close, volume)
       select id, '1d', '2026-01-05', 2, 3, 1, 2, -1 from tst $$,
    '23514', null, 'market_data_volume_not_negative_ck'
);
select throws_ok(
    $$ insert into market.market_data (security_id, timeframe, ts, open, high, low, close, vwap)
       select id, '1d', '2026-01-05', 2, 3, 1, 2, 4 from tst $$,
    '23514', null, 'market_data_vwap_within_range_ck'
);
select throws_ok(
    $$ insert into market.quotes (security_id, price, bid, ask, quoted_at) select id, 1, 2, 1, now() from tst $$,
    '23514', null, 'quotes_bid_not_above_ask_ck'
);
select throws_ok(
    $$ insert into market.fx_rates values ('USD', 'USD', now(), 1) $$, '23514', null, 'fx_rates_pair_differs_ck'
);
select throws_ok(
    $$ insert into market.benchmarks (symbol, name, benchmark_type) values ('B', 'x', 'other') $$,
    '23514', null, 'benchmarks_type_known_ck'
);
select throws_ok(
    $$ insert into ops.partitioned_tables (parent_table, key_column, retention_mode) values ('a.b', 'ts', 'archive') $$,
    '23514', null, 'partitioned_tables_archive_needs_schema_ck'
);

-- market.bars and market.latest_price.
insert into market.market_data (security_id, timeframe, ts, open, high, low, close, volume)
select tst.id, '1d', d, 20, 22, 19, 21, 100
from tst cross join generate_series(timestamptz '2025-12-30', '2026-01-03', interval '1 day') as d;
select results_eq(
    $$ select ts, close from market.bars('TST', '1d', '2025-12-31', '2026-01-02') $$,
    $$ values (timestamptz '2025-12-31', 21::numeric), (timestamptz '2026-01-01', 21::numeric) $$,
    'bars returns [from, to) oldest first'
);
select is_empty($$ select * from market.bars('NOPE', '1d', '-infinity', 'infinity') $$, 'an unknown symbol has no bars');
select is(market.latest_price('TST', '2026-01-02 11:30+00'), 11::numeric, 'the quote when it is the newest observation');
select is(market.latest_price('TST', '2026-01-02 10:30+00'), 21::numeric, 'else the newest bar''s close at or before p_at');
select is(market.latest_price('TST', '2020-01-01'), null, 'nothing known before the first observation');
select is(market.latest_price('TST'), 21::numeric, 'by default the newest observation now (here a bar)');

-- market.convert.
insert into market.fx_rates values
('EUR', 'USD', '2026-01-01', 1.1), ('EUR', 'USD', '2026-02-01', 1.2), ('USD', 'JPY', '2026-01-01', 150);
select is(market.convert(100, 'USD', 'USD'), 100::numeric, 'same currency converts to itself');
select is(market.convert(100, 'EUR', 'USD', '2026-01-15'), 110.00000000, 'the rate in force at p_at');
select is(market.convert(100, 'EUR', 'USD', '2026-03-01'), 120.00000000, 'the newest rate');
select is(market.convert(300, 'JPY', 'USD', '2026-01-15'), 2.00000000, 'the inverse pair');
select throws_ok($$ select market.convert(1, 'usd', 'EUR') $$, '22023', null, 'currency codes are validated');
select throws_ok($$ select market.convert(1, 'EUR', 'USD', '2025-01-01') $$, 'P0002', null, 'no rate known yet');
select throws_ok($$ select market.convert(1, 'EUR', 'GBP') $$, 'P0002', null, 'no rate for the pair');

-- Import parsers never fail on bad text.
select is(market.parse_number(' 12.50 '), 12.50::numeric, 'parse_number reads a decimal');
select is(market.parse_number('1e3'), 1000::numeric, 'parse_number reads an exponent');
select is(market.parse_number('abc'), null, 'parse_number: not a number gives null');
select is(market.parse_number('1e16'), null, 'parse_number: too large gives null');
select is(market.parse_bar_time('2024-03-05'), timestamptz '2024-03-05 00:00+00', 'a date is midnight UTC');
select is(market.parse_bar_time('2024-03-05T14:30:15.5Z'), timestamptz '2024-03-05 14:30:15.5+00', 'an ISO timestamp');
select is(market.parse_bar_time('2024-03-05 14:30-05:00'), timestamptz '2024-03-05 19:30+00', 'an offset is applied');
select is(market.parse_bar_time('2024-02-29'), timestamptz '2024-02-29 00:00+00', 'a leap day');
select is(market.parse_bar_time('2023-02-29'), null, 'no leap day in 2023');
select is(market.parse_bar_time('2024-13-01'), null, 'no month 13');
select is(market.parse_bar_time('2024-01-01 24:00'), null, 'no hour 24');
select is(market.parse_bar_time('yesterday'), null, 'words are not dates');

select is_empty('select * from ops.verify_invariants()', 'no invariant is violated');

select * from finish();
rollback;
