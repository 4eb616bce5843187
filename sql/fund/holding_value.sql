-- A fund's holding valued in the fund's currency (issue 17, docs/funds.md "The strike", step 2): quantity x
-- price, converted at the newest rate by p_at when the security's currency is another, to 8 decimals. The
-- one definition for fund.strike and its set-based twin fund.strike_quiet. An inlinable SQL function (no
-- SET clause, one expression): the same currency costs no call of market.convert.
create or replace function fund.holding_value(
    p_quantity numeric,
    p_price numeric,
    p_currency text,
    p_fund_currency text,
    p_at timestamptz
)
returns numeric
language sql
stable
as $$
    select pg_catalog.round(
        case
            when p_currency = p_fund_currency then p_quantity * p_price
            else market.convert(p_quantity * p_price, p_currency, p_fund_currency, p_at)
        end, 8
    )
$$;

comment on function fund.holding_value(numeric, numeric, text, text, timestamptz) is
'A holding of p_quantity at p_price in p_currency, valued in the fund''s currency p_fund_currency (converted at the '
'newest rate by p_at when they differ), to 8 decimals.';
