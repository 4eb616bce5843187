-- depends: auth/handle_new_user.sql
create or replace trigger users_handle_new_user
after insert on auth.users
for each row execute function auth.handle_new_user();

comment on trigger users_handle_new_user on auth.users is 'Creates the security and preferences rows of a new user.';
