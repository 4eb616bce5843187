-- The expire_orders job: the day orders of the day that ended (trading.expire_day_orders at its end).
create or replace function ops.job_expire_orders(p_period_start timestamptz, p_period_end timestamptz)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
begin
    perform p_period_start;
    return trading.expire_day_orders(p_period_end);
end
$$;

comment on function ops.job_expire_orders(timestamptz, timestamptz) is
'Job expire_orders: expires the open day orders whose UTC day ended by p_period_end; returns how many.';
