-- An investor withdraws a pending request before the strike deals it; a subscription's held cash returns
-- to the account it came from. The fund row is locked first (as the strike locks it), so a request is
-- either dealt or canceled, never both.
-- depends: fund/cancel_flow.sql api/fund_flows.sql
create or replace function api.cancel_fund_flow(p_flow_id uuid)
returns api.fund_flows
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_flow fund.flows;
    v_row api.fund_flows;
begin
    perform auth.require_scope('transfer');
    if p_flow_id is null then
        perform app.raise_error('22023', 'p_flow_id must not be null', 'Pass the id of a pending flow (api.fund_flows).');
    end if;
    select * into v_flow from fund.flows as l where l.id = p_flow_id;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('fund flow %s does not exist', p_flow_id), null);
    elsif not app.is_admin() and v_flow.user_id is distinct from auth.require_user() then
        perform app.raise_error('42501', pg_catalog.format('fund flow %s belongs to another user', p_flow_id), null);
    end if;
    perform from fund.funds as f where f.id = v_flow.fund_id for update;
    select * into v_flow from fund.flows as l where l.id = p_flow_id;
    if v_flow.status <> 'pending' then
        perform app.raise_error('22023', pg_catalog.format('fund flow %s is %s, not pending', p_flow_id, v_flow.status),
            'Only pending requests can be canceled.');
    end if;
    perform fund.cancel_flow(v_flow, null, pg_catalog.clock_timestamp());
    select * into v_row from api.fund_flows as l where l.id = p_flow_id;
    return v_row;
end
$$;

comment on function api.cancel_fund_flow(uuid) is
'Cancel one of your pending subscriptions or redemptions before it deals; a subscription''s held cash returns to its '
'account. Returns the flow. P0002 unknown, 42501 another user''s, 22023 not pending.';
