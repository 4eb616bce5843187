-- A fund trades and is paid through its manager's accounts (issue 17): its own account of kind fund, from
-- which api.withdraw and api.transfer_cash take nothing, and a live account for its fees. api.create_fund
-- opens them so; this holds it for every writer of the row, and since an account's kind and holder never
-- change (trading.accounts_kind_and_holder_fixed), it holds for good. An unknown account is left to the
-- foreign keys (23503).
create or replace function fund.funds_hold_their_accounts()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_account trading.accounts;
    v_fee_account trading.accounts;
begin
    select * into v_account from trading.accounts as a where a.id = new.account_id;
    select * into v_fee_account from trading.accounts as a where a.id = new.fee_account_id;
    if v_account.id is not null and (v_account.kind <> 'fund' or v_account.user_id is distinct from new.manager_id)
        then
        perform app.raise_error('23514', pg_catalog.format(
            'fund %s''s account %s is a %s account of %s, not a fund account of its manager %s', new.id,
            new.account_id, v_account.kind, coalesce(v_account.user_id::text, 'the system'), new.manager_id
        ), 'A fund trades through a fund account of its manager''s (api.create_fund opens it).');
    elsif v_fee_account.id is not null
        and (v_fee_account.kind <> 'live' or v_fee_account.user_id is distinct from new.manager_id) then
        perform app.raise_error('23514', pg_catalog.format(
            'fund %s''s fee account %s is a %s account of %s, not a live account of its manager %s', new.id,
            new.fee_account_id, v_fee_account.kind, coalesce(v_fee_account.user_id::text, 'the system'),
            new.manager_id
        ), 'A fund pays its fees into a live account of its manager''s (api.create_fund opens it).');
    end if;
    return new;
end
$$;

comment on function fund.funds_hold_their_accounts() is
'Trigger: 23514 unless a fund''s account is a fund account of its manager''s and its fee account a live one.';
