-- Headline shares by area, comparable with Ofsted's published figures: one row per as-at
-- snapshot x source family x view x area (England, each region, each local authority).
-- Key: (as_at, source_family, view, area_level, area_code). share_good_or_better is of
-- schools with a graded or report-card judgement in the view (Ofsted: "% of state-funded
-- schools judged good or outstanding at their most recent inspection"; the
-- including_inherited view is its method since 2018), with a Wilson interval at
-- confidence_z. Local authorities are keyed by the LA code in LAESTAB.
with settings as (
    select max(value) filter (where key = 'confidence_z') as z, any_value(config_id) as config_id from meta.settings
),
areas as (
    select as_at, source_family, view, 'england' as area_level, 'E92000001' as area_code, 'England' as area_name,
           outcome_band, good_or_better, weak
    from patterns.snapshot_judgements
    union all
    select as_at, source_family, view, 'region', coalesce(region, 'Unknown'), coalesce(region, 'Unknown'),
           outcome_band, good_or_better, weak
    from patterns.snapshot_judgements
    union all
    select as_at, source_family, view, 'local_authority', coalesce(la_code, 'Unknown'),
           coalesce(any_value(la_name) over (partition by la_code), 'Unknown'), outcome_band, good_or_better, weak
    from patterns.snapshot_judgements
),
counted as (
    select as_at, source_family, view, area_level, area_code, any_value(area_name) as area_name,
           count(*) as schools, count(outcome_band) as schools_graded,
           count(*) filter (where good_or_better) as schools_good_or_better,
           count(*) filter (where weak) as schools_weak
    from areas group by as_at, source_family, view, area_level, area_code
)
select
    c.*,
    c.schools_good_or_better / nullif(c.schools_graded, 0) as share_good_or_better,
    wilson_low(c.schools_good_or_better / nullif(c.schools_graded, 0), c.schools_graded, s.z) as share_good_or_better_ci_low,
    wilson_high(c.schools_good_or_better / nullif(c.schools_graded, 0), c.schools_graded, s.z) as share_good_or_better_ci_high,
    c.schools_weak / nullif(c.schools_graded, 0) as share_weak,
    s.config_id
from counted c
cross join settings s
