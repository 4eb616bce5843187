-- Shared BEFORE UPDATE trigger: keeps updated_at current without every function remembering it.
create or replace function app.touch_updated_at()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    new.updated_at := pg_catalog.now();
    return new;
end
$$;

comment on function app.touch_updated_at() is 'Trigger: sets updated_at to now() on every update of the row.';
