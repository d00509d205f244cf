-- FHIR Subscriptions: the resource as last written (JSON), whose it is (a user by name or a client
-- by id) and its status, which deliveries change (requested -> active, or error with the reason
-- in the resource). Deleted subscriptions are deleted.
create table fhir_subscription (
    id          varchar(64)   primary key,
    owner_type  varchar(16)   not null,
    owner_id    varchar(100)  not null,
    status      varchar(16)   not null,
    resource    varchar(16000) not null,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);
create index fhir_subscription_by_owner on fhir_subscription (owner_type, owner_id, status);
create index fhir_subscription_by_status on fhir_subscription (status);
