-- The identifiers clients created Observations under, conditionally (If-None-Exist: identifier=…):
-- a reading an interface engine sends again after a lost answer is found by its identifier instead
-- of being stored twice. Per patient, as the match is among the patient's Observations. A row with
-- no observation_id is a creation under way: a second request for it waits its turn (409).
create table observation_identifier (
    patient_id     varchar(64)  not null,
    id_system      varchar(512) not null,
    id_value       varchar(512) not null,
    observation_id varchar(64),
    claimed_at     timestamp with time zone not null,
    primary key (patient_id, id_system, id_value)
);
