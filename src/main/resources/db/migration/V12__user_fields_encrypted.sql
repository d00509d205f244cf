-- A user's display name (usually their full name) is stored encrypted like a patient's names, bound
-- to the username, so a copy of the database or a backup alone does not tell who works where or who
-- is a patient. Rows from before keep the plaintext in display_name until Vigil's next start, which
-- encrypts it into display_name_sealed and clears display_name.
alter table user_account add column display_name_sealed varchar(1000);
