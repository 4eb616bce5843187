-- Housekeeping over many accounts (matching resting orders on a price, a split, a dividend, a
-- snapshot, an expiry) never fails as a whole because of one account's data (§5): the caller catches
-- the error of that order or account and sets it aside here, with its reason recorded, and goes on.
-- An order is canceled with the reason (and its owner notified), or with p_security_id all the
-- account's open orders in that security (a split left the account's position as it was, so orders
-- priced for the split no longer fit it); the account gets a risk alert; the caller's session gets a
-- WARNING (and the server log with it). Which errors a caller catches is its choice, documented in
-- docs/trading.md ("One account never blocks the others"); this only records.
-- depends: trading/cancel_resting_order.sql
create or replace function trading.set_aside(
    p_action text,
    p_account_id uuid,
    p_order_id uuid,
    p_sqlstate text,
    p_message text,
    p_security_id uuid default null
)
returns text
language plpgsql
volatile
set search_path = ''
as $$
declare
    -- The failure, then the reason: what set it aside (an action names its price or date) and the failure.
    v_failure text := pg_catalog.format('%s (SQLSTATE %s)', pg_catalog.left(p_message, 300), p_sqlstate);
    v_reason text;
    v_account_id uuid := p_account_id;
    v_canceled boolean := false;
    v_repeat boolean;
    v_order_id uuid;
    v_state text;
    v_message text;
begin
    v_reason := pg_catalog.format('set aside by %s: %s', p_action, v_failure);
    if p_order_id is not null then
        select o.account_id into strict v_account_id from trading.orders as o where o.id = p_order_id;
    end if;
    if p_order_id is not null or p_security_id is not null then
        -- The order's own row may be what fails: then it stays open (tried again on the next price, and
        -- set aside again if it fails again), and the alert says so.
        begin
            for v_order_id in
                select o.id from trading.orders as o
                where
                    o.status in ('new', 'partially_filled')
                    and (o.id = p_order_id or (o.account_id = v_account_id and o.security_id = p_security_id))
                order by o.id
            loop
                perform trading.cancel_resting_order(v_order_id, v_reason);
                v_canceled := p_order_id is not null;
            end loop;
        exception when data_exception or check_violation then
            get stacked diagnostics v_state = returned_sqlstate, v_message = message_text;
            v_failure := pg_catalog.format(
                '%s; canceling it failed too: %s (SQLSTATE %s)', v_failure, pg_catalog.left(v_message, 300), v_state
            );
            v_reason := pg_catalog.format('set aside by %s: %s', p_action, v_failure);
        end;
    end if;

    -- An order that could not be canceled is set aside again on every price: the same failure of the
    -- account's orders is alerted (and notified) once, and again only after the owner has acknowledged it.
    -- (A set-aside account, by a split, a dividend or a snapshot, is alerted each time: each is its own event.)
    v_repeat := p_order_id is not null and not v_canceled and exists (
        select from risk.alerts as r
        where
            r.account_id = v_account_id and r.acknowledged_at is null
            and pg_catalog.right(r.message, pg_catalog.length(v_failure) + 2) = ': ' || v_failure
    );
    insert into risk.alerts (user_id, account_id, severity, message)
    select a.user_id, a.id, case when v_canceled then 'warning' else 'critical' end, v_reason
    from trading.accounts as a
    where a.id = v_account_id and not v_repeat;
    if not v_canceled and not v_repeat then
        -- A canceled order's owner already has its order_canceled event.
        insert into notify.events (user_id, kind, level, title, message, data)
        select
            a.user_id, 'risk_alert', 'critical', 'Set aside', v_reason,
            pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
                'account_id', a.id, 'order_id', p_order_id, 'sqlstate', p_sqlstate
            ))
        from trading.accounts as a
        where a.id = v_account_id;
    end if;
    raise warning using
        message = v_reason,
        detail = pg_catalog.format('account %s, order %s', v_account_id, coalesce(p_order_id::text, '-'));
    return v_reason;
end
$$;

comment on function trading.set_aside(text, uuid, uuid, text, text, uuid) is
'Records that p_action (matching, a split, a dividend, a snapshot, an expiry) set aside one order (p_order_id: '
'canceled with the reason, its owner notified) or one account (p_account_id; with p_security_id its open orders '
'in that security are canceled too) because of the error p_sqlstate / '
'p_message: a risk alert for the account (critical unless the order was canceled), a risk_alert notification when '
'nothing was canceled (both once while the same alert is unacknowledged), and a WARNING. Returns the reason.';
