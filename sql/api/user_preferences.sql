create or replace view api.user_preferences with (security_invoker = true) as
select *
from auth.user_preferences;

comment on view api.user_preferences is 'The acting user''s preferences; RLS on auth.user_preferences.';
