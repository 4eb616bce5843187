set local role tradebase_owner;

delete from app.error_codes
where sqlstate in ('TB040', 'TB041', 'TB042', 'TB043', 'TB044', 'TB045');
drop table trading.accounts cascade;
drop table trading.account_templates cascade;
drop domain trading.cost_basis_method cascade;
drop domain trading.risk_level cascade;
drop domain trading.account_type cascade;
drop domain trading.currency_code cascade;
