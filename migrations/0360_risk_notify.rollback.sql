-- Undo 0360: risk rules, violations, alerts, profiles and notifications. Cascade drops the sql/
-- objects built on them; migrate re-creates those when re-applied.
set local role tradebase_owner;

drop table notify.notifications cascade;
drop table risk.alerts cascade;
drop table risk.violations cascade;
drop table risk.rules cascade;
drop table risk.risk_profiles cascade;
drop domain notify.notification_data;
drop domain notify.notification_level;
drop domain notify.notification_kind;
