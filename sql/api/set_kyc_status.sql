-- An administrator records a KYC decision (issue 17): only verified investors subscribe to funds. The
-- status lives in auth.users.kyc_status (the seeds' column, row-audited with the rest of auth.users);
-- the decision is also an audit event naming the previous status.
create or replace function api.set_kyc_status(p_user_id uuid, p_status text)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    v_previous text;
begin
    perform app.require_admin('record KYC decisions');
    if p_status is null or p_status not in ('pending', 'verified', 'rejected') then
        perform app.raise_error('22023', pg_catalog.format('KYC status %s is unknown', app.quote_input(p_status)),
            'Use pending, verified or rejected.');
    end if;
    select u.kyc_status into v_previous from auth.users as u where u.id = p_user_id for update;
    if not found then
        perform app.raise_error('P0002', pg_catalog.format('user %s does not exist', p_user_id), null);
    end if;
    update auth.users as u
    set kyc_status = p_status,
        kyc_verified_at = case when p_status = 'verified' then pg_catalog.now() end
    where u.id = p_user_id;
    perform audit.log_event('kyc_status_set', p_user_id, pg_catalog.jsonb_build_object(
        'status', p_status, 'previous', v_previous, 'by', session_user
    ));
end
$$;

comment on function api.set_kyc_status(uuid, text) is
'Administrators: record a user''s KYC decision (pending, verified, rejected; auth.users.kyc_status), audited. 42501 '
'unless an administrator, 22023 unknown status, P0002 unknown user.';
