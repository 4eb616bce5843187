-- depends: 0620_snapshot_flows
-- Each account is compared with a benchmark (issue 15 §3): the one its owner chose
-- (trading.accounts.benchmark_id, api.set_account_benchmark), else the platform's default, the one
-- market.benchmarks row marked is_default (a unique partial index keeps it to one; an operator sets it).
-- A flag rather than a setting row: the default is a benchmark like any other, its foreign keys and its
-- security are checked where it lives, and switching it is one update of two rows.
set local role tradebase_owner;

alter table market.benchmarks add column is_default boolean not null default false;
alter table market.benchmarks add constraint benchmarks_default_is_active_with_security_ck
check (not is_default or (is_active and security_id is not null));
comment on column market.benchmarks.is_default is
'The platform''s default benchmark, for accounts that chose none (at most one row; active, with a security).';
create unique index benchmarks_one_default_uk on market.benchmarks ((true)) where is_default;

alter table trading.accounts add column benchmark_id uuid;
alter table trading.accounts add constraint accounts_benchmark_fk
foreign key (benchmark_id) references market.benchmarks (id);
comment on column trading.accounts.benchmark_id is
'The benchmark the owner compares the account with (api.set_account_benchmark); null: the platform default '
'(market.benchmarks.is_default).';
create index accounts_benchmark_idx on trading.accounts (benchmark_id);
