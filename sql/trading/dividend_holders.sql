-- Holders of record of a security at the start of an ex-date (UTC, §5): the units of each account from
-- its fills before that instant plus the position adjustments in effect by then (splits and their cash in
-- lieu by the action's effective date, paper resets by when they happened).
create or replace function trading.dividend_holders(p_security_id uuid, p_ex_date date)
returns table (account_id uuid, quantity numeric)
language sql
stable
set search_path = ''
as $$
    select u.account_id, pg_catalog.sum(u.quantity) as quantity
    from (
        select f.account_id, case f.side when 'buy' then f.quantity else -f.quantity end as quantity
        from trading.fills as f
        where f.security_id = p_security_id and f.filled_at < (p_ex_date::timestamp at time zone 'UTC')
        union all
        select j.account_id, j.quantity
        from trading.position_adjustments as j
        left join trading.corporate_actions as c on j.corporate_action_id = c.id
        where
            j.security_id = p_security_id and j.quantity <> 0
            and case
                when c.id is null then j.created_at < (p_ex_date::timestamp at time zone 'UTC')
                else c.effective_date < p_ex_date
            end
    ) as u
    group by u.account_id
    having pg_catalog.sum(u.quantity) <> 0
$$;

comment on function trading.dividend_holders(uuid, date) is
'Accounts holding p_security_id at the start of p_ex_date (UTC) and their units: fills before then plus split, '
'cash-in-lieu and reset adjustments in effect by then.';
