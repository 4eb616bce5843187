create or replace view api.user_settings with (security_invoker = true) as
select
    id,
    user_id,
    name,
    value,
    created_at,
    updated_at
from auth.user_settings;

comment on view api.user_settings is 'The acting user''s free-form settings; RLS on auth.user_settings.';
