set local role tradebase_owner;

delete from app.error_codes
where sqlstate in ('TB040', 'TB041', 'TB042', 'TB043', 'TB044', 'TB045');
drop table trading.accounts;
drop table trading.account_templates;
drop domain trading.cost_basis_method;
drop domain trading.risk_level;
drop domain trading.account_type;
drop domain trading.currency_code;
