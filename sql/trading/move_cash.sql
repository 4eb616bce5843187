-- The shared body of api.deposit, api.withdraw and api.transfer_cash. The user accounts involved are
-- locked (id order) before anything is decided, which also serialises retries of one idempotency key.
-- depends: trading/post_journal.sql
create or replace function trading.move_cash(
    p_kind text,
    p_from uuid,
    p_to uuid,
    p_amount app.money,
    p_key_account uuid,
    p_idempotency_key text,
    p_memo text
)
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_account record;
    v_request jsonb;
    v_prior trading.idempotency_keys;
    v_journal bigint;
    v_key_found boolean := false;
    v_inactive text;
    v_available numeric;
    v_credited_cash numeric;
begin
    if pg_catalog.length(p_idempotency_key) not between 1 and 200 then
        perform app.raise_error('22023', 'p_idempotency_key must be 1 to 200 characters long',
            'Use a UUID or another short unique string.');
    elsif pg_catalog.length(p_memo) > 500 then
        perform app.raise_error('22023', 'p_memo must be at most 500 characters long', null);
    end if;

    -- Lock the user accounts (id order) and read what the decision needs in the same statement.
    for v_account in
        select a.id, a.status, a.cash, a.cash - a.reserved_cash as available
        from trading.accounts as a
        where a.id in (p_from, p_to) and a.kind <> 'system'
        order by a.id
        for update
    loop
        v_key_found := v_key_found or v_account.id = p_key_account;
        if v_account.status <> 'active' then
            v_inactive := coalesce(v_inactive, pg_catalog.format('account %s is %s', v_account.id, v_account.status));
        end if;
        if v_account.id = p_from then
            v_available := v_account.available;
        elsif v_account.id = p_to then
            v_credited_cash := v_account.cash;
        end if;
    end loop;
    if not v_key_found then
        perform app.raise_error('22023', pg_catalog.format('account %s is a system account', p_key_account),
            'Move cash of user accounts only.');
    end if;

    if p_idempotency_key is not null then
        v_request := pg_catalog.jsonb_build_object(
            'kind', p_kind, 'from', p_from, 'to', p_to, 'amount', p_amount, 'memo', p_memo
        );
        select * into v_prior
        from trading.idempotency_keys as k
        where k.account_id = p_key_account and k.idempotency_key = p_idempotency_key;
        if found then
            if v_prior.request = v_request then
                return v_prior.journal_id;
            end if;
            perform app.raise_error('TB042', pg_catalog.format(
                'idempotency key %L of account %s was used for journal %s with other arguments (%s)',
                p_idempotency_key, p_key_account, v_prior.journal_id, v_prior.request
            ), null);
        end if;
    end if;

    if v_inactive is not null then
        perform app.raise_error('TB043', v_inactive, null);
    elsif v_available < p_amount then
        perform app.raise_error('TB040', pg_catalog.format(
            'account %s has %s available (cash less reserved), %s requested', p_from, v_available, p_amount
        ), null);
    elsif v_credited_cash + p_amount > app.max_balance() then
        -- Cash stays within app.max_balance() (docs/trading.md, "Limits"): a 22023 here, not the
        -- domain's 23514 from the update.
        perform app.raise_error('22023', pg_catalog.format(
            'account %s holds %s; %s more would exceed the most an account may hold, %s',
            p_to, v_credited_cash, p_amount, app.max_balance()
        ), 'Move less, or spread the cash over several accounts (docs/trading.md, Limits).');
    end if;

    v_journal := trading.post_journal(
        p_kind,
        array[(p_from, -p_amount), (p_to, p_amount)]::trading.journal_line [],
        p_memo
    );
    if p_idempotency_key is not null then
        insert into trading.idempotency_keys (account_id, idempotency_key, request, journal_id)
        values (p_key_account, p_idempotency_key, v_request, v_journal);
    end if;
    return v_journal;
end
$$;

comment on function trading.move_cash(text, uuid, uuid, app.money, uuid, text, text) is
'Move p_amount from one account to another as one journal, with the idempotency key of p_key_account: a retry '
'with the same arguments returns the first journal, other arguments raise TB042. TB043 for inactive accounts, '
'TB040 when the debited user account''s cash less reserved cash is short; 22023 when the credited user account would '
'hold more than app.max_balance().';
