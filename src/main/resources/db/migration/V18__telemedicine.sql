-- Telemedicine: clinicians offer slots on their schedules (FHIR Schedule, Slot), patients book them
-- or clinicians invite patients (FHIR Appointment, virtual), and each participant joins the video
-- visit with a single-use link that expires. Only a hash of a link is kept, never the link itself:
-- a copy of the database opens no visit.
create table visit_schedule (
    id             varchar(36)  primary key,
    practitioner   varchar(100) not null references user_account (username),
    description    varchar(500),
    created_at     timestamp with time zone not null
);
create index visit_schedule_by_practitioner on visit_schedule (practitioner);

create table visit_slot (
    id            varchar(36)  primary key,
    schedule_id   varchar(36)  not null references visit_schedule (id),
    starts_at     timestamp with time zone not null,
    ends_at       timestamp with time zone not null,
    status        varchar(20)  not null
);
create index visit_slot_by_schedule on visit_slot (schedule_id, starts_at);

create table visit_appointment (
    id             varchar(36)  primary key,
    patient_id     varchar(64)  not null references patient (id),
    practitioner   varchar(100) not null references user_account (username),
    status         varchar(20)  not null,
    starts_at      timestamp with time zone not null,
    ends_at        timestamp with time zone not null,
    slot_id        varchar(36)  references visit_slot (id),
    on_demand      boolean      not null,
    alarm_id       bigint,
    booked_by      varchar(100) not null,
    created_at     timestamp with time zone not null,
    updated_at     timestamp with time zone not null,
    reminded_at    timestamp with time zone
);
create index visit_appointment_by_patient on visit_appointment (patient_id, starts_at);
create index visit_appointment_by_practitioner on visit_appointment (practitioner, starts_at);

create table visit_join_link (
    token_hash      varchar(64)  primary key,
    appointment_id  varchar(36)  not null references visit_appointment (id),
    username        varchar(100) not null,
    kind            varchar(10)  not null,
    created_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null,
    used_at         timestamp with time zone
);
create index visit_join_link_by_appointment on visit_join_link (appointment_id);
