-- An account's kind and holder are fixed when it is opened: the rules that hang on them would otherwise be
-- undone by an update (paper cash never becomes real, trading.move_cash; nothing leaves a fund account but
-- through the fund's own dealings, api.withdraw and api.transfer_cash; a fund's accounts are its manager's,
-- fund.funds_hold_their_accounts). No api function changes either; this holds it for every writer.
create or replace function trading.accounts_kind_and_holder_fixed()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    if new.kind is distinct from old.kind or new.user_id is distinct from old.user_id then
        perform app.raise_error('23514', pg_catalog.format('account %s stays a %s account of %s', old.id, old.kind,
            coalesce(old.user_id::text, 'the system')), 'Open a new account instead (api.create_account).');
    end if;
    return new;
end
$$;

comment on function trading.accounts_kind_and_holder_fixed() is
'Trigger: 23514 when an update changes an account''s kind or holder (both fixed when it is opened).';
