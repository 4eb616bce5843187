create or replace function ops.user_data_schemas()
returns text[]
language sql
immutable
parallel safe
as $$
    select array['auth', 'trading', 'fund', 'risk', 'strategy', 'planning', 'notify', 'audit']
$$;

comment on function ops.user_data_schemas() is
'Schemas whose tables hold per-user data: every table in them has row-level security enabled.';
