drop policy if exists log_select_admin on audit.log;
create policy log_select_admin on audit.log
for select to tradebase_admin
using ((select app.is_admin()));

comment on policy log_select_admin on audit.log is 'Support staff read the audit trail; nobody else does.';
