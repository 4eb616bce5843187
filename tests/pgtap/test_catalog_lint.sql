-- The catalog lints hold for the whole schema, and each rule catches a deliberate violation.
begin;
select plan(26);

select is_empty('select * from ops.catalog_lint()', 'the deployed schema breaks no catalog lint');

create function pg_temp.lint_catches(p_rule text, p_object text) returns boolean language sql as $f$
    select exists (select from ops.catalog_lint() as l where l.rule = p_rule and l.object like p_object)
$f$;

-- SQL functions written to be planned in place (stable or immutable, no SET clause, not security definer)
-- are inlined: a call on a generic row shows their body, not their name, in the plan. A body that calls
-- something more volatile than the function's label stops the inlining silently, and the function is then
-- run once per row (fund.management_fee_due was, through date_trunc on a date as a timestamptz).
-- market.latest_price is a scalar query, which Postgres never inlines.
create function pg_temp.sql_functions_not_inlined() returns setof regprocedure language plpgsql as $f$
declare
    v_fn record;
    v_plan text;
    v_row text;
    v_args text;
begin
    for v_fn in
        select
            p.oid::regprocedure as sig, pg_catalog.format('%I.%I', n.nspname, p.proname) as name,
            p.proretset, p.proargtypes::oid [] as argtypes
        from pg_catalog.pg_proc as p
        inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
        inner join pg_catalog.pg_language as l on p.prolang = l.oid
        where
            l.lanname = 'sql' and p.provolatile in ('i', 's') and p.proconfig is null and not p.prosecdef
            and n.nspname = any(ops.project_schemas()) and p.oid <> 'market.latest_price'::regproc
    loop
        -- Arguments from a subquery kept apart (offset 0), so they are not constants the planner folds.
        select
            coalesce(pg_catalog.string_agg(pg_catalog.format('null::%s as a%s', pg_catalog.format_type(u.t, null), u.i), ', '), '1'),
            coalesce(pg_catalog.string_agg(pg_catalog.format('a.a%s', u.i), ', '), '')
        into v_row, v_args
        from pg_catalog.unnest(v_fn.argtypes) with ordinality as u (t, i);
        select pg_catalog.string_agg(l.line, e'\n') into v_plan
        from pg_temp.explained(case
            when v_fn.proretset then pg_catalog.format(
                'select * from (select %s offset 0) as a, lateral %s(%s)', v_row, v_fn.name, v_args
            )
            else pg_catalog.format('select %s(%s) from (select %s offset 0) as a', v_fn.name, v_args, v_row)
        end) as l (line);
        if v_plan like '%' || v_fn.name || '(%' then
            return next v_fn.sig;
        end if;
    end loop;
end
$f$;
create function pg_temp.explained(p_query text) returns setof text language plpgsql as $f$
begin
    return query execute 'explain (verbose, costs off) ' || p_query;
end
$f$;
select is_empty('select * from pg_temp.sql_functions_not_inlined()',
    'every stable or immutable SQL function without a SET clause is planned in place');

-- Violations are made as the owner, the way a careless migration or sql/ file would.
set local role tradebase_owner;

create function trading.lint_definer() returns int language sql security definer as 'select 1';
comment on function trading.lint_definer() is 'x';
select ok(pg_temp.lint_catches('security_definer_without_search_path', 'trading.lint_definer()'),
    'security definer without search_path is caught');

create table trading.lint_money (id int primary key, amount double precision, sharpe double precision);
comment on table trading.lint_money is 'x';
comment on column trading.lint_money.sharpe is 'Statistic: a ratio, not money.';
alter table trading.lint_money enable row level security;
select ok(pg_temp.lint_catches('float_column_not_statistic', 'trading.lint_money.amount'), 'a float money column is caught');
select ok(not pg_temp.lint_catches('float_column_not_statistic', 'trading.lint_money.sharpe'),
    'a float column marked as a statistic is allowed');

create table trading.lint_time (id int primary key, at timestamp);
comment on table trading.lint_time is 'x';
alter table trading.lint_time enable row level security;
select ok(pg_temp.lint_catches('timestamp_without_time_zone', 'trading.lint_time.at'),
    'timestamp without time zone is caught');

create table trading.lint_child (id int primary key, parent_id int constraint lint_child_parent_fk references trading.lint_time (id));
comment on table trading.lint_child is 'x';
alter table trading.lint_child enable row level security;
select ok(pg_temp.lint_catches('foreign_key_without_index', 'trading.lint_child lint_child_parent_fk'),
    'a foreign key without an index is caught');
create index on trading.lint_child (parent_id);
select ok(not pg_temp.lint_catches('foreign_key_without_index', 'trading.lint_child%'), 'indexing it satisfies the rule');

create table trading.lint_norls (id int primary key);
comment on table trading.lint_norls is 'x';
select ok(pg_temp.lint_catches('row_level_security_disabled', 'trading.lint_norls'),
    'a user-data table without RLS is caught');

grant insert on trading.lint_norls to tradebase_app;
select ok(pg_temp.lint_catches('app_role_may_write_table', 'trading.lint_norls'), 'a write grant to the app role is caught');

grant select on trading.lint_norls to tradebase_analyst;
select ok(pg_temp.lint_catches('analyst_reads_outside_analytics', 'trading.lint_norls'),
    'an analyst grant outside analytics is caught');

create table auth.lint_secret (id int primary key, token_hash bytea);
comment on table auth.lint_secret is 'x';
comment on column auth.lint_secret.token_hash is 'Secret: a hash.';
alter table auth.lint_secret enable row level security;
select ok(not pg_temp.lint_catches('secret_readable_by_role', 'auth.lint_secret%'), 'a secret table nobody may read passes');
grant select (id, token_hash) on auth.lint_secret to tradebase_app;
select ok(pg_temp.lint_catches('secret_readable_by_role', 'auth.lint_secret by tradebase_app'),
    'a table holding a secret readable by the app role (even through a column grant) is caught');

create table trading.lint_parted (id int, at timestamptz) partition by range (at);
comment on table trading.lint_parted is 'x';
alter table trading.lint_parted enable row level security;
create table trading.lint_parted_2020 partition of trading.lint_parted for values from ('2020-01-01') to ('2021-01-01');
alter table trading.lint_parted_2020 enable row level security;
grant select on trading.lint_parted_2020 to tradebase_app;
select ok(pg_temp.lint_catches('role_privilege_on_partition', 'trading.lint_parted_2020'),
    'a privilege on a child partition is caught');

create function trading.lint_public() returns int language sql as 'select 1';
comment on function trading.lint_public() is 'x';
grant execute on function trading.lint_public() to public;
select ok(pg_temp.lint_catches('function_executable_by_public', 'trading.lint_public()'),
    'a function executable by PUBLIC is caught');

create function trading.lint_app_exec() returns int language sql as 'select 1';
comment on function trading.lint_app_exec() is 'x';
grant execute on function trading.lint_app_exec() to tradebase_app, tradebase_analyst;
select ok(pg_temp.lint_catches('app_role_executes_outside_api', 'trading.lint_app_exec()'),
    'an app grant on a function outside api is caught');
select ok(pg_temp.lint_catches('analyst_executes_outside_analytics', 'trading.lint_app_exec()'),
    'an analyst grant on a function outside analytics is caught');

create view api.lint_view as select 1 as x;
comment on view api.lint_view is 'x';
select ok(pg_temp.lint_catches('api_view_not_security_invoker', 'api.lint_view'), 'an api view without security_invoker is caught');

create table api.lint_table (id int);
comment on table api.lint_table is 'x';
select ok(pg_temp.lint_catches('api_schema_holds_table', 'api.lint_table'), 'a table in api is caught');

create function api.lint_storage(p_id uuid) returns setof trading.orders language sql stable
as 'select * from trading.orders where id = p_id';
comment on function api.lint_storage(uuid) is 'x';
select ok(pg_temp.lint_catches('api_returns_storage_type', 'api.lint_storage(uuid) returns trading.orders'),
    'an api function returning a table''s storage type is caught');
create function api.lint_storage_array() returns trading.orders [] language sql stable
as 'select array(select o from trading.orders as o)';
comment on function api.lint_storage_array() is 'x';
select ok(pg_temp.lint_catches('api_returns_storage_type', 'api.lint_storage_array() returns trading.orders[]'),
    'an api function returning an array of a table''s rows is caught');
create function api.lint_api_row(p_id uuid) returns api.orders language sql stable
as 'select * from api.orders where id = p_id';
comment on function api.lint_api_row(uuid) is 'x';
select ok(not pg_temp.lint_catches('api_returns_storage_type', 'api.lint_api_row(uuid)%'),
    'an api function returning an api view''s row type is allowed');

create function trading.lint_nocomment() returns int language sql as 'select 1';
select ok(pg_temp.lint_catches('missing_comment', 'trading.lint_nocomment()'), 'a function without a comment is caught');

create function trading.lint_code() returns void language plpgsql as $f$
begin
    raise exception 'x' using errcode = 'TB999';
end $f$;
comment on function trading.lint_code() is 'x';
select ok(pg_temp.lint_catches('error_code_not_registered', 'trading.lint_code() raises TB999'),
    'a function raising an unregistered SQLSTATE is caught');

create function trading.lint_not_inlined(p_day date) returns date language sql immutable
as $f$ select pg_catalog.date_trunc('month', p_day)::date $f$;
comment on function trading.lint_not_inlined(date) is 'x';
select ok('trading.lint_not_inlined(date)'::regprocedure in (select * from pg_temp.sql_functions_not_inlined()),
    'an immutable SQL function calling a stable one (not inlined) is caught');

reset role;
create table trading.lint_owner (id int primary key);
comment on table trading.lint_owner is 'x';
alter table trading.lint_owner enable row level security;
select ok(pg_temp.lint_catches('not_owned_by_owner', 'trading.lint_owner'), 'an object not owned by tradebase_owner is caught');

select * from finish();
rollback;
