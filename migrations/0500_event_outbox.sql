-- depends: 0440_limits
-- The event outbox (DESIGN §4, §5): one notify.events row per domain event, written in the transaction
-- that caused it; named consumers (notify.consumers) turn events into effects, each exactly once.
set local role tradebase_owner;

create table notify.events (
    id bigint generated always as identity primary key,
    xid xid8 not null default pg_current_xact_id(),
    user_id uuid not null,
    kind notify.notification_kind not null,
    level notify.notification_level not null default 'info',
    title text not null,
    message text not null,
    data notify.notification_data not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    constraint events_user_fk foreign key (user_id) references auth.users (id)
);
comment on table notify.events is
'The outbox: one row per domain event (order filled, partially filled, rejected, canceled, expired; risk alert), '
'written in the transaction that caused it. Consumers (notify.consumers) act on each event exactly once.';
comment on column notify.events.id is 'Event id, in insertion order (not commit order: see xid).';
comment on column notify.events.xid is
'The writing transaction. Every event of a transaction older than the oldest running one is final, so a '
'consumer''s cursor (xid, id) may pass it without missing a late commit (notify.consume).';
comment on column notify.events.user_id is 'The user the event is about.';
comment on column notify.events.kind is 'What happened.';
comment on column notify.events.level is 'info | warning | error | critical.';
comment on column notify.events.title is 'A short heading for the user.';
comment on column notify.events.message is 'The text for the user.';
comment on column notify.events.data is 'Ids and figures of the event (order_id, account_id, ...).';
comment on column notify.events.created_at is 'When the event was written.';
create index events_xid_id_ix on notify.events (xid, id);
create index events_user_ix on notify.events (user_id, id);
alter table notify.events enable row level security;

create table notify.consumers (
    name text primary key,
    handler text not null,
    after_consumer text,
    cursor_xid xid8 not null default '0'::xid8,
    cursor_id bigint not null default 0,
    enabled boolean not null default true,
    description text not null,
    created_at timestamptz not null default now(),
    constraint consumers_name_ck check (name ~ '^[a-z][a-z0-9_]{0,62}$'),
    constraint consumers_after_fk foreign key (after_consumer) references notify.consumers (name),
    constraint consumers_not_after_itself_ck check (after_consumer <> name),
    constraint consumers_handler_is_qualified_name_ck check (handler ~ '^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$')
);
comment on table notify.consumers is
'Named consumers of notify.events and their progress. Each runs its handler over batches of events '
'(notify.consume); every event up to the cursor (xid, id) is processed, those after it are in notify.deliveries.';
comment on column notify.consumers.name is 'The consumer''s name (tradebase worker runs every enabled one).';
comment on column notify.consumers.handler is
'The schema-qualified name of a function (notify.events[]) returning void that applies the effect of a batch, in '
'the claiming transaction.';
comment on column notify.consumers.after_consumer is
'Another consumer whose effect this one needs: it only sees events that one has processed.';
comment on column notify.consumers.cursor_xid is 'Progress: every event at or before (cursor_xid, cursor_id) is processed.';
comment on column notify.consumers.cursor_id is 'Progress: see cursor_xid.';
comment on column notify.consumers.enabled is 'false: tradebase worker skips it.';
comment on column notify.consumers.description is 'What the consumer does.';
comment on column notify.consumers.created_at is 'When the consumer was registered.';
create index consumers_after_ix on notify.consumers (after_consumer);
alter table notify.consumers enable row level security;
insert into notify.consumers (name, handler, after_consumer, description) values
('notifications', 'notify.make_notifications', null, 'Writes the user''s notify.notifications row for each event.'),
(
    'wakeups', 'notify.send_wakeups', 'notifications',
    'Sends each event''s notification id, and nothing else, on the tradebase_events channel.'
);

create table notify.deliveries (
    consumer text not null,
    event_id bigint not null,
    xid xid8 not null,
    processed_at timestamptz not null default now(),
    constraint deliveries_pk primary key (consumer, event_id),
    constraint deliveries_consumer_fk foreign key (consumer) references notify.consumers (name) on delete cascade
);
comment on table notify.deliveries is
'Events a consumer processed beyond its cursor (events of transactions that were still running, or out of order); '
'written with the effect, in one transaction, and folded into the cursor once the events before them are final.';
comment on column notify.deliveries.consumer is 'The consumer.';
comment on column notify.deliveries.event_id is 'The event processed (notify.events.id).';
comment on column notify.deliveries.xid is 'The event''s xid, to fold the row into the cursor.';
comment on column notify.deliveries.processed_at is 'When the effect committed.';
alter table notify.deliveries enable row level security;

-- The notification a consumer made from an event; the wakeups consumer stamps announced_at.
drop index notify.notifications_unannounced_ix;
comment on column notify.notifications.announced_at is
'When the wakeups consumer sent the id on the tradebase_events channel.';
alter table notify.notifications add column event_id bigint;
alter table notify.notifications add constraint notifications_event_uk unique (event_id);
comment on column notify.notifications.event_id is
'The notify.events row this notification was made from (the notifications consumer), at most one each.';
comment on table notify.notifications is
'Messages for a user, made from notify.events by the notifications consumer; their ids go out on '
'tradebase_events (the wakeups consumer).';

-- Expiry is an event too.
alter domain notify.notification_kind rename constraint notification_kind_is_known_ck to notification_kind_was_known_ck;
alter domain notify.notification_kind add constraint notification_kind_is_known_ck check (
    value in (
        'order_filled', 'order_partially_filled', 'order_rejected', 'order_canceled', 'order_expired',
        'risk_alert', 'goal_milestone', 'auto_invest_run', 'system'
    )
);
alter domain notify.notification_kind drop constraint notification_kind_was_known_ck;
