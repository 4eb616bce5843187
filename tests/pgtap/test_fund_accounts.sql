-- The investor's accounts of a fund flow (docs/funds.md): api.redeem pays only into an active account
-- (TB043, as api.subscribe takes only from one). Each error with its SQLSTATE and its exact message; after
-- a refused call, that it changed nothing. The session is a superuser acting as the users (api.act_as).
begin;
select plan(4);
do $$ begin perform tests.replay_fund_requests(); end $$;

-- Registered users (api.delete_account re-checks the password): m manages an active fund, p a paused
-- one, c only a closed one; x is a KYC-verified investor.
do $$ begin
    perform api.register_user('fa-m@example.com', 'fa_m', 'manager m pass 1');
    perform api.register_user('fa-p@example.com', 'fa_p', 'manager p pass 1');
    perform api.register_user('fa-c@example.com', 'fa_c', 'manager c pass 1');
    perform api.register_user('fa-x@example.com', 'fa_x', 'investor x pass 1');
end $$;
update auth.users set role = 'fund_manager' where username in ('fa_m', 'fa_p', 'fa_c');
create temporary table u as
select
    (select id from auth.users where username = 'fa_m') as m,
    (select id from auth.users where username = 'fa_p') as p,
    (select id from auth.users where username = 'fa_c') as c,
    (select id from auth.users where username = 'fa_x') as x;
create temporary table f (main uuid, paused uuid, shut uuid);
do $$ begin
    perform api.set_kyc_status((select x from u), 'verified');
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
-- redeem 1,000 shares and subscribes 2,000 more to the main fund (both pending).
do $$ begin perform api.act_as((select x from u)); end $$;
create temporary table acc as
select api.create_account('FA X live', 'live') as live, api.create_account('FA X old', 'live') as old;
do $$ begin
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

select is_empty('select * from ops.verify_invariants()', 'the invariants hold');
select * from finish();
rollback;
