-- The wards a nurse or clinician works on: they see the patients on those wards, no others.
create table user_ward (
    username varchar(100) not null references user_account (username),
    ward     varchar(64)  not null,
    primary key (username, ward)
);
