-- Undo 0840: the two unique keys of 0820 again (one per kind of subject).
set local role tradebase_owner;

drop type risk.metrics_input cascade;
drop index risk.metrics_fund_day_ix;
alter table risk.metrics drop constraint metrics_subject_day_uk;
alter table risk.metrics add constraint metrics_account_day_uk unique (account_id, as_of);
alter table risk.metrics add constraint metrics_fund_day_uk unique (fund_id, as_of);
