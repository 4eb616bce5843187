-- Runs every ops.invariant_*() check. Each domain adds its checks as functions of that name
-- returning one text row per violation, so no file has to change when a check is added.
create or replace function ops.verify_invariants()
returns table (invariant text, detail text)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_check record;
begin
    for v_check in
        select p.oid::pg_catalog.regprocedure as fn, pg_catalog.substr(p.proname, 11) as name
        from pg_catalog.pg_proc as p
        where p.pronamespace = 'ops'::pg_catalog.regnamespace
            and p.proname like 'invariant\_%'
            and p.pronargs = 0
        order by p.proname
    loop
        return query execute pg_catalog.format('select %L::text, d::text from %s as d', v_check.name, v_check.fn);
    end loop;
end
$$;

comment on function ops.verify_invariants() is
'One row per violated invariant (none when the books are consistent); runs every ops.invariant_*() function.';
