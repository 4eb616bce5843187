-- Undo 0820. The fund rows of risk.metrics go; the views and the policy that read fund_id go with the
-- column (cascade) and tradebase migrate re-creates them from sql/ when the column is back.
set local role tradebase_owner;

update ops.jobs
set
    schedule = '20 0 * * *',
    description = 'Risk metrics of every active account for the previous UTC day (risk.write_metrics), after its snapshot.'
where name = 'risk_metrics';

delete from risk.metrics
where fund_id is not null;
alter table risk.metrics drop constraint metrics_fund_day_uk;
alter table risk.metrics drop constraint metrics_account_day_uk;
alter table risk.metrics drop constraint metrics_about_one_account_or_one_fund_ck;
alter table risk.metrics drop column fund_id cascade;
alter table risk.metrics alter column account_id set not null;
alter table risk.metrics add constraint metrics_pk primary key (account_id, as_of);

comment on table risk.metrics is
'Daily risk metrics of each active account (the seeds'' risk_metrics), from its flow-adjusted daily returns over '
'the window_days days ending at as_of; written by the risk_metrics job (risk.write_metrics), a rerun replaces.';
comment on column risk.metrics.account_id is null;
comment on column risk.metrics.equity is 'The account''s equity at the end of as_of (its snapshot).';

delete from app.error_codes
where sqlstate in ('TB080', 'TB081', 'TB082');
