create or replace view api.fund_strategies with (security_invoker = true) as
select
    s.fund_id,
    s.name,
    s.description,
    s.allocation_pct,
    s.updated_at
from fund.fund_strategies as s;

comment on view api.fund_strategies is 'How the funds you may see allocate their capital between strategies (at most 100 percent).';
