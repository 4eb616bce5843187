-- The strategy an api function acts on, with who may act on it: p_write (change it, record its signals)
-- only its owner; otherwise (backtest it) its owner or anyone for the public catalogue. 22023 for null,
-- P0002 when it does not exist, 42501 for another user's strategy (DESIGN §4) and, with p_write, for one of
-- the public catalogue. Locked FOR UPDATE with p_write, so concurrent updates apply one after the other.
create or replace function strategy.owned_strategy(p_strategy_id uuid, p_user_id uuid, p_write boolean)
returns strategy.strategies
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_strategy strategy.strategies;
begin
    if p_strategy_id is null then
        perform app.raise_error('22023', 'strategy id must not be null', 'Pass the id of a strategy (api.strategies).');
    end if;
    if p_write then
        select * into v_strategy from strategy.strategies as s where s.id = p_strategy_id for update;
    else
        select * into v_strategy from strategy.strategies as s where s.id = p_strategy_id;
    end if;
    if v_strategy.id is null then
        perform app.raise_error('P0002', pg_catalog.format('strategy %s does not exist', p_strategy_id),
            'Pass the id of one of your strategies or of the public catalogue (api.strategies).');
    end if;
    if v_strategy.user_id is distinct from p_user_id then
        if v_strategy.user_id is not null then
            perform app.raise_error('42501', pg_catalog.format('strategy %s belongs to another user', p_strategy_id), null);
        elsif p_write then
            perform app.raise_error('42501', pg_catalog.format('strategy %s is in the public catalogue, which nobody '
                || 'changes', p_strategy_id), 'Create your own strategy (api.create_strategy) with its parameters.');
        end if;
    end if;
    return v_strategy;
end
$$;

comment on function strategy.owned_strategy(uuid, uuid, boolean) is
'The strategy row when p_user_id may use it (p_write: change it, only its owner; else also the public catalogue), '
'locked with p_write; 22023 null id, P0002 unknown, 42501 another user''s or (p_write) a public one.';
