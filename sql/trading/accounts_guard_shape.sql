-- What makes an account a system account (migration 0400): no owner, a purpose, never a default.
-- As CHECK constraints PostgreSQL would re-read and compile them for every update of an account,
-- cash movements included (every journal, every fill); this trigger fires only when one of those
-- columns is written. The cash rule (no cash on a system account), which a cash movement could break,
-- stays the check accounts_cash_only_for_user_accounts_ck.
create or replace function trading.accounts_guard_shape()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
    v_system constant boolean := new.kind = 'system';
    v_broken text;
begin
    v_broken := case
        when v_system = (new.user_id is not null)
            then 'a user account has an owner, a system account none (accounts_owner_unless_system)'
        when v_system <> (new.system_purpose is not null)
            then 'exactly system accounts have a purpose (accounts_system_purpose_only_for_system)'
        when v_system and new.is_default
            then 'a system account is never a default account (accounts_system_never_default)'
    end;
    if v_broken is not null then
        perform app.raise_error(
            '23514', pg_catalog.format('account %s (%s) breaks a rule: %s', new.id, new.kind, v_broken)
        );
    end if;
    return new;
end
$$;

comment on function trading.accounts_guard_shape() is
'Trigger: a user account has an owner and no purpose, a system account a purpose, no owner and is never a '
'default (23514 naming the rule).';

create or replace trigger accounts_guard_shape
before insert or update of kind, user_id, system_purpose, is_default on trading.accounts
for each row execute function trading.accounts_guard_shape();

comment on trigger accounts_guard_shape on trading.accounts is
'Enforces what makes an account a user or a system account (trading.accounts_guard_shape); not fired by cash '
'movements.';
