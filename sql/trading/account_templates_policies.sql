drop policy if exists account_templates_public_read on trading.account_templates;
create policy account_templates_public_read on trading.account_templates
for select
using (is_public or (select app.is_admin()));

comment on policy account_templates_public_read on trading.account_templates is
'Public templates for everyone; administrators see all.';
