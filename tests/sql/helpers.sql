-- SQL the tests share, installed into the test template (tests/conftest.py) in the schema `tests`, outside
-- the project's schemas: no deploy carries it and no catalog lint sees it.
create schema if not exists tests;

-- The fund tests replay days long past (strikes at fixed dates of 2025 and 2026), while api.subscribe and
-- api.redeem date a request now(), and a strike deals only the requests made before its p_as_of (forward
-- pricing). After tests.replay_fund_requests(), a new request is dated as an investor between two strikes
-- would have made it: just after its fund's last strike (and after the fund's newest request, so request
-- order holds), at 2000-01-01 before the first. A test that needs another time updates requested_at.
create or replace function tests.date_request_after_last_strike()
returns trigger
language plpgsql
as $$
begin
    new.requested_at := coalesce(greatest(
        (select max(s.as_of) from fund.performance_snapshots as s where s.fund_id = new.fund_id),
        (select max(l.requested_at) from fund.flows as l where l.fund_id = new.fund_id)
    ), '2000-01-01 00:00+00') + interval '1 microsecond';
    return new;
end
$$;

-- Turned on (and off, p_on false) by the tests that replay (tests/conftest.py: replayed_fund_requests).
create or replace function tests.replay_fund_requests(p_on boolean default true)
returns void
language plpgsql
as $$
begin
    if p_on then
        create or replace trigger tests_date_request_after_last_strike
        before insert on fund.flows
        for each row execute function tests.date_request_after_last_strike();
    else
        drop trigger if exists tests_date_request_after_last_strike on fund.flows;
    end if;
end
$$;
