-- The sampling frame: one row per group eligible for the system sample, with its stratum and
-- the per-group counts the system indicators are ratios of. Key: group_key. Eligible: the
-- group meets patterns.group_comparability's rule (eligible_min_schools schools with
-- eligible_min_years_in_group years) and, when sample_responsible_bodies_only is 1, is a
-- responsible body (trust or LA). stratum: group kind x size band x phase mix x main region,
-- collapsed when smaller than sample_min_stratum_groups, first across regions, then across
-- phase mixes, then to kind alone (stratum_level 1-4 says which). Counts are never suppressed
-- here: the frame is input to estimation, not a published figure per group.
with settings as (
    select max(value) filter (where key = 'sample_responsible_bodies_only') as bodies_only,
           max(value) filter (where key = 'sample_min_stratum_groups') as min_groups,
           max(value) filter (where key = 'weak_band_rank_min') as weak_rank
    from meta.settings
),
eligible as (
    select c.*
    from patterns.group_comparability c, settings s
    where c.eligible and (c.is_responsible_body or s.bodies_only = 0)
),
levels as (
    select e.*,
           concat_ws(' | ', group_kind, size_band, phase_mix, main_region) as s1,
           concat_ws(' | ', group_kind, size_band, phase_mix) as s2,
           concat_ws(' | ', group_kind, size_band) as s3,
           group_kind as s4
    from eligible e
),
sized as (
    select *, count(*) over (partition by s1) as n1, count(*) over (partition by s2) as n2,
           count(*) over (partition by s3) as n3
    from levels
),
counts as (
    select group_key,
           count(*) filter (where view = 'under_group_only' and band_rank is not null) as schools_judged_under_group,
           count(*) filter (where view = 'under_group_only' and band_rank <= 2) as schools_good_or_better_under_group,
           count(*) filter (where view = 'all_current' and band_rank is not null) as schools_judged,
           count(*) filter (where view = 'all_current' and band_rank >= (select weak_rank from settings)) as schools_weak,
           count(*) filter (where view = 'including_inherited' and (is_stale or band_rank is null))
               as schools_stale_or_without_evidence,
           sum(pupil_weight) filter (where view = 'all_current' and band_rank is not null) as pupils_judged,
           sum(pupil_weight) filter (where view = 'all_current' and band_rank <= 2) as pupils_good_or_better
    from patterns.school_evidence group by group_key
)
select
    z.group_key, z.group_name, z.group_kind, z.size_band, z.phase_mix, z.main_region, z.disadvantage_band,
    case when z.n1 >= s.min_groups then z.s1 when z.n2 >= s.min_groups then z.s2
         when z.n3 >= s.min_groups then z.s3 else z.s4 end as stratum,
    case when z.n1 >= s.min_groups then 1 when z.n2 >= s.min_groups then 2
         when z.n3 >= s.min_groups then 3 else 4 end as stratum_level,
    z.schools, z.pupils,
    c.schools_judged_under_group, c.schools_good_or_better_under_group, c.schools_judged, c.schools_weak,
    c.schools_stale_or_without_evidence, c.pupils_judged, c.pupils_good_or_better,
    coalesce(i.joiners, 0) as weak_joiners_judged, coalesce(i.joiners_improved, 0) as weak_joiners_improved,
    z.config_id
from sized z
cross join settings s
left join counts c on c.group_key = z.group_key
left join patterns.group_improvement i on i.scope = 'group' and i.group_key = z.group_key
