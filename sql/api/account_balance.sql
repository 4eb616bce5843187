-- A user account's past balance is the balance_after of its newest posting at or before p_at: one
-- backward scan of transactions_account_posted_idx. Postings carry the clock time they were made,
-- which is later than now() (the transaction start), so p_at >= now() means "now, including this
-- transaction's own postings": the cash column. System accounts sum their postings.
create or replace function api.account_balance(p_account_id uuid, p_at timestamptz default now())
returns numeric
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
    v_account trading.accounts := trading.authorized_account(p_account_id);
begin
    if p_at is null then
        perform app.raise_error('22023', 'p_at must not be null', 'Omit it for the current balance.');
    end if;
    if v_account.kind = 'system' then
        return coalesce((
            select pg_catalog.sum(t.amount)
            from trading.transactions as t
            where t.account_id = p_account_id and (t.posted_at <= p_at or p_at >= pg_catalog.now())
        ), 0);
    elsif p_at >= pg_catalog.now() then
        return v_account.cash;
    end if;
    return coalesce((
        select t.balance_after
        from trading.transactions as t
        where t.account_id = p_account_id and t.posted_at <= p_at
        order by t.posted_at desc, t.id desc
        limit 1
    ), 0);
end
$$;

comment on function api.account_balance(uuid, timestamptz) is
'Cash of one of your accounts at p_at (default now): the balance after the last posting at or before it.';
