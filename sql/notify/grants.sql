-- Apps and support staff read notifications through api.notifications (RLS applies).
grant usage on schema notify to tradebase_app, tradebase_admin;
grant select on notify.notifications to tradebase_app, tradebase_admin;
-- tradebase worker, logged in as a member of tradebase_worker, runs the outbox's consumers and nothing else.
grant usage on schema notify to tradebase_worker;
grant execute on function notify.consume(text, integer) to tradebase_worker, tradebase_admin;
grant execute on function notify.runnable_consumers() to tradebase_worker, tradebase_admin;
