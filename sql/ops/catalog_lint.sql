-- The conventions of DESIGN §2/§3 checked against the live catalog; one row per violation.
-- tests/pgtap/test_catalog_lint.sql asserts it is empty and that each rule catches a violation.
-- depends: ops/project_schemas.sql ops/user_data_schemas.sql
create or replace function ops.catalog_lint()
returns table (rule text, object text)
language sql
stable
set search_path = ''
as $$
    with
    project_namespaces as (
        select n.oid, n.nspname
        from pg_catalog.pg_namespace as n
        where n.nspname = any(ops.project_schemas())
    ),

    relations as (
        select
            c.oid,
            c.relkind,
            c.relispartition,
            c.relrowsecurity,
            c.reloptions,
            c.relowner,
            ns.nspname,
            c.oid::pg_catalog.regclass::text as name
        from pg_catalog.pg_class as c
        inner join project_namespaces as ns on c.relnamespace = ns.oid
        where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    ),

    functions as (
        select
            p.oid,
            p.prosecdef,
            p.proconfig,
            p.proacl,
            p.proowner,
            p.prosrc,
            ns.nspname,
            p.oid::pg_catalog.regprocedure::text as name
        from pg_catalog.pg_proc as p
        inner join project_namespaces as ns on p.pronamespace = ns.oid
        where not exists (
            select from pg_catalog.pg_depend as d
            where d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass and d.objid = p.oid and d.deptype = 'e'
        )
    ),

    columns as (
        select
            r.name as relation,
            r.relkind,
            a.attname,
            pg_catalog.format_type(case when t.typtype = 'd' then t.typbasetype else a.atttypid end, null) as base_type,
            pg_catalog.col_description(r.oid, a.attnum) as comment
        from relations as r
        inner join pg_catalog.pg_attribute as a on r.oid = a.attrelid
        inner join pg_catalog.pg_type as t on a.atttypid = t.oid
        where a.attnum > 0 and not a.attisdropped and not r.relispartition
    )

    select
        'security_definer_without_search_path',
        f.name
    from functions as f
    where
        f.prosecdef
        and not exists (select from pg_catalog.unnest(f.proconfig) as c (setting) where c.setting like 'search\_path=%')

    union all
    select
        'float_column_not_statistic',
        c.relation || '.' || c.attname
    from columns as c
    where
        c.base_type in ('real', 'double precision')
        and c.relkind in ('r', 'p', 'm')
        and coalesce(c.comment, '') not ilike 'statistic%'

    union all
    select
        'timestamp_without_time_zone',
        c.relation || '.' || c.attname
    from columns as c
    where c.base_type = 'timestamp without time zone'

    union all
    select
        'foreign_key_without_index',
        r.name || ' ' || k.conname
    from pg_catalog.pg_constraint as k
    inner join relations as r on k.conrelid = r.oid
    where
        k.contype = 'f'
        and not r.relispartition
        and not exists (
            select from pg_catalog.pg_index as i
            where
                i.indrelid = k.conrelid
                and (
                    select pg_catalog.array_agg(col order by col)
                    from pg_catalog.unnest((i.indkey::int2 [])[0:pg_catalog.cardinality(k.conkey) - 1]) as col
                )
                = (select pg_catalog.array_agg(col order by col) from pg_catalog.unnest(k.conkey) as col)
        )

    union all
    select
        'row_level_security_disabled',
        r.name
    from relations as r
    where r.relkind in ('r', 'p') and r.nspname = any(ops.user_data_schemas()) and not r.relrowsecurity

    union all
    select
        'app_role_may_write_table',
        r.name
    from relations as r
    where
        r.relkind in ('r', 'p', 'v', 'm', 'f')
        and pg_catalog.has_table_privilege('tradebase_app', r.oid, 'insert, update, delete, truncate, references, trigger')

    union all
    select
        'analyst_reads_outside_analytics',
        r.name
    from relations as r
    where
        r.nspname <> 'analytics'
        and pg_catalog.has_table_privilege(
            'tradebase_analyst', r.oid, 'select, insert, update, delete, truncate, references, trigger'
        )

    union all
    -- A table holding a secret (a column commented 'Secret: ...') is for definer functions only.
    select distinct
        'secret_readable_by_role',
        c.relation || ' by ' || roles.role_name
    from columns as c
    cross join (values ('tradebase_app'), ('tradebase_analyst')) as roles (role_name)
    where
        c.comment like 'Secret:%'
        and pg_catalog.has_any_column_privilege(roles.role_name, c.relation::pg_catalog.regclass, 'select')

    union all
    select
        'role_privilege_on_partition',
        r.name
    from relations as r
    cross join (values ('tradebase_app'), ('tradebase_analyst')) as roles (role_name)
    where
        r.relispartition
        and pg_catalog.has_table_privilege(roles.role_name, r.oid, 'select, insert, update, delete, truncate')

    union all
    select
        'function_executable_by_public',
        f.name
    from functions as f
    where
        f.proacl is null
        or exists (
            select from pg_catalog.aclexplode(f.proacl) as acl
            where acl.grantee = 0 and acl.privilege_type = 'EXECUTE'
        )

    union all
    select
        'app_role_executes_outside_api',
        f.name
    from functions as f
    where
        f.nspname not in ('api', 'app')
        and pg_catalog.has_function_privilege('tradebase_app', f.oid, 'execute')

    union all
    select
        'analyst_executes_outside_analytics',
        f.name
    from functions as f
    where
        f.nspname <> 'analytics'
        and pg_catalog.has_function_privilege('tradebase_analyst', f.oid, 'execute')

    union all
    select
        'api_view_not_security_invoker',
        r.name
    from relations as r
    where
        r.nspname = 'api'
        and r.relkind = 'v'
        and not coalesce('security_invoker=true' = any(r.reloptions), false)

    union all
    select
        'api_schema_holds_table',
        r.name
    from relations as r
    where r.nspname = 'api' and r.relkind in ('r', 'p', 'm', 'f', 'S')

    union all
    -- An api function's row is an api type (a view's row type or a declared type), never a table's storage
    -- type: a column added to a table then changes no caller (DESIGN §4).
    select
        'api_returns_storage_type',
        f.name || ' returns ' || p.prorettype::pg_catalog.regtype::text
    from functions as f
    inner join pg_catalog.pg_proc as p on f.oid = p.oid
    inner join pg_catalog.pg_type as t on p.prorettype = t.oid
    left join pg_catalog.pg_type as e on t.typelem = e.oid and t.typcategory = 'A'
    inner join pg_catalog.pg_namespace as tn on coalesce(e.typnamespace, t.typnamespace) = tn.oid
    where
        f.nspname = 'api'
        and coalesce(e.typtype, t.typtype) = 'c'
        and tn.nspname <> 'api'

    union all
    select
        'missing_comment',
        r.name
    from relations as r
    where
        r.relkind in ('r', 'p', 'v', 'm', 'f')
        and not r.relispartition
        and pg_catalog.obj_description(r.oid, 'pg_class') is null

    union all
    select
        'missing_comment',
        f.name
    from functions as f
    where pg_catalog.obj_description(f.oid, 'pg_proc') is null

    union all
    select
        'not_owned_by_owner',
        r.name
    from relations as r
    where r.relowner <> 'tradebase_owner'::pg_catalog.regrole

    union all
    select
        'not_owned_by_owner',
        f.name
    from functions as f
    where f.proowner <> 'tradebase_owner'::pg_catalog.regrole

    union all
    select
        'not_owned_by_owner',
        t.oid::pg_catalog.regtype::text
    from pg_catalog.pg_type as t
    inner join project_namespaces as ns on t.typnamespace = ns.oid
    where t.typtype in ('d', 'e', 'c') and t.typrelid = 0 and t.typowner <> 'tradebase_owner'::pg_catalog.regrole

    union all
    select
        'error_code_not_registered',
        f.name || ' raises ' || m.code [1]
    from functions as f
    cross join lateral pg_catalog.regexp_matches(
        f.prosrc, '(?:errcode\s*=\s*|raise_error\(\s*)''([0-9A-Z]{5})''', 'g'
    ) as m (code)
    where
        f.name <> 'app.raise_error(text,text,text,text)'
        and not exists (select from app.error_codes as e where e.sqlstate = m.code [1])
$$;

comment on function ops.catalog_lint() is
'Catalog lints (one row per violation): definer search_path, float money, timestamptz, FK indexes, RLS, '
'role privileges, secrets unreadable by app/analyst, api functions return api types, comments, ownership, '
'registered error codes.';
