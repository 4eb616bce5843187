create or replace view api.benchmarks with (security_invoker = true) as
select
    b.symbol,
    b.name,
    b.benchmark_type,
    b.category,
    s.symbol as security_symbol,
    b.is_default,
    b.is_active
from market.benchmarks as b
left join market.securities as s on b.security_id = s.id;

comment on view api.benchmarks is
'The benchmarks an account may be compared with (api.set_account_benchmark): symbol, the security whose daily '
'closes give its returns, and which one is the platform default.';
