-- A position's row rules (migration 0400): as CHECK constraints PostgreSQL would re-read and compile
-- them for every statement that writes a position, which is every fill; a PL/pgSQL trigger compiles
-- them once per transaction. Each keeps its constraint's name in the message.
-- No set search_path: it runs on every fill, where a SET clause would cost a GUC save and restore
-- per call; its callers pin search_path = '', every name in it is schema-qualified, and it is not
-- security definer.
create or replace function trading.positions_guard_rules()
returns trigger
language plpgsql
volatile
as $$
declare
    v_broken text;
begin
    v_broken := case
        when new.reserved_quantity > pg_catalog.abs(new.quantity)
            then 'open orders reserve no more than it holds (positions_reserved_within_quantity)'
        when new.quantity = 0 and new.cost_basis <> 0
            then 'a flat position has no cost basis (positions_flat_has_no_cost)'
    end;
    if v_broken is not null then
        perform app.raise_error(
            '23514', pg_catalog.format('position %s (%s held, %s reserved, cost %s) breaks a rule: %s',
                new.id, new.quantity, new.reserved_quantity, new.cost_basis, v_broken)
        );
    end if;
    return new;
end
$$;

comment on function trading.positions_guard_rules() is
'Trigger: open orders reserve no more of a position than it holds, and a flat position has no cost basis '
'(23514 naming the rule).';

create or replace trigger positions_guard_rules
before insert or update on trading.positions
for each row execute function trading.positions_guard_rules();

comment on trigger positions_guard_rules on trading.positions is
'Enforces the position''s row rules (trading.positions_guard_rules).';
