-- Patient-identifying fields are stored encrypted (AES-256-GCM, keys under <data-dir>/keys), so a
-- copy of the database or a backup alone reveals no names, record numbers or birth dates. The MRN
-- is found through a keyed hash of it (a blind index). Rows from before are encrypted by Vigil at
-- its next start, which then clears their plaintext.
alter table patient alter column mrn drop not null;
alter table patient alter column mrn set data type varchar(1000);
alter table patient alter column family_name set data type varchar(1000);
alter table patient alter column given_name set data type varchar(1000);
alter table patient add column birth_date_sealed varchar(1000);
alter table patient add column mrn_index varchar(64);
create unique index patient_by_mrn_index on patient (mrn_index);
