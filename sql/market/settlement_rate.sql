-- The FX rate a fill settles at, or null when none is known (the order is then rejected or
-- canceled with a reason instead of failing).
-- No set search_path: it runs on every order, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
-- It lived in trading before (risk, which comes before trading, values positions with it); the old
-- one is dropped.
drop function if exists trading.settlement_rate(text, text, timestamptz);
create or replace function market.settlement_rate(p_from text, p_to text, p_at timestamptz)
returns numeric
language plpgsql
stable
strict
as $$
begin
    if p_from = p_to then
        return 1;
    end if;
    begin
        return market.convert(1, p_from, p_to, p_at);
    exception when no_data_found then
        return null;
    end;
end
$$;

comment on function market.settlement_rate(text, text, timestamptz) is
'Units of p_to per unit of p_from at the newest rate at p_at (market.convert, 8 decimals); 1 for the same currency; '
'null when no rate is known.';
