-- A ward's own default alarm limits: they apply to every patient on the ward who has no personal
-- limit for the vital, in place of Vigil's defaults.
create table ward_alarm_limit (
    ward       varchar(64)  not null,
    code       varchar(32)  not null,
    low_limit  double precision,
    high_limit double precision,
    set_by     varchar(100) not null,
    set_at     timestamp with time zone not null,
    reason     varchar(500),
    primary key (ward, code)
);
