-- depends: 0820_fund_admin
-- A user is not deleted while managing a fund that is not closed, nor while holding fund shares
-- (api.delete_account, docs/errors.md): the first would archive the fund's own account and its fee account
-- under a fund still taking investors' money; shares of a deleted user could never be redeemed, so the
-- fund could never close. TB080-TB089 belong to funds.
set local role tradebase_owner;

insert into app.error_codes (sqlstate, name, description, default_hint) values
(
    'TB083', 'fund_still_managed',
    'The user manages a fund that is not closed, so the user cannot be deleted.',
    'Close the fund first (api.set_fund_status), or hand it over.'
),
(
    'TB084', 'fund_shares_held',
    'The user holds shares of a fund, which a deleted user could never redeem, so the user cannot be deleted.',
    'Redeem them first (api.redeem).'
);
