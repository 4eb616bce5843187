-- One unique key for the subject and day of a risk.metrics row, whether the subject is an account or a fund
-- (exactly one of account_id, fund_id is set: nulls not distinct makes the pair with the day unique), so that
-- one statement writes both kinds of rows (risk.store_metrics) instead of one per kind with its own conflict
-- target. The fund's foreign key keeps an index that starts with fund_id. risk.metrics_input is what each
-- kind's writer hands over: the subject, its value that day, its benchmark and its return series.
-- depends: 0820_fund_admin
set local role tradebase_owner;

alter table risk.metrics drop constraint metrics_account_day_uk;
alter table risk.metrics drop constraint metrics_fund_day_uk;
alter table risk.metrics add constraint metrics_subject_day_uk unique nulls not distinct (account_id, fund_id, as_of);
create index metrics_fund_day_ix on risk.metrics (fund_id, as_of);

create type risk.metrics_input as (
    account_id uuid,
    fund_id uuid,
    value numeric,
    benchmark_id uuid,
    returns double precision [],
    paired_returns double precision [],
    paired_benchmark double precision []
);
comment on type risk.metrics_input is
'One subject of a risk.metrics day (an account or a fund), as its writer hands it to risk.store_metrics: its value '
'that day (equity or NAV), its benchmark, its daily returns and those of the days its benchmark has a return too, '
'paired with the benchmark''s.';
