create or replace function api.create_account(
    p_name text,
    p_kind text default 'paper',
    p_template text default null,
    p_initial_balance numeric default null,
    p_base_currency text default 'USD',
    p_settings jsonb default '{}'
)
returns uuid
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_user_id uuid := auth.require_user();
begin
    perform auth.require_scope('trade');
    if p_kind is distinct from 'paper' and p_kind is distinct from 'live' then
        perform app.raise_error('22023', pg_catalog.format('account kind %s is not paper or live', app.quote_input(p_kind)),
            'Use paper or live; fund accounts come with api.create_fund.');
    end if;
    return trading.create_account(
        v_user_id, p_name, p_kind, p_template, p_initial_balance, p_base_currency, p_settings
    );
end
$$;

comment on function api.create_account(text, text, text, numeric, text, jsonb) is
'Open an account for the acting user: kind paper or live, an optional template (api.account_templates), settings '
'cost_basis_method, commission_per_order, commission_rate, slippage_bps, allow_short, max_volume_participation '
'(unknown keys rejected). Paper accounts start with the initial balance (template''s, else 100,000). 22023 for a '
'kind other than paper or live, a bad name, balance, currency or setting; P0002 an unknown template; TB045 a name '
'the user has; TB004 for a user deleted meanwhile.';
