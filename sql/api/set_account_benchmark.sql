-- The benchmark an account is compared with (issue 15 §3): one of market.benchmarks (api.benchmarks) by
-- its symbol, or NULL for the platform default (market.benchmarks.is_default). An account setting, so
-- the trade scope, like api.create_account's settings. Returns the symbol now in effect (the chosen one,
-- else the default; NULL when neither exists).
create or replace function api.set_account_benchmark(p_account_id uuid, p_benchmark text)
returns text
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_account trading.accounts;
    v_benchmark market.benchmarks;
begin
    perform auth.require_scope('trade');
    v_account := trading.authorized_account(p_account_id, true);
    if v_account.kind = 'system' then
        perform app.raise_error('22023', pg_catalog.format('account %s is a system account', p_account_id),
            'Benchmarks are chosen for user accounts.');
    end if;
    if p_benchmark is not null then
        select * into v_benchmark from market.benchmarks as b where b.symbol = p_benchmark;
        if not found then
            perform app.raise_error('P0002', pg_catalog.format('benchmark %s does not exist',
                app.quote_input(p_benchmark)), 'Pick a symbol of api.benchmarks, or pass null for the default.');
        elsif not v_benchmark.is_active or v_benchmark.security_id is null then
            perform app.raise_error('22023', pg_catalog.format('benchmark %s is %s', v_benchmark.symbol,
                case when v_benchmark.is_active then 'not priced (no security)' else 'inactive' end),
                'Pick an active benchmark of api.benchmarks, or pass null for the default.');
        end if;
    end if;
    update trading.accounts as a set benchmark_id = v_benchmark.id where a.id = p_account_id;
    return coalesce(
        v_benchmark.symbol, (select b.symbol from market.benchmarks as b where b.is_default)
    );
end
$$;

comment on function api.set_account_benchmark(uuid, text) is
'Chooses the benchmark (api.benchmarks symbol) one of your accounts is compared with, NULL for the platform '
'default; returns the symbol in effect. 22023 for an inactive benchmark, one without a security or a system '
'account; P0002 for an unknown account or benchmark; 42501 for another user''s account.';
