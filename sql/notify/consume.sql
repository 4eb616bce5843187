-- One batch of one consumer, in the caller's transaction: claim, apply, record. The effect (the
-- handler) and the progress mark (notify.deliveries, then the cursor) commit together or not at all,
-- so a consumer that dies mid-batch leaves its events to the next run and none takes effect twice.
-- Claims skip rows another run has locked (FOR UPDATE SKIP LOCKED), so runs may overlap. Security
-- definer: tradebase worker may log in as a member of tradebase_worker, which reads no table.
-- depends: notify/make_notifications.sql
-- depends: notify/send_wakeups.sql
create or replace function notify.consume(p_consumer text, p_limit integer default 1000)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    -- Every transaction older than the oldest running one has ended: its events are final.
    v_horizon xid8 := pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot());
    v_consumer notify.consumers;
    v_after notify.consumers;
    v_events notify.events [];
    v_gap_xid xid8;
    v_gap_id bigint;
    v_new_xid xid8;
    v_new_id bigint;
begin
    if p_limit is null or p_limit < 1 then
        perform app.raise_error('22023', pg_catalog.format('p_limit %s is not a positive count', p_limit));
    end if;
    select * into v_consumer from notify.consumers as c where c.name = p_consumer;
    if not found then
        perform app.raise_error('P0002', 'no consumer ' || app.quote_input(p_consumer));
    end if;
    if v_consumer.after_consumer is not null then
        select * into v_after from notify.consumers as c where c.name = v_consumer.after_consumer;
    end if;

    v_events := array(
        select e
        from notify.events as e
        where
            (e.xid, e.id) > (v_consumer.cursor_xid, v_consumer.cursor_id)
            and not exists (
                select from notify.deliveries as d where d.consumer = p_consumer and d.event_id = e.id
            )
            and (
                v_after.name is null
                or (e.xid, e.id) <= (v_after.cursor_xid, v_after.cursor_id)
                or exists (select from notify.deliveries as d where d.consumer = v_after.name and d.event_id = e.id)
            )
        order by e.xid, e.id
        limit p_limit
        for update of e skip locked
    );

    if pg_catalog.cardinality(v_events) > 0 then
        execute pg_catalog.format('select %s($1)', v_consumer.handler) using v_events;
        insert into notify.deliveries (consumer, event_id, xid)
        select p_consumer, e.id, e.xid from pg_catalog.unnest(v_events) as e;
    end if;

    -- Fold into the cursor what is processed up to the first final event that is not (the gap).
    select e.xid, e.id into v_gap_xid, v_gap_id
    from notify.events as e
    where
        (e.xid, e.id) > (v_consumer.cursor_xid, v_consumer.cursor_id)
        and e.xid < v_horizon
        and not exists (select from notify.deliveries as d where d.consumer = p_consumer and d.event_id = e.id)
    order by e.xid, e.id
    limit 1;
    select d.xid, d.event_id into v_new_xid, v_new_id
    from notify.deliveries as d
    where
        d.consumer = p_consumer
        and d.xid < v_horizon
        and (v_gap_xid is null or (d.xid, d.event_id) < (v_gap_xid, v_gap_id))
    order by d.xid desc, d.event_id desc
    limit 1;
    if v_new_xid is not null then
        update notify.consumers as c
        set cursor_xid = v_new_xid, cursor_id = v_new_id
        where c.name = p_consumer and (c.cursor_xid, c.cursor_id) < (v_new_xid, v_new_id);
        delete from notify.deliveries as d
        where d.consumer = p_consumer and (d.xid, d.event_id) <= (v_new_xid, v_new_id);
    end if;
    return pg_catalog.cardinality(v_events);
end
$$;

comment on function notify.consume(text, integer) is
'Runs one batch of a consumer: claims up to p_limit events it has not processed (oldest first, skipping rows '
'locked by another run; with after_consumer, only events that one has processed), applies its handler, records '
'them in notify.deliveries and folds what is final into its cursor, all in the caller''s transaction. Returns how '
'many events it processed. 22023 for a bad limit, P0002 for an unknown consumer.';
