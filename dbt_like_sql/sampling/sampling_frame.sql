-- sampling.sampling_frame: what a row is, its columns and its checks are in sampling_frame.yml beside this file.
with settings as (
    select setting('sample_responsible_bodies_only') as bodies_only,
           setting('sample_min_stratum_groups') as min_groups,
           setting('weak_band_rank_min') as weak_rank

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
-- each level sizes only the groups no finer level could hold
at1 as (
    select *, case when count(*) over (partition by s1) >= (select min_groups from settings) then 1 end as level
    from levels
),
at2 as (
    select *, coalesce(level, case when count(*) over (partition by s2, level is null) >= (select min_groups from settings)
                                   and level is null then 2 end) as level2
    from at1
),
at3 as (
    select *, coalesce(level2, case when count(*) over (partition by s3, level2 is null) >= (select min_groups from settings)
                                    and level2 is null then 3 end) as level3
    from at2
),
sized as (
    select * exclude (level, level2, level3), coalesce(level3, 4) as stratum_level from at3
),
counts as (
    select group_key,
           count(*) filter (where view = 'under_group_only' and band_rank is not null) as schools_judged_under_group,
           count(*) filter (where view = 'under_group_only' and band_rank <= 2) as schools_good_or_better_under_group,
           count(*) filter (where view = 'own_judgements' and band_rank is not null) as schools_judged,
           count(*) filter (where view = 'own_judgements' and band_rank >= (select weak_rank from settings)) as schools_weak,
           count(*) filter (where view = 'including_inherited' and (is_stale or band_rank is null))
               as schools_stale_or_without_evidence,
           sum(pupil_weight) filter (where view = 'own_judgements' and band_rank is not null) as pupils_judged,
           sum(pupil_weight) filter (where view = 'own_judgements' and band_rank <= 2) as pupils_good_or_better
    from patterns.school_evidence group by group_key
)
select
    z.group_key, z.group_name, z.display_name, z.group_kind, z.size_band, z.phase_mix, z.main_region, z.disadvantage_band,
    -- the fields a collapsed stratum no longer splits on are NULL
    {'group_kind': z.group_kind,
     'size_band': case when z.stratum_level <= 3 then z.size_band end,
     'phase_mix': case when z.stratum_level <= 2 then z.phase_mix end,
     'region': case when z.stratum_level = 1 then z.main_region end} as stratum,
    z.stratum_level,
    z.schools, z.pupils, z.eligibility_ruleset,
    c.schools_judged_under_group, c.schools_good_or_better_under_group, c.schools_judged, c.schools_weak,
    c.schools_stale_or_without_evidence, c.pupils_judged, c.pupils_good_or_better,
    coalesce(i.joiners, 0) as weak_joiners, coalesce(i.joiners_improved, 0) as weak_joiners_improved,
    z.config_id
from sized z
cross join settings s
left join counts c on c.group_key = z.group_key
left join patterns.group_improvement i on i.scope = 'group' and i.group_key = z.group_key
