-- A video visit as it happened (FHIR Encounter, class VR): when the clinician admitted the patient
-- and when the visit ended, and the clinician's note, stored sealed by the field cipher. Nothing of
-- the media is stored: it goes from browser to browser.
create table visit_encounter (
    id              varchar(36)  primary key,
    appointment_id  varchar(36)  not null unique references visit_appointment (id),
    patient_id      varchar(64)  not null references patient (id),
    practitioner    varchar(100) not null,
    status          varchar(20)  not null,
    started_at      timestamp with time zone not null,
    ended_at        timestamp with time zone,
    note_sealed     varchar(20000)
);
create index visit_encounter_by_patient on visit_encounter (patient_id, started_at);

-- What the patient's portal tells them about their visits: a reminder before one, a request from
-- the clinician to take a reading now (for a device that takes no commands).
create table visit_notice (
    id              varchar(36)  primary key,
    appointment_id  varchar(36)  not null references visit_appointment (id),
    patient_id      varchar(64)  not null references patient (id),
    kind            varchar(20)  not null,
    created_at      timestamp with time zone not null,
    seen_at         timestamp with time zone
);
create index visit_notice_by_patient on visit_notice (patient_id, created_at);
