-- Undo 0420: the codes, the scope rule on API key permissions (rows keep their canonical form, which the
-- old rule accepts) and the context nonce sequence.
set local role tradebase_owner;

delete from app.error_codes
where sqlstate in ('TB010', 'TB011', 'TB047');

comment on column auth.api_keys.permissions is 'Scopes granted to the key (free-form object checked by the functions that use it).';
alter table auth.api_keys
drop constraint api_keys_permissions_are_the_scopes_ck,
alter column permissions set default '{}';

drop sequence app.context_nonce;
