-- Each child of a partitioned parent with its real bounds, read from the catalog (never computed from
-- its name). Date bounds are read as UTC midnight; MINVALUE/MAXVALUE or list bounds give null bounds.
create or replace function ops.partition_children(p_parent regclass)
returns table (child text, is_default boolean, lower_bound timestamptz, upper_bound timestamptz)
language sql
stable
strict
set timezone = 'UTC'
as $$
    select
        c.oid::pg_catalog.regclass::text,
        b.bound = 'DEFAULT',
        m.v [1]::timestamptz,
        m.v [2]::timestamptz
    from pg_catalog.pg_inherits as i
    inner join pg_catalog.pg_class as c on i.inhrelid = c.oid
    cross join lateral (select pg_catalog.pg_get_expr(c.relpartbound, c.oid) as bound) as b
    left join lateral pg_catalog.regexp_match(
        b.bound, '^FOR VALUES FROM \(''([^'']+)''\) TO \(''([^'']+)''\)$'
    ) as m (v) on true
    where i.inhparent = p_parent
    order by m.v [1]::timestamptz nulls first
$$;

comment on function ops.partition_children(regclass) is
'Children of a range-partitioned parent with their real bounds (UTC); the default partition has is_default true.';
