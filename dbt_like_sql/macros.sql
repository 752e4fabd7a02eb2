-- Macros every model may call; created (temporary, per connection) before a model is built.
-- Wilson score interval for a share p observed on n units (n may be an effective size,
-- e.g. Kish's (sum w)^2 / sum w^2 for pupil-weighted shares) at normal quantile z. The
-- interval always contains p; the clamp only absorbs floating-point error at p = 0 or 1.
create or replace temp macro wilson_low(p, n, z) as
    case when n > 0 then greatest(0.0, least(p, ((p + z * z / (2 * n)) - z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)))
                                                / (1 + z * z / n))) end;
create or replace temp macro wilson_high(p, n, z) as
    case when n > 0 then least(1.0, greatest(p, ((p + z * z / (2 * n)) + z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)))
                                               / (1 + z * z / n))) end;
-- band_rank(band) and rank_band(r), the cross-era band <-> rank (1 best; not_graded and unmapped
-- values have none), are written from school_groups/vocabulary.py (BANDS) before these.
-- Whole academic years (1 September to 31 August) in a group, as DfE counts a school's time in a
-- trust: from the first 1 September on or after joining to the 1 September that starts the academic
-- year of as_at. 0 for a school that joined this academic year, NULL for an unknown join date.
create or replace temp macro whole_academic_years(joined, as_at) as
    case when joined is not null
         then greatest(0, (year(as_at) - case when month(as_at) < 9 then 1 else 0 end)
                          - (year(joined) + case when month(joined) > 9 or (month(joined) = 9 and day(joined) > 1)
                                                 then 1 else 0 end)) end;
-- A school DfE's multi-academy trust measures count: mainstream with key-stage results, so no
-- special, AP or nursery schools.
create or replace temp macro counted_by_dfe(is_mainstream, phase_group) as
    is_mainstream and phase_group is distinct from 'nursery';
-- A threshold from meta.settings (school_groups/thresholds.toml), the only way models read one:
-- a key that is not there stops the build with its name instead of reading as NULL.
create or replace temp macro setting(name) as (
    select case when count(*) = 1 then any_value(value)
                else error('threshold "' || name || '" is not in meta.settings (school_groups/thresholds.toml)') end
    from meta.settings where key = name);
-- The configuration id every pattern table records beside its figures (a hash of all thresholds).
create or replace temp macro settings_config_id() as (select any_value(config_id) from meta.settings);
-- An Ofsted 1-4 grade as published, or as its word where a file (or a spreadsheet re-save) spells it
-- out: Outstanding 1, Good 2, Requires improvement 3 (Satisfactory, its name to 2012), Inadequate 4.
-- Anything else is no grade (core.inspections' check grades_are_readable names what was not read).
create or replace temp macro grade_1_to_4(raw) as
    coalesce(case when try_cast(trim(raw) as integer) between 1 and 4 then try_cast(trim(raw) as integer) end,
             case lower(trim(raw)) when 'outstanding' then 1 when 'good' then 2 when 'requires improvement' then 3
                                   when 'satisfactory' then 3 when 'inadequate' then 4 end);
-- A count as published, with thousands separators or spaces (1,119) read as the number.
create or replace temp macro parse_count(raw) as try_cast(replace(replace(trim(raw), ',', ''), ' ', '') as integer);
-- A decimal as published, thousands separators allowed (a percentage such as 23.4).
create or replace temp macro parse_decimal(raw) as try_cast(replace(trim(raw), ',', '') as double);
-- A Companies House number with its leading zeros: a spreadsheet re-save turns 02236171 into 2236171;
-- an all-digit number shorter than 8 is padded back (counted as repaired by staging.gias_groups).
create or replace temp macro companies_house(raw) as
    case when regexp_full_match(trim(raw), '[0-9]{1,7}') then lpad(trim(raw), 8, '0') else nullif(trim(raw), '') end;
