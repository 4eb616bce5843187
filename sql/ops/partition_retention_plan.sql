-- depends: ops/partition_children.sql
-- What partition retention does at p_as_of, as SQL statements: one row per child to retire. The one
-- definition of retention, run by `tradebase partitions retention` (python/tradebase/partitions.py
-- prints or executes the statements) and by ops.run_maintenance. A child goes when its real upper bound
-- (from the catalog) is at or before p_as_of - retention, calendar arithmetic in UTC; the newest child
-- of a set never goes. The caller takes the set's advisory lock ('tradebase.partitions:' || parent).
create or replace function ops.partition_retention_plan(p_as_of timestamptz, p_parent text default null)
returns table (
    parent_table text,
    child text,
    mode text,
    lower_bound timestamptz,
    upper_bound timestamptz,
    statements text[]
)
language plpgsql
stable
set search_path = ''
as $$
declare
    v_set record;
    v_parent text;
    v_cutoff timestamptz;
    v_newest timestamptz;
begin
    if p_as_of is null or not pg_catalog.isfinite(p_as_of) then
        perform app.raise_error('22023', pg_catalog.format('p_as_of must be a point in time, got %s',
            coalesce(p_as_of::text, 'null')), 'Pass a finite timestamp with a time zone.');
    end if;
    for v_set in
        select t.parent_table, t.retention, t.retention_mode, t.archive_schema
        from ops.partitioned_tables as t
        where t.retention is not null and (p_parent is null or t.parent_table = p_parent)
        order by t.parent_table
    loop
        v_parent := pg_catalog.format('%I.%I', pg_catalog.split_part(v_set.parent_table, '.', 1),
            pg_catalog.split_part(v_set.parent_table, '.', 2));
        v_cutoff := ((p_as_of at time zone 'UTC') - v_set.retention) at time zone 'UTC';
        select max(c.upper_bound) into v_newest
        from ops.partition_children(v_parent::regclass) as c
        where not c.is_default and c.upper_bound is not null;
        return query
        select
            v_set.parent_table,
            c.child,
            v_set.retention_mode,
            c.lower_bound,
            c.upper_bound,
            case v_set.retention_mode
                when 'drop' then array[pg_catalog.format('drop table %s', c.child)]
                when 'detach' then array[pg_catalog.format('alter table %s detach partition %s', v_parent, c.child)]
                else array[pg_catalog.format('alter table %s detach partition %s', v_parent, c.child)]
                    || case
                        when pg_catalog.to_regnamespace(pg_catalog.quote_ident(v_set.archive_schema)) is null
                            then array[pg_catalog.format(
                                'create schema if not exists %I authorization tradebase_owner', v_set.archive_schema
                            )]
                        else array[]::text []
                    end
                    || pg_catalog.format('alter table %s set schema %I', c.child, v_set.archive_schema)
            end
        from ops.partition_children(v_parent::regclass) as c
        where not c.is_default and c.upper_bound is not null
            and c.upper_bound <= v_cutoff and c.upper_bound < v_newest
        order by c.lower_bound;
    end loop;
end
$$;

comment on function ops.partition_retention_plan(timestamptz, text) is
'Partition retention at p_as_of (of every registered set with a retention, or of p_parent): one row per child '
'past retention (upper bound at or before p_as_of - retention, UTC; never the newest) with the statements that '
'detach, archive or drop it. Plans only; tradebase partitions retention and ops.run_maintenance run them. 22023 '
'for a bad p_as_of.';
