-- The seeds' reset_paper_account: cancel open orders, close the books of every position (lots close
-- at their cost, so no P&L is booked), bring cash back to the initial balance through a journal; audited.
create or replace function api.reset_paper_account(p_account_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_account trading.accounts;
    v_order_id uuid;
    v_position trading.positions;
    v_adjustment_id bigint;
    v_capital uuid;
begin
    perform auth.require_scope('trade');
    v_account := trading.authorized_account(p_account_id, true);
    if v_account.kind <> 'paper' then
        perform app.raise_error(
            '22023', pg_catalog.format('account %s is a %s account; only paper accounts reset', p_account_id, v_account.kind)
        );
    end if;

    for v_order_id in
        select o.id from trading.orders as o
        where o.account_id = p_account_id and o.status in ('new', 'partially_filled')
    loop
        perform trading.close_order(v_order_id, 'canceled', 'paper account reset');
    end loop;

    for v_position in
        select * from trading.positions as p where p.account_id = p_account_id and p.quantity <> 0 for update
    loop
        insert into trading.position_adjustments (account_id, security_id, kind, quantity)
        values (p_account_id, v_position.security_id, 'reset', -v_position.quantity)
        returning id into v_adjustment_id;
        insert into trading.lot_closures (
            lot_id, adjustment_id, account_id, security_id, quantity, cost_basis, proceeds, realized_pnl
        )
        select l.id, v_adjustment_id, l.account_id, l.security_id, pg_catalog.abs(l.open_quantity), l.cost_basis,
            l.cost_basis, 0
        from trading.lots as l
        where l.account_id = p_account_id and l.security_id = v_position.security_id and l.open_quantity <> 0;
        update trading.lots as l
        set open_quantity = 0, cost_basis = 0, closed_at = pg_catalog.now()
        where l.account_id = p_account_id and l.security_id = v_position.security_id and l.open_quantity <> 0;
        update trading.positions as p
        set quantity = 0, cost_basis = 0, updated_at = pg_catalog.now()
        where p.id = v_position.id;
    end loop;

    if v_account.cash <> v_account.initial_balance then
        v_capital := trading.system_account('paper_capital', v_account.base_currency);
        perform trading.post_journal(
            'reset',
            array[
                row(p_account_id, v_account.initial_balance - v_account.cash)::trading.journal_line,
                row(v_capital, v_account.cash - v_account.initial_balance)::trading.journal_line
            ],
            'paper account reset to its initial balance'
        );
    end if;
    perform audit.log_event(
        'paper_account_reset', null,
        pg_catalog.jsonb_build_object(
            'account_id', p_account_id, 'cash_before', v_account.cash, 'initial_balance', v_account.initial_balance
        )
    );
end
$$;

comment on function api.reset_paper_account(uuid) is
'Resets a paper account of the acting user: cancels its open orders, closes its positions'' books (lots close at '
'cost, no P&L), brings cash back to the initial balance through a reset journal, and audits it. 22023 for other '
'kinds of account; P0002/42501 for unknown or foreign accounts.';
