-- Idempotent fund requests (api.subscribe, api.redeem): the flow a retry with the same idempotency key
-- and the same request already made, or null when the key is new (or none is given); the same key with
-- another request is TB042. The caller holds the fund's row lock, so a concurrent retry waits for it.
create or replace function fund.prior_flow(
    p_fund_id uuid,
    p_user_id uuid,
    p_idempotency_key text,
    p_request jsonb
)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
    v_prior fund.flows;
begin
    if p_idempotency_key is null then
        return null;
    end if;
    select * into v_prior from fund.flows as l
    where l.fund_id = p_fund_id and l.user_id = p_user_id and l.idempotency_key = p_idempotency_key;
    if found and v_prior.request is distinct from p_request then
        perform app.raise_error('TB042', pg_catalog.format(
            'idempotency key %L was used for fund flow %s with other arguments (%s)',
            p_idempotency_key, v_prior.id, v_prior.request
        ), null);
    end if;
    return v_prior.id;
end
$$;

comment on function fund.prior_flow(uuid, uuid, text, jsonb) is
'The fund flow of p_user_id in p_fund_id made with p_idempotency_key for the same p_request (a retry), or null '
'when there is none; TB042 when the key was used with another request.';
