-- depends: 0650_risk_metrics 0720_funds
-- Fund administration (issue 17, docs/funds.md "Pausing and closing", "Crystallization date", "Risk
-- metrics"): the error codes of a fund's status changes and of its crystallization date, and risk.metrics
-- rows of a fund (from its daily NAV-per-share returns) beside those of an account (from its
-- flow-adjusted equity returns). TB080-TB089 belong to funds. A row is
-- about one account or one fund, never both, and there is one row per subject and day: the primary key
-- (account_id, as_of) becomes two unique keys, one per kind of subject. The risk_metrics job moves after
-- the strike_funds job, so the day's strikes are there when it reads them.
set local role tradebase_owner;

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    'TB080', 'illegal_fund_transition',
    'A fund status change that the fund''s life cycle does not allow: a closed fund never opens again.',
    'A closed fund stays closed; open a new fund instead.'
),
(
    'TB081', 'fund_not_empty',
    'A fund closes only once it is empty: no shares in issue, no pending redemption, no position and no open order.',
    'Pause the fund, let the investors redeem and sell its positions (api.fund_trade), then close it.'
),
(
    'TB082', 'crystallization_date_fixed',
    'The fund''s crystallization date no longer moves: a performance fee has crystallized, or a crystallization is due.',
    'After the first crystallization the date moves a year on at each one.'
);

alter table risk.metrics drop constraint metrics_pk;
alter table risk.metrics alter column account_id drop not null;
alter table risk.metrics add column fund_id uuid constraint metrics_fund_fk references fund.funds (id);
alter table risk.metrics add constraint metrics_about_one_account_or_one_fund_ck check (
    num_nonnulls(account_id, fund_id) = 1
);
alter table risk.metrics add constraint metrics_account_day_uk unique (account_id, as_of);
alter table risk.metrics add constraint metrics_fund_day_uk unique (fund_id, as_of);

comment on table risk.metrics is
'Daily risk metrics (the seeds'' risk_metrics) of each active account, from its flow-adjusted daily returns, and of '
'each struck fund, from its daily NAV-per-share returns, over the window_days days ending at as_of; one row per '
'account or fund and day, written by the risk_metrics job (risk.write_metrics, risk.write_fund_metrics), a rerun replaces.';
comment on column risk.metrics.account_id is 'The account the row is about (null on a fund''s row).';
comment on column risk.metrics.fund_id is
'The fund the row is about (null on an account''s row): figures from its NAV per share, losses on its NAV.';
comment on column risk.metrics.equity is
'The account''s equity at the end of as_of (its snapshot), or the fund''s NAV at its strike of as_of.';

update ops.jobs
set
    schedule = '40 0 * * *',
    description = 'Risk metrics of every active account and every fund struck for the previous UTC day '
    || '(risk.write_metrics, risk.write_fund_metrics), after its snapshots and the funds'' strike.'
where name = 'risk_metrics';
