-- depends: 0720_funds 0860_fund_management_fee_settlements
-- A lot's accrued performance fee is no longer stored (issue 17's cost limit, docs/funds.md "Demo and
-- benchmark"): every strike rewrote every open lot with (NAV per share - its high-water mark) x shares x
-- rate at the NAV per share struck, which fund.funds.nav_per_share keeps until the next strike; it is now
-- derived from them where it is read (fund.lot_performance_fee, api.fund_lots, api.fund_holdings). The
-- column goes only if every lot holds what it derives to; the rollback computes it again. The views that
-- read it go with it (cascade) and tradebase migrate re-creates them from sql/, deriving it.
set local role tradebase_owner;

do $$
begin
    if exists (
        select
        from fund.lots as l
        inner join fund.funds as f on l.fund_id = f.id
        where l.accrued_performance_fee
            <> greatest(round((f.nav_per_share - l.high_water_mark) * l.shares * f.performance_fee_rate, 8), 0)
    ) then
        raise exception 'a lot''s accrued performance fee differs from what its fund''s last NAV per share gives'
        using hint = 'Strike the fund first: the strike sets every open lot''s fee.';
    end if;
end
$$;

alter table fund.lots drop column accrued_performance_fee cascade;
