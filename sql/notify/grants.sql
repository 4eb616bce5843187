-- Apps and support staff read notifications through api.notifications (RLS applies).
grant usage on schema notify to tradebase_app, tradebase_admin;
grant select on notify.notifications to tradebase_app, tradebase_admin;
