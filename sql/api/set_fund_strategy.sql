-- The manager sets (or with 0 removes) one strategy allocation of their fund; the allocations sum to at
-- most 100 percent, held by fund.fund_strategies_within_100 under the fund row's lock (concurrent
-- writers see each other).
-- depends: fund/managed_fund.sql
create or replace function api.set_fund_strategy(
    p_fund_id uuid,
    p_name text,
    p_allocation_pct numeric,
    p_description text default null
)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_pct numeric;
begin
    perform auth.require_scope('trade');
    v_pct := trading.checked_number(p_allocation_pct, 'p_allocation_pct', 0, 100, 2);
    if p_name is null or pg_catalog.btrim(p_name) = '' or pg_catalog.length(p_name) > 100 then
        perform app.raise_error('22023', 'p_name must be 1 to 100 characters, not blank', null);
    end if;
    perform fund.managed_fund(p_fund_id, false, 'sets its strategy allocations');
    if v_pct = 0 then
        delete from fund.fund_strategies as s where s.fund_id = p_fund_id and s.name = p_name;
        return;
    end if;
    insert into fund.fund_strategies as s (fund_id, name, description, allocation_pct)
    values (p_fund_id, p_name, p_description, v_pct)
    on conflict on constraint fund_strategies_pk do update
    set allocation_pct = excluded.allocation_pct, description = coalesce(excluded.description, s.description),
        updated_at = pg_catalog.now();
end
$$;

comment on function api.set_fund_strategy(uuid, text, numeric, text) is
'The fund''s manager sets one strategy allocation (percent of capital; 0 removes it). 23514 when the allocations '
'would sum above 100, 42501 another manager''s fund, P0002 unknown fund, 22023 malformed arguments.';
