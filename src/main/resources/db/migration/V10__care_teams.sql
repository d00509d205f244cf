-- Care teams: the people looking after particular patients wherever they lie (a diabetes team, a
-- heart failure service). A member sees the team's patients, as a ward's staff see the ward's.
create table care_team (
    id   varchar(64)  primary key,
    name varchar(200) not null
);
create table care_team_member (
    team_id  varchar(64)  not null references care_team (id),
    username varchar(100) not null references user_account (username),
    primary key (team_id, username)
);
create table care_team_patient (
    team_id    varchar(64) not null references care_team (id),
    patient_id varchar(64) not null references patient (id),
    primary key (team_id, patient_id)
);
create index care_team_member_by_user on care_team_member (username);
