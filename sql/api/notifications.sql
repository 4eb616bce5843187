create or replace view api.notifications with (security_invoker = true) as
select
    n.id,
    n.kind,
    n.level,
    n.title,
    n.message,
    n.data,
    n.read_at,
    n.created_at
from notify.notifications as n;

comment on view api.notifications is 'Your notifications: fills, rejections, risk alerts, goals and auto-invest runs.';
