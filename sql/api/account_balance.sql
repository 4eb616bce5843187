-- A user account's balance at p_at is the balance_after of its newest posting at or before p_at: one
-- backward scan of transactions_account_posted_idx. Postings carry the clock time they were made
-- (trading.post_journal), so the default now() (the start of the calling transaction) excludes the
-- caller's own postings of this transaction. System accounts sum their postings.
create or replace function api.account_balance(p_account_id uuid, p_at timestamptz default now())
returns numeric
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_account trading.accounts;
    v_balance numeric;
begin
    perform auth.require_scope('read');
    v_account := trading.authorized_account(p_account_id);
    if p_at is null then
        perform app.raise_error('22023', 'p_at must not be null', 'Omit it for the current balance.');
    end if;
    if v_account.kind = 'system' then
        return coalesce((
            select pg_catalog.sum(t.amount)
            from trading.transactions as t
            where t.account_id = p_account_id and t.posted_at <= p_at
        ), 0);
    end if;
    -- The month of p_at first: partition pruning leaves one child (and the default) to search, which
    -- answers every account that moved this month; older balances fall back to all earlier months.
    select t.balance_after into v_balance
    from trading.transactions as t
    where
        t.account_id = p_account_id
        and t.posted_at <= p_at
        and t.posted_at >= pg_catalog.date_trunc('month', p_at, 'UTC')
    order by t.posted_at desc, t.id desc
    limit 1;
    if not found then
        select t.balance_after into v_balance
        from trading.transactions as t
        where t.account_id = p_account_id and t.posted_at <= p_at
        order by t.posted_at desc, t.id desc
        limit 1;
    end if;
    return coalesce(v_balance, 0);
end
$$;

comment on function api.account_balance(uuid, timestamptz) is
'Cash of one of your accounts at p_at (default now(), the start of the calling transaction): the balance after '
'the last posting at or before it; a system account''s sum of postings. 22023 for a null p_at or account id, P0002 '
'for an unknown account, 42501 for another user''s.';
