-- Two sources can measure one LOINC quantity at the same moment with the same result — a
-- monitor's ECG heart rate and its invasive pulse rate, both 60 /min. They are different readings,
-- told apart by their MDC code, so the MDC code joins the de-duplication key. "No MDC code" is 0
-- rather than NULL, because unique indexes never consider two NULLs equal.
update measurement set mdc_code = 0 where mdc_code is null;
alter table measurement alter column mdc_code set default 0;
alter table measurement alter column mdc_code set not null;
drop index measurement_series;
create unique index measurement_series
    on measurement (patient_id, code, effective_at, device_id, value_num, mdc_code);
