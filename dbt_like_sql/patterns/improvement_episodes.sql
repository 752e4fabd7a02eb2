-- patterns.improvement_episodes: what a row is, its columns and its checks are in improvement_episodes.yml beside this file.
with settings as (
    select setting('weak_band_rank_min') as weak_rank,
           setting('improvement_join_window_years') as window_years,
           setting('improvement_horizon_min_years') as horizon_min,
           setting('improvement_horizon_max_years') as horizon_max

),
as_at as (
    select max(as_at) as as_at from core.inspections_in_context
),
evidence as (
    -- everything that shows a standing: judgements, and ungraded inspections (the band they confirm)
    select inspection_number, urn_at_inspection as urn, inspection_start, inspection_kind, framework_era,
           outcome_band, band_rank(outcome_band) as band_rank
    from core.inspections_in_context
    where inspection_kind in ('graded', 'report_card', 'ungraded') and band_rank(outcome_band) is not null
),
trust_spells as (
    select urn, group_key, group_kind, valid_from, valid_to, start_date_known
    from core.group_memberships
    where group_kind in ('multi_academy_trust', 'single_academy_trust')
),
starts as (
    select e.*
    from evidence e cross join settings t
    where e.inspection_kind in ('graded', 'report_card') and e.band_rank >= t.weak_rank
      and not exists (select 1 from trust_spells s
                      where s.urn = e.urn
                        and (not s.start_date_known or s.valid_from is null or s.valid_from <= e.inspection_start)
                        and (s.valid_to is null or s.valid_to > e.inspection_start))
),
followed as (
    -- the school inspected and every successor of it
    select s.inspection_number as episode_id, a.urn
    from starts s join core.school_ancestry a on a.ancestor_urn = s.urn
),
joins as (
    -- trust spells of the school or a successor that began after the start
    select f.episode_id, m.group_key, m.group_kind, m.valid_from
    from followed f
    join starts s on s.inspection_number = f.episode_id
    join trust_spells m on m.urn = f.urn and m.valid_from > s.inspection_start
    qualify row_number() over (partition by f.episode_id order by m.valid_from, m.group_key) = 1
),
spells_in_joined as (
    -- how the followed school's time in the trust it joined ended, if it did
    select j.episode_id,
           case when bool_or(m.valid_to is null) then null else max(m.valid_to) end as left_group_on
    from joins j
    join followed f on f.episode_id = j.episode_id
    join trust_spells m on m.urn = f.urn and m.group_key = j.group_key
    group by j.episode_id
),
closures as (
    -- closed: every URN the school has had (itself and successors) has a close date
    select f.episode_id, case when bool_and(a.close_date is not null) then max(a.close_date) end as closed_on
    from followed f join patterns.school_attributes a on a.urn = f.urn
    group by f.episode_id
),
prior as (
    -- the judgement before the start (the school's or a predecessor's): a school weak twice running
    -- and one weak once after years of good are different starting points
    select s.inspection_number as episode_id,
           arg_max(v.outcome_band, (v.inspection_start, v.inspection_number)) as prior_band
    from starts s
    join core.school_ancestry a on a.urn = s.urn
    join evidence v on v.urn = a.ancestor_urn and v.inspection_kind in ('graded', 'report_card')
                   and v.inspection_start < s.inspection_start
    group by s.inspection_number
),
earlier_start as (
    -- starts whose join a still earlier weak judgement of the school (or a predecessor) also has in
    -- its window; reached from the school by equality first (as a correlated subquery it was
    -- planned as a range join over every pair of starts)
    select distinct s.inspection_number as episode_id
    from starts s
    join joins j on j.episode_id = s.inspection_number
    join followed f on f.urn = s.urn
    join starts n on n.inspection_number = f.episode_id
    cross join settings t
    where n.inspection_start < s.inspection_start
      and j.valid_from <= n.inspection_start + to_days(cast(t.window_years * 365.25 as integer))
),
fsm_cuts as (
    select quantile_cont(fsm_percent, 0.333333333333) as low, quantile_cont(fsm_percent, 0.666666666667) as high
    from patterns.school_attributes where fsm_percent is not null
),
episodes as (
    select s.inspection_number as episode_id, s.urn as start_urn, a.lineage_id, s.inspection_start as start_date,
           s.outcome_band as start_band, s.band_rank as start_rank, s.framework_era as start_era,
           j.group_key as first_trust_key, j.group_kind as first_trust_kind, j.valid_from as first_trust_joined_on,
           date_diff('day', s.inspection_start, j.valid_from) as join_elapsed_days,
           -- joined within the window; one joiner episode per join: the earliest weak judgement within the
           -- window before it (choosing the latest instead would select on the judgements in between,
           -- which are outcomes)
           j.valid_from is not null
               and j.valid_from <= s.inspection_start + to_days(cast(t.window_years * 365.25 as integer))
               and x.episode_id is null
               as is_joiner,
           l.left_group_on, c.closed_on,
           coalesce(p.prior_band, 'none') as match_prior_band,
           coalesce(a.phase_group, 'other') as match_phase,
           case when a.fsm_percent is null then 'unknown' when a.fsm_percent < q.low then 'lower'
                when a.fsm_percent < q.high then 'middle' else 'higher' end as match_disadvantage,
           coalesce(a.region, 'unknown') as match_region
    from starts s
    cross join settings t
    cross join fsm_cuts q
    left join patterns.school_attributes a on a.urn = s.urn
    left join joins j on j.episode_id = s.inspection_number
    left join spells_in_joined l on l.episode_id = s.inspection_number
    left join closures c on c.episode_id = s.inspection_number
    left join prior p on p.episode_id = s.inspection_number
    left join earlier_start x on x.episode_id = s.inspection_number
),
grid as (
    select e.*, h.horizon_years,
           cast(e.start_date + to_years(cast(h.horizon_years as integer)) as date) as horizon_date
    from episodes e
    cross join (select unnest(generate_series(cast(horizon_min as integer), cast(horizon_max as integer))) as horizon_years
                from settings) h
),
standing as (
    -- the latest evidence after the start and by the horizon date, and the first in a better band
    select g.episode_id, g.horizon_years,
           arg_max(v.inspection_number, (v.inspection_start, v.inspection_number)) as outcome_inspection_number,
           max(v.inspection_start) as outcome_date,
           arg_max(v.outcome_band, (v.inspection_start, v.inspection_number)) as outcome_band,
           arg_max(v.inspection_kind, (v.inspection_start, v.inspection_number)) as outcome_kind,
           count(*) as evidence_after_start,
           min(v.inspection_start) filter (where v.band_rank < g.start_rank) as first_better_date
    from grid g
    join followed f on f.episode_id = g.episode_id
    join evidence v on v.urn = f.urn and v.inspection_start > g.start_date and v.inspection_start <= g.horizon_date
    group by g.episode_id, g.horizon_years
)
select
    g.episode_id, g.horizon_years, g.horizon_date,
    g.horizon_date <= d.as_at as reached_horizon,
    case when g.is_joiner then 'joiner' else 'comparison' end as cohort,
    case when g.is_joiner then g.first_trust_key end as group_key,
    case when g.is_joiner then g.first_trust_kind end as group_kind,
    case when g.is_joiner then g.first_trust_joined_on end as joined_on,
    g.first_trust_key, g.first_trust_kind, g.first_trust_joined_on, g.join_elapsed_days,
    g.start_urn, g.lineage_id, g.start_date, g.start_band, g.start_era,
    o.outcome_inspection_number, o.outcome_date, o.outcome_band, o.outcome_kind,
    case when o.outcome_band is null then 'not_yet_judged'
         when band_rank(o.outcome_band) < g.start_rank then 'improved'
         when band_rank(o.outcome_band) = g.start_rank then 'same'
         else 'declined' end as outcome,
    coalesce(band_rank(o.outcome_band) < g.start_rank, false) as improved,
    o.outcome_band is null as not_yet_judged,
    coalesce(band_rank(o.outcome_band) < t.weak_rank, false) as no_longer_weak,
    coalesce(o.evidence_after_start, 0) as evidence_after_start,
    round(date_diff('day', g.start_date, o.first_better_date) / 365.25, 2) as years_to_improvement,
    -- in no academy trust at the horizon date (the "stayed with the local authority" comparison)
    g.first_trust_joined_on is null or g.first_trust_joined_on > g.horizon_date as no_trust_by_horizon,
    -- a spell that ended because the school closed is a closure, not a leaving
    case when g.is_joiner then g.left_group_on is not null and g.left_group_on <= g.horizon_date
                               and (g.closed_on is null or g.left_group_on < g.closed_on) end
        as left_group_by_horizon,
    g.closed_on is not null and g.closed_on <= g.horizon_date as closed_by_horizon,
    g.start_band as match_band, g.match_prior_band, g.match_phase, g.start_era as match_era, g.match_disadvantage, g.match_region
from grid g
cross join settings t
cross join as_at d
left join standing o on o.episode_id = g.episode_id and o.horizon_years = g.horizon_years
