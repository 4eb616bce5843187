-- A lot's row rules (migration 0400): as CHECK constraints PostgreSQL would re-read and compile them
-- for every statement that writes a lot, which is every opening fill; a PL/pgSQL trigger compiles
-- them once per transaction. Each keeps its constraint's name in the message.
-- No set search_path: it runs on every opening fill, where a SET clause would cost a GUC save and
-- restore per call; its callers pin search_path = '', every name in it is schema-qualified, and it
-- is not security definer.
create or replace function trading.lots_guard_rules()
returns trigger
language plpgsql
volatile
as $$
declare
    v_broken text;
begin
    v_broken := case
        when not (pg_catalog.sign(new.open_quantity) in (0, pg_catalog.sign(new.quantity))
            and pg_catalog.abs(new.open_quantity) <= pg_catalog.abs(new.quantity))
            then 'its open quantity lies between zero and its quantity, on the same side (lots_open_within_quantity)'
        when (new.open_quantity = 0) <> (new.closed_at is not null)
            then 'it is closed exactly when nothing is open (lots_closed_when_empty)'
        when new.open_quantity = 0 and new.cost_basis <> 0
            then 'an empty lot has no cost basis (lots_empty_has_no_cost)'
    end;
    if v_broken is not null then
        perform app.raise_error(
            '23514', pg_catalog.format('lot %s (%s open of %s, cost %s) breaks a rule: %s',
                new.id, new.open_quantity, new.quantity, new.cost_basis, v_broken)
        );
    end if;
    return new;
end
$$;

comment on function trading.lots_guard_rules() is
'Trigger: a lot''s open quantity lies between zero and its quantity on the same side, it is closed exactly when '
'empty, and an empty lot has no cost basis (23514 naming the rule).';

create or replace trigger lots_guard_rules
before insert or update on trading.lots
for each row execute function trading.lots_guard_rules();

comment on trigger lots_guard_rules on trading.lots is
'Enforces the lot''s row rules (trading.lots_guard_rules).';
