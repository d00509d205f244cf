-- Repeated wrong passwords lock an account for a while: guessing becomes slow, and it is audited.
alter table user_account add column failed_logins integer default 0 not null;
alter table user_account add column locked_until timestamp with time zone;
