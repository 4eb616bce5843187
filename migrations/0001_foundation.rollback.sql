-- Undo 0001. Roles stay: they are cluster-wide and other databases may use them.
drop schema if exists analytics cascade;
drop schema if exists api cascade;
drop schema if exists ops cascade;
drop schema if exists audit cascade;
drop schema if exists notify cascade;
drop schema if exists planning cascade;
drop schema if exists strategy cascade;
drop schema if exists risk cascade;
drop schema if exists fund cascade;
drop schema if exists trading cascade;
drop schema if exists market cascade;
drop schema if exists auth cascade;
drop schema if exists app cascade;
drop extension if exists pgcrypto;
drop schema if exists extensions;
alter default privileges for role tradebase_owner grant execute on functions to public;
