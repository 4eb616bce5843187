-- Who acts and why (issue 14 §1, DESIGN §3): the system actors that jobs and workers act as, the
-- actor and source of every order, and the actor of every audit row.
-- depends: 0540_journals_to_check
set local role tradebase_owner;

create table app.system_actors (
    name text primary key,
    description text not null,
    constraint system_actors_name_format_ck check (name ~ '^[a-z][a-z_]*$'),
    constraint system_actors_name_is_not_a_person_ck check (name not in ('owner', 'support'))
);
comment on table app.system_actors is
'The named actors of jobs and workers (DESIGN §3): assumed only by the owner or a member of tradebase_worker '
'(app.act_as_system, ops.run_job), never by an app login; what they do is audited under their name.';

insert into app.system_actors (name, description) values
('scheduler', 'Runs the registered jobs of ops.jobs: expiring day orders, account snapshots, maintenance.'),
('fund_manager', 'Trades a fund''s account, strikes its NAV and deals its flows.'),
('auto_invest', 'Places the orders of due auto-invest plans.'),
('copy_trading', 'Places followers'' proportional copies of a followed trader''s fills.'),
('strategy_runner', 'Places the orders of running strategies.');

create domain trading.order_source as text
constraint order_source_is_known_ck check (value in ('manual', 'copy', 'auto_invest', 'strategy', 'fund'));
comment on domain trading.order_source is 'manual | copy | auto_invest | strategy | fund.';

-- The rules between the three (people place manual orders without a cause, system actors the others;
-- none of it changes later) are held by the trigger trading.orders_guard_transition, like the status
-- rules: as CHECK constraints they cost about 130,000 instructions per market order (docs/performance.md).
alter table trading.orders
add column placed_by text not null default 'owner',
add column source trading.order_source not null default 'manual',
add column cause_id uuid;
comment on column trading.orders.placed_by is
'Who placed it: owner (the account''s user, by session or API key), support (an administrator acting for them, or '
'an operator) or the name of a system actor (app.system_actors; no foreign key, a key-share lock per order on one '
'hot row: ops.invariant_orders_name_known_actors checks it).';
comment on column trading.orders.source is
'Why it was placed: manual (by a person), copy (copy trading), auto_invest (a plan), strategy (a strategy''s '
'signal) or fund (a fund''s trading).';
comment on column trading.orders.cause_id is
'The row that caused it, in the table its source names (a plan execution, a copied fill, a signal); null for '
'manual orders.';

alter table audit.log add column actor text;
comment on column audit.log.actor is
'The system actor (app.system_actors) whose context wrote the row: a job or worker acting without a user token.';

alter table ops.jobs
add column actor text not null default 'scheduler' constraint jobs_actor_fk references app.system_actors (name);
create index jobs_actor_idx on ops.jobs (actor);
comment on column ops.jobs.actor is 'The system actor the job runs as (ops.run_job): its changes are audited under that name.';
