-- Opens an account for a user (api.create_account, the default paper account, funds): template
-- defaults, then validated settings on top (unknown keys rejected), and for paper accounts the
-- initial balance as a journal from the paper_capital system account (so cash = sum of postings).
-- depends: trading/setting_number.sql trading/post_journal.sql trading/system_account.sql
create or replace function trading.create_account(
    p_user_id uuid,
    p_name text,
    p_kind text,
    p_template text,
    p_initial_balance numeric,
    p_base_currency text,
    p_settings jsonb
)
returns uuid
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_settings jsonb := coalesce(p_settings, '{}');
    v_template trading.account_templates;
    v_unknown text;
    v_initial app.money;
    v_method text;
    v_participation numeric;
    v_id uuid;
    v_active boolean;
begin
    if p_kind is null or p_kind not in ('paper', 'live', 'fund') then
        perform app.raise_error('22023', pg_catalog.format('account kind %L is not paper, live or fund', p_kind),
            'Use paper or live.');
    elsif p_name is null or pg_catalog.btrim(p_name) = '' or pg_catalog.length(p_name) > 100 then
        perform app.raise_error('22023', 'account name must be 1 to 100 characters', null);
    elsif p_base_currency is null or p_base_currency !~ '^[A-Z]{3}$' then
        perform app.raise_error('22023', pg_catalog.format('currency %L is not an ISO 4217 code',
            p_base_currency), 'Use three upper-case letters, e.g. USD.');
    elsif pg_catalog.jsonb_typeof(v_settings) <> 'object' then
        perform app.raise_error('22023', pg_catalog.format('settings must be a JSON object, got %s', v_settings),
            null);
    end if;
    select pg_catalog.string_agg(k, ', ' order by k) into v_unknown
    from pg_catalog.jsonb_object_keys(v_settings) as k
    where k not in (
        'cost_basis_method', 'commission_per_order', 'commission_rate', 'slippage_bps', 'allow_short',
        'max_volume_participation'
    );
    if v_unknown is not null then
        perform app.raise_error('22023', pg_catalog.format('unknown account settings: %s', v_unknown),
            'Known settings: cost_basis_method, commission_per_order, commission_rate, slippage_bps, allow_short, '
            'max_volume_participation.');
    end if;

    if p_template is not null then
        select * into v_template from trading.account_templates as t where t.name = p_template;
        if not found then
            perform app.raise_error('P0002', pg_catalog.format('account template %L does not exist', p_template),
                'See api.account_templates.');
        end if;
    end if;

    v_method := coalesce(v_settings ->> 'cost_basis_method', v_template.cost_basis_method, 'fifo');
    if v_settings ? 'cost_basis_method' and (
        pg_catalog.jsonb_typeof(v_settings -> 'cost_basis_method') <> 'string' or v_method not in ('fifo', 'average')
    ) then
        perform app.raise_error('22023', pg_catalog.format('setting cost_basis_method must be "fifo" or "average", '
            'got %s', v_settings -> 'cost_basis_method'), null);
    end if;
    if v_settings ? 'allow_short' and pg_catalog.jsonb_typeof(v_settings -> 'allow_short') <> 'boolean' then
        perform app.raise_error('22023', pg_catalog.format('setting allow_short must be true or false, got %s',
            v_settings -> 'allow_short'), null);
    end if;
    if pg_catalog.jsonb_typeof(v_settings -> 'max_volume_participation') = 'null' then
        v_participation := null;
    else
        v_participation := trading.setting_number(
            v_settings, 'max_volume_participation', 0.00000001, 1, 8, v_template.max_volume_participation
        );
    end if;

    if p_initial_balance is null then
        v_initial := case when p_kind = 'paper' then coalesce(v_template.initial_balance, 100000) else 0 end;
    elsif p_initial_balance = 0 then
        v_initial := 0;
    else
        v_initial := trading.positive_amount(p_initial_balance, 'p_initial_balance');
    end if;
    if v_initial > 0 and p_kind <> 'paper' then
        perform app.raise_error('22023', pg_catalog.format('a %s account starts empty, got initial balance %s',
            p_kind, v_initial), 'Create it without an initial balance and deposit cash.');
    end if;

    -- One account creation per user at a time: the default flag and the name stay unique without a retry.
    -- The same lock queues it with api.delete_account's update of the row: an account opened first is
    -- archived by the deletion, one opened after it finds the user deleted (TB004), never an active
    -- account of a deleted user.
    select u.is_active and u.deleted_at is null into v_active from auth.users as u where u.id = p_user_id
    for no key update;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('user %s does not exist', p_user_id), null);
    elsif not v_active then
        perform app.raise_error('TB004', pg_catalog.format('user %s is disabled', p_user_id));
    end if;
    if exists (
        select from trading.accounts as a
        where a.user_id = p_user_id and pg_catalog.lower(a.name) = pg_catalog.lower(p_name)
    ) then
        perform app.raise_error('TB045', pg_catalog.format('user %s already has an account named %L',
            p_user_id, p_name), null);
    end if;

    insert into trading.accounts (
        user_id, template_id, name, kind, account_type, risk_level, base_currency, initial_balance, cash,
        is_default, cost_basis_method, commission_per_order, commission_rate, slippage_bps, allow_short,
        max_volume_participation
    )
    values (
        p_user_id, v_template.id, p_name, p_kind,
        coalesce(v_template.account_type, 'balanced'), coalesce(v_template.risk_level, 'medium'),
        p_base_currency, v_initial, 0,
        not exists (select from trading.accounts as a where a.user_id = p_user_id and a.is_default),
        v_method,
        trading.setting_number(v_settings, 'commission_per_order', 0, app.max_amount(), 8,
            coalesce(v_template.commission_per_order, 0)),
        trading.setting_number(v_settings, 'commission_rate', 0, 1, 8, coalesce(v_template.commission_rate, 0)),
        -- At most 50 %: a sell at the smallest price, 0.00000001, less slippage still rounds to a price
        -- above zero (docs/trading.md, "Limits").
        trading.setting_number(v_settings, 'slippage_bps', 0, 5000, 2, coalesce(v_template.slippage_bps, 0)),
        coalesce((v_settings ->> 'allow_short')::boolean, v_template.allow_short, false),
        v_participation
    )
    returning id into v_id;

    if v_initial > 0 then
        perform trading.post_journal(
            'initial_balance',
            array[(trading.system_account('paper_capital', p_base_currency), -v_initial), (v_id, v_initial)]
            ::trading.journal_line [],
            'initial balance'
        );
    end if;
    return v_id;
end
$$;

comment on function trading.create_account(uuid, text, text, text, numeric, text, jsonb) is
'Open an account for p_user_id from an optional template and validated settings (unknown keys: 22023); a paper '
'account''s initial balance is posted from paper_capital. TB045 for a name the user already has, TB004 for a '
'disabled or deleted user (the user''s row locked, so a concurrent api.delete_account sees the account).';
