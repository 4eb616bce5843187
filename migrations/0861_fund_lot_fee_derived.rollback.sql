-- Undo 0861: each lot's accrued performance fee stored again, computed from its fund's last NAV per share.
-- The columns after it (opened_at, crystallized_at) are made again behind it, so the table has its columns
-- in their former order; the views that read them go with them (cascade) and tradebase migrate re-creates
-- them from sql/.
set local role tradebase_owner;

alter table fund.lots
add column accrued_performance_fee app.money not null default 0,
add column opened_at_again timestamptz not null default now(),
add column crystallized_at_again timestamptz;
update fund.lots as l
set
    accrued_performance_fee = case
        when l.shares > 0
            then greatest(round((f.nav_per_share - l.high_water_mark) * l.shares * f.performance_fee_rate, 8), 0)
        else 0
    end,
    opened_at_again = l.opened_at,
    crystallized_at_again = l.crystallized_at
from fund.funds as f
where l.fund_id = f.id;
alter table fund.lots drop column opened_at cascade;
alter table fund.lots drop column crystallized_at cascade;
alter table fund.lots rename column opened_at_again to opened_at;
alter table fund.lots rename column crystallized_at_again to crystallized_at;
alter table fund.lots
add constraint lots_accrued_fee_not_negative_ck check (accrued_performance_fee >= 0),
add constraint lots_closed_lot_accrues_nothing_ck check (shares > 0 or accrued_performance_fee = 0);
comment on column fund.lots.accrued_performance_fee is
'(NAV per share - high-water mark) x shares x fee rate at the last strike when positive, else 0; not yet paid.';
comment on column fund.lots.crystallized_at is 'When its fee last crystallized (yearly or on a redemption).';
