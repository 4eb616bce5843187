-- A signal for one of the acting user's signals strategies (issue 16 §1): what a user or an outside model
-- decided for a security at a time; api.run_backtest trades a signals strategy on them (DESIGN §5's fills:
-- the next bar's open). One signal per strategy, security and time.
create or replace function api.record_signal(
    p_strategy_id uuid,
    p_symbol text,
    p_action text,
    p_signal_at timestamptz default pg_catalog.now(),
    p_price numeric default null,
    p_confidence numeric default null,
    p_note text default null
)
returns bigint
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid;
    v_strategy strategy.strategies;
    v_security_id uuid;
    v_action text := pg_catalog.lower(p_action);
    v_id bigint;
begin
    perform auth.require_scope('trade');
    v_user_id := auth.require_user();
    v_strategy := strategy.owned_strategy(p_strategy_id, v_user_id, true);
    if v_strategy.strategy_type <> 'signals' then
        perform app.raise_error('22023', pg_catalog.format('strategy %s is of type %s: signals are recorded for signals '
            || 'strategies only', p_strategy_id, v_strategy.strategy_type),
            'Create a strategy of type signals (api.create_strategy) and record its signals.');
    end if;
    if v_action is null or v_action not in ('buy', 'sell', 'close') then
        perform app.raise_error('22023', pg_catalog.format('signal action %s is unknown', app.quote_input(p_action)),
            'Use buy (be long), sell (be short) or close (be flat).');
    end if;
    if p_symbol is null then
        perform app.raise_error('22023', 'symbol must not be null', 'Pass the symbol of a security.');
    end if;
    select s.id into v_security_id from market.securities as s where s.symbol = p_symbol;
    if v_security_id is null then
        perform app.raise_error('P0002', pg_catalog.format('security %s does not exist', app.quote_input(p_symbol)),
            'Use the symbol of a known security (market.securities).');
    end if;
    perform trading.checked_time(p_signal_at, 'p_signal_at');
    if p_price is not null then
        perform trading.positive_price(p_price, 'p_price');
    end if;
    if p_confidence is not null then
        perform trading.checked_number(p_confidence, 'p_confidence', 0, 1, 4);
    end if;
    if pg_catalog.length(p_note) > 500 then
        perform app.raise_error('22023', 'signal note is longer than 500 characters', 'Shorten the note.');
    end if;
    begin
        insert into strategy.signals (user_id, strategy_id, security_id, signal_at, action, price, confidence, note)
        values (v_user_id, v_strategy.id, v_security_id, p_signal_at, v_action, p_price, p_confidence, p_note)
        returning id into v_id;
    exception when unique_violation then
        perform app.raise_error('22023', pg_catalog.format('strategy %s already has a signal for %s at %s',
            p_strategy_id, app.quote_input(p_symbol), p_signal_at), 'Record it at another time.');
    end;
    return v_id;
end
$$;

comment on function api.record_signal(uuid, text, text, timestamptz, numeric, numeric, text) is
'Records a signal (buy: be long, sell: be short, close: be flat) of one of the acting user''s signals strategies '
'for a security at a time (at most clock skew ahead of now), and returns its id. 22023: null id or symbol, a '
'strategy not of type signals, unknown action, bad time, price, confidence (0 to 1) or note, a signal already '
'recorded at that time; P0002 unknown strategy or symbol; 42501 another user''s or a public strategy; TB008.';
