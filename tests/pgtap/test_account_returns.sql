-- Account returns that flows do not distort (issue 15 §2, docs/returns.md): daily snapshots of past days
-- valued as they stood (units from fills by filled_at, cash from postings, prices from the bars and quote
-- at or before the day's end) with the day's net external flow; analytics.account_daily_returns,
-- analytics.account_returns (time-weighted and money-weighted) and analytics.xirr, with every documented
-- error. History is made through the api now and moved back in time (posted_at, filled_at) in the order
-- it happened, so every balance_after still follows its account's postings.
begin;
select plan(54);

-- Day k of the ten-day history is current_date - 12 + k (days 1 .. 10 end two days before today).
create function pg_temp.day(p_k integer) returns date language sql as $f$ select current_date - 12 + p_k $f$;
create function pg_temp.at(p_k integer, p_time text) returns timestamptz language sql as $f$
    select (pg_temp.day(p_k)::text || ' ' || p_time || '+00')::timestamptz
$f$;
create temporary table acct (name text primary key, id uuid);
create function pg_temp.acct(p_name text) returns uuid language sql as $f$ select id from acct where name = p_name $f$;
-- Move a journal (and the fill it settles, if any) to another time.
create function pg_temp.move_journal(p_journal bigint, p_at timestamptz) returns void language sql as $f$
    update trading.transactions set posted_at = p_at where journal_id = p_journal
$f$;
create function pg_temp.trade(p_name text, p_symbol text, p_side text, p_quantity numeric, p_filled timestamptz,
    p_posted timestamptz) returns text language plpgsql as $f$
declare
    v_order api.orders;
begin
    v_order := api.execute_paper_trade(pg_temp.acct(p_name), p_symbol, p_side, p_quantity);
    update trading.fills set filled_at = p_filled where order_id = v_order.id;
    perform pg_temp.move_journal((select journal_id from trading.fills where order_id = v_order.id), p_posted);
    return v_order.status::text;
end
$f$;
create function pg_temp.snapshot(p_name text, p_k integer)
returns table (cash numeric, positions_value numeric, equity numeric, net_flow numeric) language sql as $f$
    select s.cash, s.positions_value, s.equity, s.net_flow from trading.account_snapshots as s
    where s.account_id = pg_temp.acct(p_name) and s.snapshot_date = pg_temp.day(p_k)
$f$;

insert into auth.users (email, username) values ('returns@example.com', 'returns');
do $$ begin perform api.act_as((select id from auth.users where username = 'returns')); end $$;
insert into acct values
('main', api.create_account('Returns', 'paper', null, 10000)),
('cash', api.create_account('Cash only', 'paper', null, 1000)),
('kinds', api.create_account('Kinds', 'paper', null, 1000));

-- RET's daily closes, days 1 .. 10 (1d bars start at 00:00 UTC and end at the next midnight).
do $$ begin perform api.upsert_security('RET', 'Returns Inc', 'stock'); end $$;
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, '1d', pg_temp.day(c.k)::timestamp at time zone 'UTC', c.close, c.close, c.close, c.close
from market.securities as s
cross join (values (1, 100), (2, 110), (3, 99), (4, 104), (5, 105), (6, 102), (7, 108), (8, 110), (9, 107), (10, 112))
    as c (k, close)
where s.symbol = 'RET';

-- 1. The hand-computed account over ten days (no commission, no slippage):
--   day 1  opens with 10,000 (flow +10,000), buys 50 at 100: cash 5,000 + 50 x 100      V1 = 10,000
--   day 2  close 110: 5,000 + 5,500                                                     V2 = 10,500
--   day 3  close  99: 5,000 + 4,950                                                     V3 =  9,950
--   day 4  deposits 5,000 (flow +5,000), close 104: 10,000 + 5,200                      V4 = 15,200
--   day 5  buys 40 at 105 (filled on day 5, settled in the ledger on day 6: cash and units still move
--          together on day 5), close 105: 5,800 + 90 x 105                              V5 = 15,250
--   day 6  close 102: 5,800 + 9,180                                                     V6 = 14,980
--   day 7  sells 30 at 108: cash 9,040, 60 units; close 108: 9,040 + 6,480              V7 = 15,520
--   day 8  withdraws 4,000 (flow -4,000), close 110: 5,040 + 6,600                      V8 = 11,640
--   day 9  close 107: 5,040 + 6,420                                                     V9 = 11,460
--   day 10 close 112: 5,040 + 6,720                                                     V10 = 11,760
do $$ begin
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('main') and kind = 'initial_balance'), pg_temp.at(1, '09:00'));
    perform api.record_price('RET', 100, clock_timestamp());
    perform pg_temp.trade('main', 'RET', 'buy', 50, pg_temp.at(1, '12:00'), pg_temp.at(1, '12:00'));
    perform pg_temp.move_journal(api.deposit(pg_temp.acct('main'), 5000), pg_temp.at(4, '10:00'));
    perform api.record_price('RET', 105, clock_timestamp());
    perform pg_temp.trade('main', 'RET', 'buy', 40, pg_temp.at(5, '12:00'), pg_temp.at(6, '09:00'));
    perform api.record_price('RET', 108, clock_timestamp());
    perform pg_temp.trade('main', 'RET', 'sell', 30, pg_temp.at(7, '12:00'), pg_temp.at(7, '12:00'));
    perform pg_temp.move_journal(api.withdraw(pg_temp.acct('main'), 4000), pg_temp.at(8, '10:00'));
end $$;

-- The replay: every past day taken today, after every trade, at that day's bar.
select is(
    (select sum(api.snapshot_accounts(pg_temp.day(k))) from generate_series(1, 10) as k)::integer,
    10 * (select count(*)::integer from trading.accounts where kind <> 'system' and status <> 'archived'),
    'ten past days are snapshotted, every account each day'
);
select results_eq(
    $$ select s.snapshot_date, s.cash::numeric, s.positions_value::numeric, s.equity::numeric, s.net_flow::numeric
       from trading.account_snapshots as s where s.account_id = pg_temp.acct('main') order by s.snapshot_date $$,
    $$ values (pg_temp.day(1), 5000::numeric, 5000::numeric, 10000::numeric, 10000::numeric),
              (pg_temp.day(2), 5000, 5500, 10500, 0),
              (pg_temp.day(3), 5000, 4950, 9950, 0),
              (pg_temp.day(4), 10000, 5200, 15200, 5000),
              (pg_temp.day(5), 5800, 9450, 15250, 0),
              (pg_temp.day(6), 5800, 9180, 14980, 0),
              (pg_temp.day(7), 9040, 6480, 15520, 0),
              (pg_temp.day(8), 5040, 6600, 11640, -4000),
              (pg_temp.day(9), 5040, 6420, 11460, 0),
              (pg_temp.day(10), 5040, 6720, 11760, 0) $$,
    'each past day holds that day''s units at that day''s close, that day''s cash and its net external flow'
);
select is(api.account_balance(pg_temp.acct('main'), pg_temp.at(5, '23:59:59')), 10000::numeric,
    'the ledger had not yet settled the day-5 fill at the end of day 5 ...');
select is((select cash from pg_temp.snapshot('main', 5)), 5800::numeric,
    '... the snapshot counts it at its filled_at, with its units');
select is(api.snapshot_accounts(pg_temp.day(4)),
    (select count(*)::integer from trading.accounts where kind <> 'system' and status <> 'archived'),
    'a rerun of a day replaces its rows');
select results_eq($$ select * from pg_temp.snapshot('main', 4) $$, $$ values (10000::numeric, 5200::numeric, 15200::numeric, 5000::numeric) $$,
    'with the same figures');

-- Daily returns r_t = V_t / (V_{t-1} + F_t) - 1: day 1 starts from nothing (no posting before it) plus
-- its 10,000; day 4 from 9,950 + 5,000 = 14,950; day 8 from 15,520 - 4,000 = 11,520.
select results_eq(
    $$ select snapshot_date, start_value, round(daily_return::numeric, 12)
       from analytics.account_daily_returns(pg_temp.acct('main'), pg_temp.day(1), pg_temp.day(10)) $$,
    $$ values (pg_temp.day(1), 10000::numeric, 0::numeric),
              (pg_temp.day(2), 10000, round(10500 / 10000.0 - 1, 12)),
              (pg_temp.day(3), 10500, round(9950 / 10500.0 - 1, 12)),
              (pg_temp.day(4), 14950, round(15200 / 14950.0 - 1, 12)),
              (pg_temp.day(5), 15200, round(15250 / 15200.0 - 1, 12)),
              (pg_temp.day(6), 15250, round(14980 / 15250.0 - 1, 12)),
              (pg_temp.day(7), 14980, round(15520 / 14980.0 - 1, 12)),
              (pg_temp.day(8), 11520, round(11640 / 11520.0 - 1, 12)),
              (pg_temp.day(9), 11640, round(11460 / 11640.0 - 1, 12)),
              (pg_temp.day(10), 11460, round(11760 / 11460.0 - 1, 12)) $$,
    'the daily returns by hand'
);
-- Time-weighted: the product telescopes to 9,950/10,000 x 15,520/14,950 x 11,760/11,520 - 1
--   = 0.995 x 1.038127090301... x 1.020833333333... - 1 = 48,847/897,000 = 0.054455964325529...
-- Money-weighted (XIRR, actual/365): the investor pays 10,000 on day 1 and 5,000 on day 4, receives
-- 4,000 on day 8 and the end equity 11,760 at the end of day 10 (day 11's date); the rate r solves
--   -10,000 - 5,000 (1+r)^(-3/365) + 4,000 (1+r)^(-7/365) + 11,760 (1+r)^(-10/365) = 0,
-- one sign change in the flows, so one root: r = 7.9305659093... (1+r = 8.9305659093; check: the four
-- discount factors 1, 0.982174..., 0.958877..., 0.941827... give -10,000 - 4,910.87 + 3,835.51 + 11,075.89
-- = 0.00 within rounding); pyxirr gives 7.930565909349859.
select results_eq(
    $$ select first_day, last_day, start_equity, end_equity, net_flow,
              round(time_weighted_return::numeric, 12), round(money_weighted_return::numeric, 9), reason
       from analytics.account_returns(pg_temp.acct('main'), pg_temp.day(1), pg_temp.day(10)) $$,
    $$ values (pg_temp.day(1), pg_temp.day(10), 0::numeric, 11760::numeric, 11000::numeric,
               round(48847 / 897000.0, 12), 7.930565909, null::text) $$,
    'time-weighted and money-weighted returns by hand'
);
select ok(
    (select abs(-10000 - 5000 * power(1 + r.money_weighted_return, -3 / 365.0) + 4000 * power(1 + r.money_weighted_return, -7 / 365.0)
                + 11760 * power(1 + r.money_weighted_return, -10 / 365.0)) < 1e-8
     from analytics.account_returns(pg_temp.acct('main'), pg_temp.day(1), pg_temp.day(10)) as r),
    'the money-weighted rate makes the flows'' value zero'
);

-- 2. A deposit or withdrawal never changes the time-weighted return of its day: the day's return is the
--    same whether the 5,000 came at noon of day 4 or at the last second of day 3 (then it is day 3's flow
--    and day 4 starts from 14,950 without one); likewise the 4,000 withdrawn on day 8 or at the end of day 7.
create temporary table before_move as
select snapshot_date, daily_return from analytics.account_daily_returns(pg_temp.acct('main'), pg_temp.day(1), pg_temp.day(10));
do $$ begin
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('main') and kind = 'deposit'), pg_temp.at(3, '23:59:59'));
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('main') and kind = 'withdrawal'), pg_temp.at(7, '23:59:59'));
    perform api.snapshot_accounts(pg_temp.day(k)) from generate_series(3, 8) as k;
end $$;
select results_eq(
    $$ select snapshot_date, net_flow::numeric from trading.account_snapshots
       where account_id = pg_temp.acct('main') and snapshot_date in (pg_temp.day(3), pg_temp.day(4), pg_temp.day(7), pg_temp.day(8))
       order by snapshot_date $$,
    $$ values (pg_temp.day(3), 5000::numeric), (pg_temp.day(4), 0::numeric), (pg_temp.day(7), -4000::numeric), (pg_temp.day(8), 0::numeric) $$,
    'the flows moved to the day before'
);
select is(
    (select daily_return from analytics.account_daily_returns(pg_temp.acct('main'), pg_temp.day(4), pg_temp.day(4))),
    (select daily_return from before_move where snapshot_date = pg_temp.day(4)),
    'day 4''s return is the same with or without its deposit'
);
select is(
    (select daily_return from analytics.account_daily_returns(pg_temp.acct('main'), pg_temp.day(8), pg_temp.day(8))),
    (select daily_return from before_move where snapshot_date = pg_temp.day(8)),
    'day 8''s return is the same with or without its withdrawal'
);
do $$ begin
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('main') and kind = 'deposit'), pg_temp.at(4, '10:00'));
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('main') and kind = 'withdrawal'), pg_temp.at(8, '10:00'));
    perform api.snapshot_accounts(pg_temp.day(k)) from generate_series(3, 8) as k;
end $$;

-- An account that only holds cash: its deposits and withdrawals are flows, never returns.
do $$ begin
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('cash') and kind = 'initial_balance'), pg_temp.at(1, '08:00'));
    perform pg_temp.move_journal(api.deposit(pg_temp.acct('cash'), 500), pg_temp.at(2, '15:00'));
    perform pg_temp.move_journal(api.withdraw(pg_temp.acct('cash'), 300), pg_temp.at(3, '15:00'));
    perform api.snapshot_accounts(pg_temp.day(k)) from generate_series(1, 4) as k;
end $$;
select results_eq(
    $$ select d.snapshot_date, d.equity, d.net_flow, d.daily_return
       from analytics.account_daily_returns(pg_temp.acct('cash'), pg_temp.day(1), pg_temp.day(4)) as d $$,
    $$ values (pg_temp.day(1), 1000::numeric, 1000::numeric, 0::double precision), (pg_temp.day(2), 1500, 500, 0),
              (pg_temp.day(3), 1200, -300, 0), (pg_temp.day(4), 1200, 0, 0) $$,
    'cash in and out earns nothing'
);
select results_eq(
    $$ select time_weighted_return, abs(money_weighted_return) < 1e-12, reason
       from analytics.account_returns(pg_temp.acct('cash'), pg_temp.day(1), pg_temp.day(4)) $$,
    $$ values (0::double precision, true, null::text) $$,
    'a time-weighted return of 0, and a money-weighted one of 0'
);

-- 3. What is a flow: transfers (both sides), adjustments; not dividends, fees, cash in lieu, fund fees.
do $$
declare
    v_market uuid := trading.system_account('market_clearing', 'USD');
    v_fees uuid := trading.system_account('fee_income', 'USD');
begin
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('kinds') and kind = 'initial_balance'), pg_temp.at(1, '08:00'));
    perform pg_temp.move_journal(trading.post_journal('dividend',
        array[(pg_temp.acct('kinds'), 10), (v_market, -10)]::trading.journal_line[]), pg_temp.at(2, '09:00'));
    perform pg_temp.move_journal(trading.post_journal('fee',
        array[(pg_temp.acct('kinds'), -5), (v_fees, 5)]::trading.journal_line[]), pg_temp.at(2, '09:01'));
    perform pg_temp.move_journal(trading.post_journal('cash_in_lieu',
        array[(pg_temp.acct('kinds'), 3), (v_market, -3)]::trading.journal_line[]), pg_temp.at(2, '09:02'));
    perform pg_temp.move_journal(trading.post_journal('fund_fee',
        array[(pg_temp.acct('kinds'), -2), (v_fees, 2)]::trading.journal_line[]), pg_temp.at(2, '09:03'));
    perform pg_temp.move_journal(trading.post_journal('adjustment',
        array[(pg_temp.acct('kinds'), 7), (trading.system_account('external_cash', 'USD'), -7)]::trading.journal_line[]),
        pg_temp.at(2, '09:04'));
    -- After the cash account's own postings of days 2 and 3, so its balance_after still follows them.
    perform pg_temp.move_journal(api.transfer_cash(pg_temp.acct('kinds'), pg_temp.acct('cash'), 100), pg_temp.at(3, '16:00'));
    perform api.snapshot_accounts(pg_temp.day(k)) from generate_series(1, 3) as k;
end $$;
select results_eq(
    $$ select * from pg_temp.snapshot('kinds', 2) $$,
    $$ values (1013::numeric, 0::numeric, 1013::numeric, 7::numeric) $$,
    'the adjustment (+7) is the day''s flow; the dividend (+10), fee (-5), cash in lieu (+3) and fund fee (-2) are not'
);
select is(
    (select round(daily_return::numeric, 12) from analytics.account_daily_returns(pg_temp.acct('kinds'), pg_temp.day(2), pg_temp.day(2))),
    round(1013 / 1007.0 - 1, 12),
    'so they are the day''s return: 1,013 / (1,000 + 7) - 1'
);
select results_eq(
    $$ select (select net_flow from pg_temp.snapshot('kinds', 3)), (select net_flow from pg_temp.snapshot('cash', 3)) $$,
    $$ values (-100::numeric, -200::numeric) $$,
    'a transfer is a flow out of one account and into the other (-300 + 100)'
);

-- A paper account reset: its journal back to the initial balance is a flow, and so is the day-end value of
-- the units it closed (they leave the account). 1,000 on day 1, 2 RET bought at 108 (cash 784); day 1 close
-- 100: 984; day 2 close 110: 1,004; reset on day 3: cash 784 -> 1,000 (+216), 2 units at day 3's close 99
-- leave (-198), a flow of +18; V3 = 1,000, r3 = 1,000 / (1,004 + 18) - 1: the units' fall from 220 to 198.
insert into acct values ('reset', api.create_account('Reset', 'paper', null, 1000));
do $$ begin
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('reset') and kind = 'initial_balance'), pg_temp.at(1, '08:00'));
    perform pg_temp.trade('reset', 'RET', 'buy', 2, pg_temp.at(1, '12:00'), pg_temp.at(1, '12:00'));
    perform api.reset_paper_account(pg_temp.acct('reset'));
    perform pg_temp.move_journal((select journal_id from trading.transactions
        where account_id = pg_temp.acct('reset') and kind = 'reset'), pg_temp.at(3, '10:00'));
    update trading.position_adjustments set created_at = pg_temp.at(3, '10:00') where account_id = pg_temp.acct('reset');
    perform api.snapshot_accounts(pg_temp.day(k)) from generate_series(1, 3) as k;
end $$;
select results_eq(
    $$ select s.snapshot_date, s.cash::numeric, s.positions_value::numeric, s.equity::numeric, s.net_flow::numeric
       from trading.account_snapshots as s where s.account_id = pg_temp.acct('reset') and s.snapshot_date <= pg_temp.day(3)
       order by s.snapshot_date $$,
    $$ values (pg_temp.day(1), 784::numeric, 200::numeric, 984::numeric, 1000::numeric),
              (pg_temp.day(2), 784, 220, 1004, 0),
              (pg_temp.day(3), 1000, 0, 1000, 18) $$,
    'a reset''s flow: its journal (+216) less the day-end value of the units it closed (2 x 99)'
);
select is(
    (select round(daily_return::numeric, 12) from analytics.account_daily_returns(pg_temp.acct('reset'), pg_temp.day(3), pg_temp.day(3))),
    round(1000 / 1022.0 - 1, 12),
    'the reset day''s return is the units'' fall, not the reset'
);

-- 4. Prices at the day's end: the newest bar of any timeframe that has ended by then, or the quote when it
--    is later than that bar and before the day's end. RTQ: a 1d bar on day 9 (50), a 1h bar at 10:00 and a
--    1m bar at 23:59 on day 10 (52, then 53: it ends at midnight), a 1w bar from day 10 (60, not ended), the
--    quote now (54).
do $$ begin perform api.upsert_security('RTQ', 'Quote Inc', 'stock'); end $$;
insert into market.market_data (security_id, timeframe, ts, open, high, low, close)
select s.id, b.timeframe, b.ts, b.close, b.close, b.close, b.close
from market.securities as s
cross join (values ('1d', pg_temp.at(9, '00:00'), 50), ('1h', pg_temp.at(10, '10:00'), 52),
                   ('1m', pg_temp.at(10, '23:59'), 53), ('1w', pg_temp.at(10, '00:00'), 60)) as b (timeframe, ts, close)
where s.symbol = 'RTQ';
do $$ begin
    perform api.record_price('RTQ', 54, clock_timestamp());
    perform pg_temp.trade('kinds', 'RTQ', 'buy', 1, pg_temp.at(8, '12:00'), pg_temp.at(8, '12:00'));
    perform api.snapshot_accounts(pg_temp.day(k)) from generate_series(7, 10) as k;
    perform api.snapshot_accounts(current_date);
end $$;
select results_eq(
    $$ select snapshot_date, positions_value::numeric from trading.account_snapshots
       where account_id = pg_temp.acct('kinds') and snapshot_date in (pg_temp.day(7), pg_temp.day(9), pg_temp.day(10), current_date)
       order by snapshot_date $$,
    $$ values (pg_temp.day(7), 0::numeric), (pg_temp.day(9), 50::numeric), (pg_temp.day(10), 53::numeric), (current_date, 54::numeric) $$,
    'no units before the fill; then the 1d close, the last intraday close, today''s quote'
);
select is((select positions_value from pg_temp.snapshot('kinds', 8)), 0::numeric,
    'a day with units but no price at or before its end counts them at zero');
select is((select positions_value from pg_temp.snapshot('main', 10)), 6720::numeric,
    'a past day is never valued at today''s quote (108)');

-- 5. Ranges, gaps and a start without the day before.
select results_eq(
    $$ select first_day, last_day, start_equity, end_equity, round(time_weighted_return::numeric, 12)
       from analytics.account_returns(pg_temp.acct('main'), pg_temp.day(7), pg_temp.day(10)) $$,
    $$ values (pg_temp.day(7), pg_temp.day(10), 14980::numeric, 11760::numeric, round(11760 / 11520.0 * 15520 / 14980 - 1, 12)) $$,
    'a range starts from the equity of the day before it'
);
delete from trading.account_snapshots where account_id = pg_temp.acct('main') and snapshot_date = pg_temp.day(6);
select results_eq(
    $$ select first_day, last_day, start_equity, round(time_weighted_return::numeric, 12), reason
       from analytics.account_returns(pg_temp.acct('main'), pg_temp.day(7), pg_temp.day(10)) $$,
    $$ values (pg_temp.day(8), pg_temp.day(10), 15520::numeric, round(11760 / 11520.0 - 1, 12), null::text) $$,
    'without the day before, the first snapshot gives the starting equity and the figures start the day after'
);
select results_eq(
    $$ select time_weighted_return is null, money_weighted_return is not null, reason
       from analytics.account_returns(pg_temp.acct('main'), pg_temp.day(1), pg_temp.day(10)) $$,
    $$ values (true, true, format('time-weighted: day %s has no snapshot (take it with api.snapshot_accounts: past days are valued as they stood)',
                                  pg_temp.day(6))) $$,
    'a missing day leaves the time-weighted return NULL with the day to take; the money-weighted one stands'
);
select lives_ok($$ select ops.job_snapshot_accounts(pg_temp.at(6, '00:00'), pg_temp.at(7, '00:00')) $$,
    'the snapshot job takes the missing day');
select is(
    (select round(time_weighted_return::numeric, 12) from analytics.account_returns(pg_temp.acct('main'), pg_temp.day(1), pg_temp.day(10))),
    round(48847 / 897000.0, 12),
    'and the time-weighted return is back'
);
select results_eq(
    $$ select first_day, last_day, time_weighted_return, money_weighted_return, reason
       from analytics.account_returns(pg_temp.acct('main'), pg_temp.day(-30), pg_temp.day(-20)) $$,
    $$ values (null::date, null::date, null::double precision, null::double precision,
               format('account %s has no snapshot from %s to %s', pg_temp.acct('main'), pg_temp.day(-30), pg_temp.day(-20))) $$,
    'no snapshot in the range: no figures, and why'
);
delete from trading.account_snapshots where account_id = pg_temp.acct('main') and snapshot_date = pg_temp.day(6);
select results_eq(
    $$ select first_day, last_day, time_weighted_return, reason like 'the one snapshot from % only gives the starting equity%'
       from analytics.account_returns(pg_temp.acct('main'), pg_temp.day(7), pg_temp.day(7)) $$,
    $$ values (null::date, null::date, null::double precision, true) $$,
    'one snapshot without the day before: no figures, and why'
);
-- A day that starts at zero and ends elsewhere has no return.
update trading.account_snapshots set equity = 0, cash = 0, positions_value = 0
where account_id = pg_temp.acct('cash') and snapshot_date = pg_temp.day(2);
select results_eq(
    $$ select time_weighted_return, reason like 'time-weighted: on % the account started at % the day''s return is undefined%'
       from analytics.account_returns(pg_temp.acct('cash'), pg_temp.day(3), pg_temp.day(4)) $$,
    $$ values (null::double precision, true) $$,
    'a day that starts from nothing but ends with something: NULL, and why'
);

-- 6. analytics.xirr: known rates, no rate, and its errors.
select is(round((analytics.xirr(array[-1000, 1100], array['2025-01-01', '2026-01-01']::date[])).rate::numeric, 12), 0.1,
    '1,000 growing to 1,100 in 365 days: 10 %');
select is(round((analytics.xirr(array[1100, -1000], array['2026-01-01', '2025-01-01']::date[])).rate::numeric, 12), 0.1,
    'the order of the flows does not matter');
select is(round((analytics.xirr(array[-100, 230, -132], array['2025-01-01', '2026-01-01', '2027-01-01']::date[])).rate::numeric, 12), 0.1,
    'two rates (10 % and 20 %): the one nearest to 0 %');
select is(round((analytics.xirr(array[-600, -400, 1100], array['2025-01-01', '2025-01-01', '2026-01-01']::date[])).rate::numeric, 12), 0.1,
    'flows of one date are netted');
select results_eq(
    $$ select rate, reason from analytics.xirr(array[100, 250], array['2025-01-01', '2026-01-01']::date[]) $$,
    $$ values (null::double precision, 'every flow has the same sign (after netting flows of the same date): no rate makes their value zero') $$,
    'flows of one sign: no rate, and why'
);
select results_eq(
    $$ select rate, reason from analytics.xirr(array[100, -100], array['2025-01-01', '2025-01-01']::date[]) $$,
    $$ values (null::double precision, 'no cash flows (or they net to zero on every date): the rate is undefined') $$,
    'flows that net to zero: no rate, and why'
);
select results_eq(
    $$ select rate, reason from analytics.xirr('{}', '{}') $$,
    $$ values (null::double precision, 'no cash flows (or they net to zero on every date): the rate is undefined') $$,
    'no flows: no rate, and why'
);
select results_eq(
    $$ select rate, reason like 'no rate: the flows change sign 2 times, but their value does not cross zero%'
       from analytics.xirr(array[100, -300, 250], array['2025-01-01', '2026-01-01', '2027-01-01']::date[]) $$,
    $$ values (null::double precision, true) $$,
    '100 - 300 y + 250 y^2 has no real root: no rate, and why'
);
select throws_ok($$ select analytics.xirr(null, array[current_date]) $$, '22023', 'p_amounts and p_dates must not be null',
    'xirr: null arrays');
select throws_ok($$ select analytics.xirr(array[1, -1], array[current_date]) $$, '22023', '2 amounts but 1 dates',
    'xirr: arrays of different lengths');
select throws_ok($$ select analytics.xirr(array[1, null], array[current_date, current_date]) $$, '22023',
    'p_amounts and p_dates must not contain nulls', 'xirr: null elements');
select throws_ok($$ select analytics.xirr(array['NaN'::double precision, -1], array[current_date, current_date]) $$, '22023',
    'p_amounts and p_dates must be finite', 'xirr: NaN');
select throws_ok($$ select analytics.xirr(array[1, -1], array['infinity', current_date]::date[]) $$, '22023',
    'p_amounts and p_dates must be finite', 'xirr: infinite dates');
select throws_ok($$ select analytics.xirr(array[[1, -1]], array[[current_date, current_date]]) $$, '22023',
    'p_amounts and p_dates must be one-dimensional arrays', 'xirr: two dimensions');

-- 7. The errors of the account functions and of the snapshots.
select throws_ok($$ select * from analytics.account_daily_returns(null, current_date, current_date) $$, '22023',
    'p_account_id must not be null', 'daily returns: no account');
select throws_ok($$ select * from analytics.account_returns(pg_temp.acct('main'), null, current_date) $$, '22023',
    'p_from and p_to must be dates', 'returns: no first day');
select throws_ok($$ select * from analytics.account_returns(pg_temp.acct('main'), current_date, 'infinity') $$, '22023',
    'p_from and p_to must be dates', 'returns: an infinite day');
select throws_ok($$ select * from analytics.account_returns(pg_temp.acct('main'), current_date, current_date - 1) $$, '22023',
    format('p_from %s is after p_to %s', current_date, current_date - 1), 'returns: days reversed');
select throws_ok($$ select * from analytics.account_returns('00000000-0000-0000-0000-000000000000', current_date, current_date) $$,
    'P0002', 'account 00000000-0000-0000-0000-000000000000 does not exist', 'returns: an unknown account');
select throws_ok($$ select * from analytics.account_returns(trading.system_account('external_cash', 'USD'), current_date, current_date) $$,
    '22023', null, 'returns: a system account');
select throws_ok($$ select api.snapshot_accounts(current_date + 1) $$, '22023', null, 'snapshots: a day after today');
select throws_ok($$ select api.snapshot_accounts('-infinity') $$, '22023', null, 'snapshots: an infinite day');
select throws_ok($$ select api.snapshot_accounts('0001-01-01 BC') $$, '22023', null, 'snapshots: a day before 1970');

select is_empty('select * from ops.verify_invariants()', 'the books are consistent');

select * from finish();
rollback;
