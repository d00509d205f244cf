-- The audit trail: append-only and hash-chained. Each event carries the SHA-256 of its own content
-- and of the event before it, so editing or deleting any event breaks the chain at that point
-- (`vigil audit verify` names it). The head row holds the newest event's id and hash, so cutting
-- events off the end is noticed too.
create table audit_event (
    id             bigint        primary key,
    recorded_at    timestamp with time zone not null,
    category       varchar(32)   not null,
    action         varchar(1)    not null,
    outcome        integer       not null,
    agent_type     varchar(16)   not null,
    agent_id       varchar(200)  not null,
    agent_client   varchar(200),
    source_address varchar(64),
    what           varchar(2000) not null,
    detail         varchar(2000),
    previous_hash  varchar(64)   not null,
    hash           varchar(64)   not null
);
create index audit_event_by_time on audit_event (recorded_at);
create index audit_event_by_agent on audit_event (agent_id, id);

-- Which patients' data an event touched: the accounting of disclosures reads it by patient.
create table audit_event_patient (
    event_id   bigint      not null,
    patient_id varchar(64) not null,
    primary key (event_id, patient_id)
);
create index audit_event_patient_by_patient on audit_event_patient (patient_id, event_id);

create table audit_chain_head (
    id        integer     primary key,
    last_id   bigint      not null,
    last_hash varchar(64) not null
);
insert into audit_chain_head (id, last_id, last_hash)
    values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
