-- depends: 0720_funds
-- Room on each page for the daily strike's updates (docs/funds.md "The strike"): every strike rewrites each
-- struck fund's row (fee accrued, NAV per share, last strike day) and each open lot's row (its accrued
-- performance fee). With pages packed full the new version goes to another page and every index of the
-- table gets an entry (seven on funds, five on lots); with room on the page it is a heap-only update that
-- touches no index. Both tables are small (a row per fund, a row per subscription).
set local role tradebase_owner;

alter table fund.funds set (fillfactor = 50);
alter table fund.lots set (fillfactor = 50);
