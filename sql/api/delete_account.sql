-- Soft delete: the row stays (ledgers and the audit trail reference it), the user can no longer log
-- in or authenticate, every session and API key is revoked and stored credentials are destroyed.
-- Nothing of the user acts later: open orders are canceled through the normal path (trading.close_order
-- releases what they reserve) and the accounts are archived, so a price that would have made a resting
-- order marketable fills nothing, and an order another session of the user is placing right now is
-- either canceled here or lands on an archived account and is rejected.
-- Funds: a user who manages a fund that is not closed is not deleted (TB083): archiving the fund's own
-- account and its fee account would leave investors' money in a fund nobody manages. Nor is a user who
-- holds fund shares (TB084): a deleted user could never redeem them, and the fund could then never close
-- (api.set_fund_status's TB081), nor its manager leave. The user's pending fund subscriptions are canceled
-- through the normal path (fund.cancel_flow: the held cash returns to its account) before the accounts are
-- archived, so none deals later into an archived account (a pending redemption implies shares, TB084).
-- Lock order: the user's row first (the update below), then the funds of the pending requests in id order
-- (no strike deals them meanwhile, so the shares checked stay as they are), then the accounts in id order.
-- api.subscribe and api.redeem hold the user's row before any other (auth.hold_active_user), so a request
-- made concurrently either committed first and is seen here, or waits and then finds the user deleted
-- (TB004). So does whatever else would outlive the deletion: trading.create_account (every account, every
-- fund's: api.create_fund's first write) on the row it locks, api.connect_platform, api.create_api_key,
-- api.enable_mfa and api.set_tax_id after the user's auth.user_security row (locked here first, by
-- auth.verify_password). Something new that acts later for a user (a plan, a follow, a bot) is stopped
-- here through its normal path, and its creator holds the user's row the same way.
-- depends: fund/cancel_flow.sql
create or replace function api.delete_account(p_current_password text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
    v_order_id uuid;
    v_fund fund.funds;
    v_flow fund.flows;
    v_holding record;
begin
    perform auth.require_scope('manage');
    perform auth.verify_password(v_user_id, p_current_password);
    update auth.users as u set is_active = false, deleted_at = pg_catalog.now() where u.id = v_user_id;
    select * into v_fund from fund.funds as f
    where f.manager_id = v_user_id and f.status <> 'closed'
    order by f.id limit 1;
    if found then
        perform app.raise_error('TB083', pg_catalog.format('user %s manages fund %s, which is %s', v_user_id, v_fund.id,
            v_fund.status), 'Close the fund first (api.set_fund_status), or hand it over.');
    end if;
    perform from fund.funds as f
    where f.id in (select l.fund_id from fund.flows as l where l.user_id = v_user_id and l.status = 'pending')
    order by f.id
    for update;
    select h.fund_id, h.shares into v_holding from fund.holdings as h
    where h.user_id = v_user_id and h.shares > 0
    order by h.fund_id limit 1;
    if found then
        perform app.raise_error('TB084', pg_catalog.format('user %s holds %s shares of fund %s', v_user_id,
            v_holding.shares, v_holding.fund_id), 'Redeem them first (api.redeem).');
    end if;
    -- The accounts are locked in id order (as the cash and order paths do) before their open orders are
    -- read, so orders committed meanwhile by a concurrent call are seen.
    perform from trading.accounts as a where a.user_id = v_user_id order by a.id for update;
    for v_order_id in
        select o.id
        from trading.orders as o
        inner join trading.accounts as a on o.account_id = a.id
        where a.user_id = v_user_id and o.status in ('new', 'partially_filled')
        order by o.id
    loop
        perform trading.close_order(v_order_id, 'canceled', 'account deleted');
    end loop;
    for v_flow in
        select l.* from fund.flows as l
        where l.user_id = v_user_id and l.status = 'pending'
        order by l.requested_at, l.id
    loop
        perform fund.cancel_flow(v_flow, 'account deleted', pg_catalog.clock_timestamp());
    end loop;
    update trading.accounts as a set status = 'archived' where a.user_id = v_user_id and a.status <> 'archived';
    update auth.user_sessions as s set revoked_at = pg_catalog.now() where s.user_id = v_user_id and s.revoked_at is null;
    update auth.api_keys as k set revoked_at = pg_catalog.now() where k.user_id = v_user_id and k.revoked_at is null;
    update auth.platform_connections as c
    set status = 'disconnected', disconnected_at = pg_catalog.now()
    where c.user_id = v_user_id and c.status <> 'disconnected';
    delete from auth.platform_credentials as p
    using auth.platform_connections as c
    where p.connection_id = c.id and c.user_id = v_user_id;
    update auth.user_security as s
    set password_hash = null, mfa_enabled = false, mfa_method = null, mfa_secret_encrypted = null,
        backup_code_hashes = '{}', tax_id_encrypted = null
    where s.user_id = v_user_id;
    perform app.set_context(null, null, null);
end
$$;

comment on function api.delete_account(text) is
'Soft-deletes the acting user after re-checking the password (TB001): cancels open orders (releasing what they '
'reserve) and pending fund requests (returning a subscription''s held cash), archives the accounts, deactivates '
'the user, revokes sessions and keys, disconnects platforms and destroys stored secrets. TB083 while the user '
'manages a fund that is not closed, TB084 while the user holds fund shares. Needs manage.';
