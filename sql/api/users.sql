create or replace view api.users with (security_invoker = true) as
select
    id,
    email,
    username,
    first_name,
    last_name,
    phone,
    date_of_birth,
    country,
    kyc_status,
    kyc_verified_at,
    role,
    is_active,
    last_login_at,
    created_at,
    updated_at,
    deleted_at
from auth.users;

comment on view api.users is 'The acting user''s profile (support staff: every user); RLS on auth.users.';
