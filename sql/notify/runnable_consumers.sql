-- What tradebase worker runs, in order: a consumer after the one it needs.
create or replace function notify.runnable_consumers()
returns table (name text, after_consumer text)
language sql
stable
security definer
set search_path = ''
as $$
    select c.name, c.after_consumer
    from notify.consumers as c
    where c.enabled
    order by c.name;
$$;

comment on function notify.runnable_consumers() is
'The enabled consumers with the consumer each runs after (tradebase worker orders them); for runners that '
'cannot read notify.consumers (members of tradebase_worker).';
