set local role tradebase_owner;

delete from notify.notifications
where kind = 'order_expired';
comment on table notify.notifications is
'Messages for a user (fills, rejections, risk alerts, goals, auto-invest); each is also sent with '
'pg_notify(''tradebase_events'', json).';
alter table notify.notifications drop constraint notifications_event_uk;
alter table notify.notifications drop column event_id;
comment on column notify.notifications.announced_at is
'When the event went out on the tradebase_events channel; null while it waits for notify.announce_pending.';
create index notifications_unannounced_ix on notify.notifications (created_at) where announced_at is null;

-- The functions over the outbox's row type go with it (sql/notify re-creates them after an up).
drop function if exists notify.make_notifications(notify.events[]);
drop function if exists notify.send_wakeups(notify.events[]);
drop table notify.deliveries;
drop table notify.consumers;
drop table notify.events;

alter domain notify.notification_kind rename constraint notification_kind_is_known_ck to notification_kind_was_known_ck;
alter domain notify.notification_kind add constraint notification_kind_is_known_ck check (
    value in (
        'order_filled', 'order_partially_filled', 'order_rejected', 'order_canceled', 'risk_alert',
        'goal_milestone', 'auto_invest_run', 'system'
    )
);
alter domain notify.notification_kind drop constraint notification_kind_was_known_ck;
