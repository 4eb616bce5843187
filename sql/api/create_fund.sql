-- A fund manager opens a fund (issue 17, DESIGN §4): terms inside its type's (the type's fees unless lower
-- ones are given, the investment range inside the type's), its own trading account (kind fund, owned by
-- the manager, traded only through api.fund_trade) and a live account of the manager's its fees are paid
-- to. Only users whose role is fund_manager open funds. The first crystallization is on
-- p_crystallization_date, a day from today to a year ahead (fund.checked_crystallization_date), by
-- default the next 31 December; once a year after that. Fund names are unique case-insensitively (22023,
-- also when another manager's fund of the name commits meanwhile: funds_name_uk, on conflict at the insert).
-- Its first lock is the manager's row, by trading.create_account (for no key update): two funds of one
-- manager queue there, and a concurrent api.delete_account either sees the fund (TB083) or makes this one
-- TB004.
-- depends: fund/subscriptions_account.sql fund/checked_crystallization_date.sql
drop function if exists api.create_fund(text, text, text, numeric, numeric, integer, numeric, numeric, text, text);
create or replace function api.create_fund(
    p_name text,
    p_fund_type text,
    p_description text default null,
    p_min_investment numeric default null,
    p_max_investment numeric default null,
    p_max_investors integer default null,
    p_management_fee_rate numeric default null,
    p_performance_fee_rate numeric default null,
    p_risk_level text default 'medium',
    p_benchmark text default null,
    p_crystallization_date date default null
)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user uuid;
    v_type fund.fund_types;
    v_min numeric;
    v_max numeric;
    v_management numeric;
    v_performance numeric;
    v_benchmark uuid;
    v_account uuid;
    v_fee_account uuid;
    v_crystallization date;
    v_id uuid;
begin
    perform auth.require_scope('trade');
    v_user := auth.require_user();
    if not exists (select from auth.users as u where u.id = v_user and u.role = 'fund_manager') then
        perform app.raise_error('42501', pg_catalog.format('user %s is not a fund manager', v_user),
            'Only users with the fund_manager role open funds.');
    elsif p_name is null or pg_catalog.btrim(p_name) = '' or pg_catalog.length(p_name) > 90 then
        perform app.raise_error('22023', 'p_name must be 1 to 90 characters, not blank', null);
    elsif pg_catalog.length(p_description) > 2000 then
        perform app.raise_error('22023', 'p_description must be at most 2000 characters long', null);
    elsif p_risk_level is null
        or p_risk_level not in ('very_low', 'low', 'medium', 'high', 'very_high', 'aggressive') then
        perform app.raise_error('22023', pg_catalog.format('risk level %s is unknown', app.quote_input(p_risk_level)),
            'Use very_low, low, medium, high, very_high or aggressive.');
    end if;
    select * into v_type from fund.fund_types as t where t.name = p_fund_type;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('fund type %s does not exist', app.quote_input(p_fund_type)),
            'Use mini, standard or premium.');
    end if;
    v_min := case when p_min_investment is null then v_type.min_investment else trading.checked_number(
        p_min_investment, 'p_min_investment', v_type.min_investment, v_type.max_investment, 8
    ) end;
    v_max := case when p_max_investment is null then v_type.max_investment else trading.checked_number(
        p_max_investment, 'p_max_investment', v_min, v_type.max_investment, 8
    ) end;
    v_management := case when p_management_fee_rate is null then v_type.management_fee_rate else trading.checked_number(
        p_management_fee_rate, 'p_management_fee_rate', 0, v_type.management_fee_rate, 8
    ) end;
    v_performance := case when p_performance_fee_rate is null then v_type.performance_fee_rate
        else trading.checked_number(p_performance_fee_rate, 'p_performance_fee_rate', 0, v_type.performance_fee_rate, 8)
    end;
    if p_max_investors is not null and p_max_investors < 1 then
        perform app.raise_error('22023', pg_catalog.format('p_max_investors must be at least 1, got %s', p_max_investors),
            'Leave it null for no limit.');
    end if;
    if p_benchmark is not null then
        select b.id into v_benchmark from market.benchmarks as b where b.symbol = p_benchmark;
        if not found then
            perform app.raise_error('P0002', pg_catalog.format('benchmark %s does not exist', app.quote_input(p_benchmark)),
                'See api.benchmarks.');
        end if;
    end if;
    v_crystallization := case
        when p_crystallization_date is null then
            pg_catalog.make_date(pg_catalog.date_part('year', pg_catalog.now() at time zone 'UTC')::integer, 12, 31)
        else fund.checked_crystallization_date(p_crystallization_date, 'p_crystallization_date')
    end;
    if exists (select from fund.funds as f where pg_catalog.lower(f.name) = pg_catalog.lower(p_name)) then
        perform app.raise_error('22023', pg_catalog.format('a fund named %s exists', app.quote_input(p_name)),
            'Choose another name.');
    end if;

    v_account := trading.create_account(v_user, p_name, 'fund', null, null, 'USD', null);
    v_fee_account := trading.create_account(v_user, p_name || ' fees', 'live', null, null, 'USD', null);
    -- The fund account's benchmark is the fund's: risk.metrics of the account (the fund's risk rows) use it.
    update trading.accounts as a set benchmark_id = v_benchmark where a.id = v_account and v_benchmark is not null;
    -- Another manager's fund of that name may commit between the check above and this insert: funds_name_uk
    -- settles it, and the same refusal as the check's follows, not a 23505.
    insert into fund.funds (
        name, description, manager_id, fund_type, account_id, fee_account_id, benchmark_id, management_fee_rate,
        performance_fee_rate, min_investment, max_investment, max_investors, risk_level, crystallization_date
    ) values (
        p_name, p_description, v_user, v_type.name, v_account, v_fee_account, v_benchmark, v_management,
        v_performance, v_min, v_max, p_max_investors, p_risk_level, v_crystallization
    )
    on conflict ((pg_catalog.lower(name))) do nothing
    returning id into v_id;
    if v_id is null then
        perform app.raise_error('22023', pg_catalog.format('a fund named %s exists', app.quote_input(p_name)),
            'Choose another name.');
    end if;
    perform audit.log_event('fund_created', v_user, pg_catalog.jsonb_build_object(
        'fund_id', v_id, 'name', p_name, 'crystallization_date', v_crystallization
    ));
    return v_id;
end
$$;

comment on function api.create_fund(text, text, text, numeric, numeric, integer, numeric, numeric, text, text, date) is
'Fund managers: open a fund of type mini, standard or premium (fees at most the type''s, the investment range inside '
'it) with its own account (kind fund) and a live account for its fees, first crystallizing on p_crystallization_date '
'(default the next 31 December); returns the fund id. 42501 unless the user is a fund manager, P0002 unknown type or '
'benchmark, 22023 terms outside the type''s, a crystallization date in the past or more than a year ahead, or a fund '
'name taken, TB045 an account name the manager has, TB004 the manager deleted meanwhile.';
