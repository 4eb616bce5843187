-- The one lot-closing routine (§5), shared by fills (trading.apply_fill) and by the cash in lieu of a
-- split's fractional unit (trading.split_account): closes p_quantity units of the account's open lots
-- in the security, oldest first (newest first with p_newest_first), taking from the last lot it
-- reaches only the units it needs and that share of its cost basis. p_cash is what p_cash_units
-- units bring in (a fill's cash flow, the cash in lieu); each closure gets its units' share of it,
-- and the piece that closes the last of p_cash_units takes the rounding remainder, so the closures
-- add up to p_cash exactly. Returns the closures, not yet written (their fill or adjustment is
-- written by the caller, and a closure references it), with their totals. The caller holds the
-- account's row lock.
-- No set search_path: it runs on every fill that closes lots, where a SET clause would cost a GUC save
-- and restore per call; its callers pin search_path = '', every name in it is schema-qualified, and
-- it is not security definer.
create or replace function trading.close_lots(
    p_account_id uuid,
    p_security_id uuid,
    p_quantity numeric,
    p_cash numeric,
    p_cash_units numeric,
    p_at timestamptz,
    p_newest_first boolean default false,
    out closures trading.lot_closures[],
    out closed_cost numeric,
    out closed_proceeds numeric
)
returns record
language plpgsql
volatile
as $$
declare
    v_lot trading.lots;
    v_left numeric := p_quantity;
    v_take numeric;
    v_cost_part numeric;
    v_proceeds_part numeric;
begin
    closures := '{}';
    closed_cost := 0;
    closed_proceeds := 0;
    for v_lot in
        select * from trading.lots as l
        where l.account_id = p_account_id and l.security_id = p_security_id and l.open_quantity <> 0
        order by case when p_newest_first then l.id end desc, l.id
        for update
    loop
        exit when v_left = 0;
        v_take := least(pg_catalog.abs(v_lot.open_quantity), v_left);
        v_cost_part := case
            when v_take = pg_catalog.abs(v_lot.open_quantity) then v_lot.cost_basis
            else pg_catalog.round(v_lot.cost_basis * v_take / pg_catalog.abs(v_lot.open_quantity), 8)
        end;
        v_proceeds_part := case
            when v_left = v_take and p_quantity = p_cash_units then p_cash - closed_proceeds
            else pg_catalog.round(p_cash * v_take / p_cash_units, 8)
        end;
        update trading.lots as l
        set
            open_quantity = l.open_quantity - pg_catalog.sign(l.open_quantity) * v_take,
            cost_basis = l.cost_basis - v_cost_part,
            closed_at = case when pg_catalog.abs(l.open_quantity) = v_take then p_at end
        where l.id = v_lot.id;
        closures := closures || row(
            null, v_lot.id, null, p_account_id, p_security_id, v_take, v_cost_part, v_proceeds_part,
            v_proceeds_part - v_cost_part, p_at, null
        )::trading.lot_closures;
        closed_cost := closed_cost + v_cost_part;
        closed_proceeds := closed_proceeds + v_proceeds_part;
        v_left := v_left - v_take;
    end loop;
end
$$;

comment on function trading.close_lots(uuid, uuid, numeric, numeric, numeric, timestamptz, boolean) is
'Closes p_quantity units of the account''s open lots in p_security_id, oldest first (newest first with '
'p_newest_first), splitting the cost basis of a lot closed in part; each closure''s proceeds are its units'' '
'share of p_cash (for p_cash_units units; the remainder goes to the piece that closes the last of them). '
'Returns the closures (trading.lot_closures rows without id, fill or adjustment, for the caller to write) and '
'their total cost basis and proceeds. The caller holds the account''s row lock.';
