-- The schemas tradebase owns, in the order their sql/ folders are applied
-- (python/tradebase/config.py SCHEMA_ORDER; a test keeps the two equal).
create or replace function ops.project_schemas()
returns text[]
language sql
immutable
parallel safe
as $$
    select array[
        'app', 'ops', 'audit', 'auth', 'market', 'analytics', 'notify', 'risk',
        'trading', 'fund', 'strategy', 'planning', 'api'
    ]
$$;

comment on function ops.project_schemas() is 'The schemas tradebase owns, in dependency order.';
