-- depends: analytics/return_metrics.sql
-- analytics.return_metrics as an aggregate over a query, e.g. per account:
--   select account_id, (analytics.return_metrics_agg(r order by day)).* from … group by account_id
-- The returns are collected with the built-in array_append (amortised O(1) per row: it grows the state
-- in place) and the final function hands them to analytics.return_metrics, so there is one set of
-- formulas. Daily returns only (252 periods a year, no benchmark): a transition function of ours, needed
-- to carry a benchmark or another periodicity per row, copies the whole state on every row (quadratic:
-- 0.9 s for 10,000 rows, measured); for those, pass array_agg(r order by day) to the function.
-- The final function and the aggregate share this file: neither exists without the other, and migrate
-- re-applies the file whenever the final function is missing (a rollback of the row type drops both).
create or replace function analytics.return_metrics_final(p_returns double precision[])
returns analytics.return_metrics_row
language sql
immutable
parallel unsafe
set search_path = ''
as $$
    select * from analytics.return_metrics(p_returns)
$$;

comment on function analytics.return_metrics_final(double precision[]) is
'The final function of analytics.return_metrics_agg: analytics.return_metrics of the collected returns.';

-- The SQL linter's postgres dialect cannot parse CREATE AGGREGATE: its parse error is waived on the first line.
create or replace aggregate analytics.return_metrics_agg(double precision) ( -- noqa: PRS
    sfunc = pg_catalog.array_append,
    stype = double precision [],
    initcond = '{}',
    finalfunc = analytics.return_metrics_final
);

comment on aggregate analytics.return_metrics_agg(double precision) is
'analytics.return_metrics of the returns aggregated, in the aggregate''s ORDER BY (give one: the order of the '
'periods matters), 252 periods a year, no benchmark. A NULL return is 22023, as in the function.';
