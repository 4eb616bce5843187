-- Malformed order arguments are errors (22023), never rejections and never a cast failure.
create or replace function trading.validate_order_arguments(
    p_account_id uuid,
    p_symbol text,
    p_side text,
    p_quantity numeric,
    p_order_type text,
    p_limit_price numeric,
    p_stop_price numeric,
    p_time_in_force text,
    p_client_order_id text
)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
    v_price_name text;
    v_price numeric;
begin
    if p_account_id is null then
        perform app.raise_error('22023', 'p_account_id is required');
    elsif p_symbol is null or pg_catalog.btrim(p_symbol) = '' then
        perform app.raise_error('22023', 'p_symbol is required');
    elsif p_side is null or p_side not in ('buy', 'sell') then
        perform app.raise_error('22023', pg_catalog.format('side %s is not buy or sell', p_side), 'Use buy or sell.');
    elsif p_order_type is null or p_order_type not in ('market', 'limit', 'stop', 'stop_limit') then
        perform app.raise_error(
            '22023', pg_catalog.format('order type %s is unknown', p_order_type), 'Use market, limit, stop or stop_limit.'
        );
    elsif p_time_in_force is null or p_time_in_force not in ('day', 'gtc', 'ioc', 'fok') then
        perform app.raise_error(
            '22023', pg_catalog.format('time in force %s is unknown', p_time_in_force), 'Use day, gtc, ioc or fok.'
        );
    elsif p_quantity is null or p_quantity = 'NaN' or p_quantity <= 0 or p_quantity >= 1e17
        or p_quantity <> pg_catalog.round(p_quantity, 10) then
        perform app.raise_error(
            '22023', pg_catalog.format('quantity %s is not a positive number of units', p_quantity),
            'Use a positive quantity below 1e17 with at most 10 decimals.'
        );
    elsif (p_order_type in ('limit', 'stop_limit')) <> (p_limit_price is not null) then
        perform app.raise_error(
            '22023', pg_catalog.format('a %s order %s a limit price', p_order_type,
                case when p_limit_price is null then 'needs' else 'takes no' end)
        );
    elsif (p_order_type in ('stop', 'stop_limit')) <> (p_stop_price is not null) then
        perform app.raise_error(
            '22023', pg_catalog.format('a %s order %s a stop price', p_order_type,
                case when p_stop_price is null then 'needs' else 'takes no' end)
        );
    elsif p_client_order_id is not null and pg_catalog.length(p_client_order_id) not between 1 and 64 then
        perform app.raise_error('22023', 'client_order_id must have 1 to 64 characters');
    end if;

    foreach v_price_name in array array['limit', 'stop'] loop
        v_price := case v_price_name when 'limit' then p_limit_price else p_stop_price end;
        if v_price = 'NaN' or v_price <= 0 or v_price >= 1e16 or v_price <> pg_catalog.round(v_price, 8) then
            perform app.raise_error(
                '22023', pg_catalog.format('%s price %s is not a positive price', v_price_name, v_price),
                'Use a positive price below 1e16 with at most 8 decimals.'
            );
        end if;
    end loop;
end
$$;

comment on function trading.validate_order_arguments(uuid, text, text, numeric, text, numeric, numeric, text, text) is
'Raises 22023 naming the first malformed order argument (side, type, time in force, quantity, prices, '
'client_order_id); returns nothing when all are well-formed.';
