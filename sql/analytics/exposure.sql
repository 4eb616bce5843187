-- Exposure by asset type and currency: the open positions of user accounts at the latest quote, in the
-- security's own currency (rows are per currency, so nothing is converted or added across currencies),
-- paper and live (and fund) accounts apart.
create or replace view analytics.exposure as
select
    a.kind as account_kind,
    s.asset_type,
    s.currency,
    pg_catalog.count(*)::integer as positions,
    pg_catalog.count(distinct p.account_id)::integer as accounts,
    pg_catalog.count(distinct a.user_id)::integer as users,
    pg_catalog.count(distinct p.security_id)::integer as securities,
    pg_catalog.count(*) filter (where q.price is null)::integer as unpriced_positions,
    coalesce(pg_catalog.round(pg_catalog.sum(p.quantity * q.price) filter (where p.quantity > 0), 8), 0) as long_value,
    coalesce(pg_catalog.round(-pg_catalog.sum(p.quantity * q.price) filter (where p.quantity < 0), 8), 0) as short_value,
    coalesce(pg_catalog.round(pg_catalog.sum(pg_catalog.abs(p.quantity) * q.price), 8), 0) as gross_value,
    coalesce(pg_catalog.round(pg_catalog.sum(p.quantity * q.price), 8), 0) as net_value
from trading.positions as p
inner join trading.accounts as a on p.account_id = a.id
inner join market.securities as s on p.security_id = s.id
left join market.quotes as q on p.security_id = q.security_id
where p.quantity <> 0 and a.kind <> 'system'
group by a.kind, s.asset_type, s.currency;

comment on view analytics.exposure is
'Open positions of user accounts by account kind, asset type and currency, at the latest quotes in that '
'currency: positions, accounts, users, securities, unpriced positions (no quote: not in the values), long '
'value, short value (positive), gross (long + short) and net (long - short).';
comment on column analytics.exposure.currency is 'The securities'' currency: every value of the row is in it.';
