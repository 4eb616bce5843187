-- Operators' read-only checks; maintenance functions stay with the owner.
grant usage on schema ops to tradebase_admin;
grant execute on function ops.verify_invariants() to tradebase_admin;
grant execute on function ops.catalog_lint() to tradebase_admin;
