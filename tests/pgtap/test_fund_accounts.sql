-- The investor's accounts of a fund flow (docs/funds.md): api.redeem pays only into an active account
-- (TB043, as api.subscribe takes only from one), and api.delete_account leaves nothing of the user acting
-- in a fund later: it refuses a manager whose fund is not closed (TB083; otherwise the fund's own account
-- and its fee account would be archived under a fund still active) and an investor who holds fund shares
-- (TB084: no one could ever redeem them), and cancels the investor's pending subscriptions (their held cash
-- returned) before it archives the accounts, so none deals into an archived account later. Each error with its SQLSTATE and its exact message; after a refused call,
-- that it changed nothing. The session is a superuser acting as the users (api.act_as).
begin;
select plan(17);
do $$ begin perform tests.replay_fund_requests(); end $$;

-- Registered users (api.delete_account re-checks the password): m manages an active fund, p a paused
-- one, c only a closed one; x and y are KYC-verified investors.
do $$ begin
    perform api.register_user('fa-m@example.com', 'fa_m', 'manager m pass 1');
    perform api.register_user('fa-p@example.com', 'fa_p', 'manager p pass 1');
    perform api.register_user('fa-c@example.com', 'fa_c', 'manager c pass 1');
    perform api.register_user('fa-x@example.com', 'fa_x', 'investor x pass 1');
    perform api.register_user('fa-y@example.com', 'fa_y', 'investor y pass 1');
end $$;
update auth.users set role = 'fund_manager' where username in ('fa_m', 'fa_p', 'fa_c');
create temporary table u as
select
    (select id from auth.users where username = 'fa_m') as m,
    (select id from auth.users where username = 'fa_p') as p,
    (select id from auth.users where username = 'fa_c') as c,
    (select id from auth.users where username = 'fa_x') as x,
    (select id from auth.users where username = 'fa_y') as y;
create temporary table f (main uuid, paused uuid, shut uuid);
do $$ begin
    perform api.set_kyc_status((select x from u), 'verified');
    perform api.set_kyc_status((select y from u), 'verified');
    perform api.act_as((select m from u));
    insert into f (main) values (api.create_fund('Accounts Fund', 'mini'));
    perform api.act_as((select p from u));
    update f set paused = api.create_fund('Accounts Paused', 'mini');
    perform api.act_as((select c from u));
    update f set shut = api.create_fund('Accounts Shut', 'mini');
    perform api.set_fund_status((select shut from f), 'closed');
end $$;

-- X's live account with 20,000 and an archived live one. X subscribes 5,000 to the main fund (dealt at
-- the strike of 5 January: 5,000 shares) and 1,500 to the fund p pauses afterwards (pending), then asks to
-- redeem 1,000 shares and subscribes 2,000 more to the main fund (both pending). Y, with 10,000 on a live
-- account, subscribes 1,500 to the fund p pauses and, after the strike, 2,000 to the main fund: Y holds no
-- share, only these two pending requests.
do $$ begin perform api.act_as((select x from u)); end $$;
create temporary table acc as
select api.create_account('FA X live', 'live') as live, api.create_account('FA X old', 'live') as old;
do $$ begin perform api.act_as((select y from u)); end $$;
create temporary table acc_y as select api.create_account('FA Y live', 'live') as live;
do $$ begin
    perform api.deposit((select live from acc_y), 10000);
    perform api.subscribe((select paused from f), (select live from acc_y), 1500);
    perform api.act_as((select x from u));
    perform api.deposit((select live from acc), 20000);
    perform api.deposit((select old from acc), 100);
    perform api.subscribe((select main from f), (select live from acc), 5000);
    perform api.subscribe((select paused from f), (select live from acc), 1500);
    perform api.act_as((select m from u));
    perform api.strike_nav((select main from f), '2026-01-05 18:00+00');
    perform api.act_as((select p from u));
    perform api.set_fund_status((select paused from f), 'paused');
    perform api.act_as((select x from u));
    perform api.redeem((select main from f), (select live from acc), 1000);
    perform api.subscribe((select main from f), (select live from acc), 2000);
    perform api.act_as((select y from u));
    perform api.subscribe((select main from f), (select live from acc_y), 2000);
end $$;
update trading.accounts set status = 'archived' where id = (select old from acc);
select results_eq(
    $$ select (select shares::numeric from fund.holdings
               where fund_id = (select main from f) and user_id = (select x from u)),
              (select count(*)::integer from fund.flows where user_id = (select x from u) and status = 'pending'),
              (select cash::numeric from trading.accounts where id = (select live from acc)) $$,
    $$ values (5000::numeric, 3, 11500::numeric) $$,
    'set-up: X holds 5,000 shares, three requests are pending, 11,500 left on the live account'
);

-- 1. api.redeem into an account that is not active.
select throws_ok($$ select api.redeem((select main from f), (select old from acc), 1) $$, 'TB043',
    format('account %s is archived', (select old from acc)), 'redeem: TB043 into an archived account');
select results_eq(
    $$ select account_id, shares::numeric from fund.flows where user_id = (select x from u) and kind = 'redemption' $$,
    $$ values ((select live from acc), 1000::numeric) $$,
    'the refused redemption left no flow: only the request of 1,000 shares into the live account'
);

-- 2. api.delete_account by a manager whose fund is active or paused: TB083, and nothing changes.
do $$ begin perform api.act_as((select m from u)); end $$;
select throws_ok($$ select api.delete_account('manager m pass 1') $$, 'TB083',
    format('user %s manages fund %s, which is active', (select m from u), (select main from f)),
    'delete_account: TB083 while the user manages an active fund');
do $$ begin perform api.act_as((select p from u)); end $$;
select throws_ok($$ select api.delete_account('manager p pass 1') $$, 'TB083',
    format('user %s manages fund %s, which is paused', (select p from u), (select paused from f)),
    'delete_account: TB083 while the user manages a paused fund');
select results_eq(
    $$ select u.username::text, u.is_active, u.deleted_at is null, s.password_hash is not null,
              (select count(*)::integer from trading.accounts as a where a.user_id = u.id and a.status = 'active')
       from auth.users as u inner join auth.user_security as s on s.user_id = u.id
       where u.id in ((select m from u), (select p from u)) order by u.username $$,
    $$ values ('fa_m'::text, true, true, true, 3), ('fa_p', true, true, true, 3) $$,
    'the refused deletions changed nothing: both users active, their password kept, their three accounts active'
);
select results_eq(
    $$ select status::text from fund.funds where id in ((select main from f), (select paused from f)) order by name $$,
    $$ values ('active'::text), ('paused') $$,
    'and their funds are as they were'
);

-- 3. A manager whose only fund is closed is deleted: the fund's accounts are archived with the others.
do $$ begin perform api.act_as((select c from u)); end $$;
select lives_ok($$ select api.delete_account('manager c pass 1') $$,
    'delete_account: a manager whose funds are all closed is deleted');
select results_eq(
    $$ select kind::text, status::text from trading.accounts where user_id = (select c from u) order by kind $$,
    $$ values ('fund'::text, 'archived'::text), ('live', 'archived'), ('paper', 'archived') $$,
    'the closed fund''s account, its fee account and the default paper account are archived'
);

-- 4. An investor who holds fund shares is not deleted (TB084), and nothing changes.
do $$ begin perform api.act_as((select x from u)); end $$;
select throws_ok($$ select api.delete_account('investor x pass 1') $$, 'TB084',
    format('user %s holds 5000.0000000000 shares of fund %s', (select x from u), (select main from f)),
    'delete_account: TB084 while the user holds fund shares');
select results_eq(
    $$ select u.is_active,
              (select count(*)::integer from fund.flows as l where l.user_id = u.id and l.status = 'pending'),
              (select count(*)::integer from trading.accounts as a where a.user_id = u.id and a.status = 'active')
       from auth.users as u where u.id = (select x from u) $$,
    $$ values (true, 3, 2) $$,
    'the refused deletion changed nothing: X active, three requests pending, the paper and live accounts active'
);

-- 5. An investor with only pending requests is deleted: they are canceled through the normal path first.
do $$ begin perform api.act_as((select y from u)); end $$;
select lives_ok($$ select api.delete_account('investor y pass 1') $$, 'delete_account: the investor is deleted');
select results_eq(
    $$ select l.fund_id, l.kind, l.status, l.amount::numeric, l.pending_reason, l.closed_at is not null,
              l.refund_journal_id is not null
       from fund.flows as l where l.user_id = (select y from u) order by l.amount desc $$,
    $$ values
        ((select main from f), 'subscription'::text, 'canceled'::text, 2000::numeric, 'account deleted'::text, true, true),
        ((select paused from f), 'subscription', 'canceled', 1500, 'account deleted', true, true) $$,
    'both pending subscriptions are canceled with their cash returned'
);
select results_eq(
    $$ select cash::numeric, reserved_cash::numeric from trading.accounts where id = (select live from acc_y) $$,
    $$ values (10000::numeric, 0::numeric) $$,
    'the live account holds its 10,000 again'
);
select is(
    (select count(*)::integer from trading.accounts where user_id = (select y from u) and status <> 'archived'), 0,
    'and the investor''s accounts are archived'
);
select is(
    (select sum(t.amount)::numeric from trading.transactions as t
     where t.account_id = fund.subscriptions_account('USD')), 3500::numeric,
    'the fund_subscriptions account holds only X''s pending 1,500 and 2,000'
);

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');
select * from finish();
rollback;
