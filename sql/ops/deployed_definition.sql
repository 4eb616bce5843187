-- What the catalog holds for one object an sql/ file creates, as a digest; null when it is missing.
-- tradebase migrate records it after applying a file and tradebase status compares (drift).
create or replace function ops.deployed_definition(p_kind text, p_name text, p_table text default null)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
    v_ident text [] := pg_catalog.parse_ident(p_name);
begin
    case p_kind
        when 'function', 'procedure' then
            return (
                select pg_catalog.md5(pg_catalog.string_agg(
                    pg_catalog.pg_get_functiondef(p.oid), e'\n' order by p.oid::pg_catalog.regprocedure::text
                ))
                from pg_catalog.pg_proc as p
                inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
                where n.nspname = v_ident[1] and p.proname = v_ident[2] and p.prokind <> 'a'
            );
        when 'aggregate' then
            -- pg_get_functiondef refuses aggregates: their definition is their pg_aggregate row.
            return (
                select pg_catalog.md5(pg_catalog.string_agg(pg_catalog.concat_ws(
                    '|', p.oid::pg_catalog.regprocedure, a.aggkind, a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                    a.aggtranstype::pg_catalog.regtype, a.agginitval, a.aggfinalextra, a.aggfinalmodify
                ), e'\n' order by p.oid::pg_catalog.regprocedure::text))
                from pg_catalog.pg_proc as p
                inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
                inner join pg_catalog.pg_aggregate as a on p.oid = a.aggfnoid
                where n.nspname = v_ident[1] and p.proname = v_ident[2]
            );
        when 'view', 'materialized view' then
            return (
                select pg_catalog.md5(pg_catalog.pg_get_viewdef(c.oid) || coalesce(c.reloptions::text, ''))
                from pg_catalog.pg_class as c
                where c.oid = pg_catalog.to_regclass(p_name)
            );
        when 'trigger' then
            return (
                select pg_catalog.md5(pg_catalog.pg_get_triggerdef(t.oid))
                from pg_catalog.pg_trigger as t
                where t.tgrelid = pg_catalog.to_regclass(p_table) and t.tgname = p_name
            );
        when 'policy' then
            return (
                select pg_catalog.md5(pg_catalog.concat_ws(
                    '|', p.polcmd, p.polpermissive, p.polroles::text,
                    pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                    pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
                ))
                from pg_catalog.pg_policy as p
                where p.polrelid = pg_catalog.to_regclass(p_table) and p.polname = p_name
            );
        else
            perform app.raise_error('22023', pg_catalog.format('unknown object kind %L', p_kind),
                'Use function, procedure, aggregate, view, materialized view, trigger or policy.');
    end case;
end
$$;

comment on function ops.deployed_definition(text, text, text) is
'Digest of the deployed definition of an object (kind, qualified name, table for triggers and policies); null if missing.';
