-- patterns.school_trajectories: what a row is, its columns and its checks are in school_trajectories.yml beside this file.
with settings as (
    select setting('time_in_group_full_weight_years') as full_weight_years,
           setting('eligible_min_years_in_group') as dfe_min_years,
           setting('dfe_time_weight_max_years') as dfe_max_years,
           setting('joiner_lookback_years') as lookback_years,
           strptime(setting('outstanding_exemption_until')::bigint::varchar, '%Y%m%d')::date
               as exemption_until

),
judgements as (
    -- each school's own judgements and its ancestors'
    select a.urn, c.inspection_number, c.inspection_start, c.outcome_band, band_rank(c.outcome_band) as band_rank
    from core.inspections_in_context c
    join core.school_ancestry a on a.ancestor_urn = c.urn_at_inspection
    where c.is_judgement and band_rank(c.outcome_band) is not null
),
members as (
    select e.group_key, e.group_kind, e.urn, e.lineage_id, e.joined_on, e.years_in_group, e.how_joined,
           counted_by_dfe(e.is_mainstream, e.phase_group) as counted_by_dfe, e.pupil_weight,
           -- whole academic years in the group (DfE), as patterns.group_comparability counts them
           whole_academic_years(e.joined_on, e.as_at)::integer as dfe_years_in_group,
           u.inspection_number as under_inspection_number, u.inspection_start as under_date,
           u.outcome_band as under_band, u.band_rank as under_rank, u.evidence_age_years as under_evidence_age_years
    from patterns.school_evidence e
    join patterns.school_evidence u
        on u.group_key = e.group_key and u.urn = e.urn and u.view = 'under_group_only'
    where e.view = 'own_judgements'
),
before as (
    select m.group_key, m.urn, arg_max(j.inspection_number, j.inspection_start) as before_inspection_number,
           max(j.inspection_start) as before_date, arg_max(j.outcome_band, j.inspection_start) as before_band
    from members m join judgements j on j.urn = m.urn and j.inspection_start <= m.joined_on
    group by all
),
previous as (
    select m.group_key, m.urn, arg_max(j.inspection_number, j.inspection_start) as previous_inspection_number,
           max(j.inspection_start) as previous_date, arg_max(j.outcome_band, j.inspection_start) as previous_band
    from members m join judgements j on j.urn = m.urn and j.inspection_start < m.under_date
    group by all
)
select
    m.group_key, m.group_kind, m.urn, m.lineage_id, m.joined_on, m.years_in_group, m.how_joined,
    least(1.0, coalesce(m.years_in_group, s.full_weight_years) / s.full_weight_years) as time_weight,
    m.dfe_years_in_group,
    case when m.counted_by_dfe and m.dfe_years_in_group >= s.dfe_min_years
         then least(m.dfe_years_in_group, s.dfe_max_years)::integer end as dfe_time_weight,
    m.pupil_weight * dfe_time_weight as dfe_weight,
    b.before_inspection_number, b.before_date, b.before_band,
    case when bi.overall_effectiveness = 1 and b.before_date < s.exemption_until then 'outstanding_exemption'
         when b.before_date < m.joined_on - to_days(cast(s.lookback_years * 365.25 as integer))
             then 'older_than_lookback' end as before_caveat,
    m.under_inspection_number, m.under_date, m.under_band, m.under_evidence_age_years,
    p.previous_inspection_number, p.previous_date, p.previous_band,
    case when band_rank(m.under_band) < band_rank(b.before_band) then 'improved'
         when band_rank(m.under_band) = band_rank(b.before_band) then 'maintained'
         when band_rank(m.under_band) > band_rank(b.before_band) then 'declined' end as change_since_joining,
    case when band_rank(m.under_band) < band_rank(p.previous_band) then 'improved'
         when band_rank(m.under_band) = band_rank(p.previous_band) then 'maintained'
         when band_rank(m.under_band) > band_rank(p.previous_band) then 'declined' end as change_vs_previous
from members m
cross join settings s
left join before b on b.group_key = m.group_key and b.urn = m.urn
left join core.inspections bi on bi.inspection_number = b.before_inspection_number
left join previous p on p.group_key = m.group_key and p.urn = m.urn
