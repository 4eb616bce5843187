set local role tradebase_owner;

delete from app.error_codes
where sqlstate in ('TB040', 'TB041', 'TB042', 'TB043', 'TB044', 'TB045');
drop table trading.accounts cascade;
drop table trading.account_templates cascade;
drop domain trading.slippage_bps;
drop domain trading.volume_participation;
drop domain trading.commission_rate;
drop domain trading.system_purpose;
drop domain trading.account_name;
drop domain trading.account_status;
drop domain trading.account_kind;
drop domain app.nonnegative_money;
drop domain trading.cost_basis_method cascade;
drop domain trading.risk_level cascade;
drop domain trading.account_type cascade;
drop domain trading.currency_code cascade;
