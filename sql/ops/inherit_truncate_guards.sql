-- Postgres clones row triggers to new partitions but not statement triggers, so a BEFORE TRUNCATE
-- guard on a parent (audit.log is append-only) would not protect a child created later. The
-- partition templates call this for every child they create.
create or replace function ops.inherit_truncate_guards(p_parent regclass, p_child regclass)
returns integer
language plpgsql
volatile
strict
set search_path = ''
as $$
declare
    v_guard record;
    v_created integer := 0;
begin
    for v_guard in
        select t.tgname, t.tgfoid::pg_catalog.regproc as fn
        from pg_catalog.pg_trigger as t
        where t.tgrelid = p_parent
            and not t.tgisinternal
            and (t.tgtype & 32) <> 0  -- TRUNCATE
            and (t.tgtype & 2) <> 0   -- BEFORE
            and not exists (select from pg_catalog.pg_trigger as c where c.tgrelid = p_child and c.tgname = t.tgname)
        order by t.tgname
    loop
        execute pg_catalog.format(
            'create trigger %I before truncate on %s for each statement execute function %s()',
            v_guard.tgname, p_child, v_guard.fn
        );
        v_created := v_created + 1;
    end loop;
    return v_created;
end
$$;

comment on function ops.inherit_truncate_guards(regclass, regclass) is
'Copies the parent''s BEFORE TRUNCATE statement triggers onto a partition (Postgres does not); returns how many.';
