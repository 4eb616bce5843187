-- A fund's strategy allocations sum to at most 100 percent, also under concurrent writers: the trigger
-- locks the fund row first, so a second writer waits for the first one's commit and its sum, a new
-- statement after the lock, sees the first one's row.
create or replace function fund.fund_strategies_within_100()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_total numeric;
begin
    perform from fund.funds as f where f.id = new.fund_id for no key update;
    select pg_catalog.sum(s.allocation_pct) into v_total
    from fund.fund_strategies as s
    where s.fund_id = new.fund_id;
    if v_total > 100 then
        perform app.raise_error('23514', pg_catalog.format(
            'the strategy allocations of fund %s would sum to %s percent', new.fund_id, v_total
        ), 'Lower or remove another allocation first: they sum to at most 100 percent.');
    end if;
    return null;
end
$$;

comment on function fund.fund_strategies_within_100() is
'Trigger: 23514 when a fund''s strategy allocations would sum to more than 100 percent (the fund row locked first).';
