-- Secure messages between a patient and the people looking after them: one thread per patient.
-- The text, an attachment's file name and its content are stored sealed by the field cipher (bound
-- to the message), so a copy of the database alone does not tell what was said. A read receipt is
-- the first time the other side opened the thread after the message arrived.
create table patient_message (
    id                   varchar(36)  primary key,
    patient_id           varchar(64)  not null references patient (id),
    sender               varchar(100) not null references user_account (username),
    from_patient         boolean      not null,
    text_sealed          varchar(20000) not null,
    sent_at              timestamp with time zone not null,
    read_at              timestamp with time zone,
    read_by              varchar(100)
);
create index patient_message_by_patient on patient_message (patient_id, sent_at);

create table patient_message_attachment (
    message_id         varchar(36)  primary key references patient_message (id),
    file_name_sealed   varchar(2000) not null,
    media_type         varchar(100) not null,
    size_bytes         integer      not null,
    content_sealed     bytea        not null
);
