-- System accounts are made on first use so every currency gets its own without a seed list.
-- Concurrent first uses race on the unique (purpose, currency) constraint; the loser reads the winner's row.
create or replace function trading.system_account(p_purpose text, p_currency text)
returns uuid
language plpgsql
volatile
strict
set search_path = ''
as $$
declare
    v_id uuid;
begin
    select a.id into v_id
    from trading.accounts as a
    where a.system_purpose = p_purpose and a.base_currency = p_currency;
    if found then
        return v_id;
    end if;
    if p_purpose not in ('external_cash', 'market_clearing', 'fee_income', 'paper_capital') then
        perform app.raise_error('22023', pg_catalog.format('unknown system account purpose %L', p_purpose),
            'Use external_cash, market_clearing, fee_income or paper_capital.');
    elsif p_currency !~ '^[A-Z]{3}$' then
        perform app.raise_error('22023', pg_catalog.format('currency %L is not an ISO 4217 code', p_currency),
            'Use three upper-case letters, e.g. USD.');
    end if;
    insert into trading.accounts (name, kind, base_currency, system_purpose)
    values (p_purpose || ' ' || p_currency, 'system', p_currency, p_purpose)
    on conflict on constraint accounts_system_purpose_currency_uk do nothing
    returning id into v_id;
    if v_id is null then
        select a.id into strict v_id
        from trading.accounts as a
        where a.system_purpose = p_purpose and a.base_currency = p_currency;
    end if;
    return v_id;
end
$$;

comment on function trading.system_account(text, text) is
'The system account for a purpose (external_cash, market_clearing, fee_income, paper_capital) and currency, '
'created on first use (race-safe).';
