-- Support staff apply a corporate action (§5): trading.apply_dividend does it, for every holder.
-- depends: trading/apply_dividend.sql
create or replace function api.apply_dividend(
    p_symbol text,
    p_per_share numeric,
    p_ex_date date,
    p_pay_date date
)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
begin
    perform app.require_admin('apply a dividend');
    return trading.apply_dividend(p_symbol, p_per_share, p_ex_date, p_pay_date);
end
$$;

comment on function api.apply_dividend(text, numeric, date, date) is
'Admin: pays p_per_share x units to every account holding p_symbol at the start of p_ex_date (shorts are charged), '
'in account currency, one journal each; returns how many accounts it paid. A holder whose data fails (a data '
'exception, a check violation, or TB040 when a short cannot pay) is set aside with a critical alert and the '
'others are paid. 42501 non-admin, 22023 bad amount or '
'dates, P0002 unknown symbol, TB064 applied twice.';
