-- One row per episode that starts from a weak judgement: cohort 'joiner' (a school that
-- joined a group, any kind, within joiner_lookback_years after a weak judgement of the school
-- or an ancestor (core.school_ancestry: a predecessor, never a sibling)) or 'comparison' (a weak judgement of a school that
-- joined no responsible body before its next judgement). Key: (cohort, lineage_id,
-- start_inspection_number, group_key). Weak: band rank >= weak_band_rank_min. Only spells
-- whose start is a published date count (GIAS joined date, or an LA school's open date):
-- a spell known only from the first snapshot showing it has no real join date (and a school
-- with such a spell in a trust is left out of the comparisons as well).
-- outcome_*: for joiners the first judgement of the lineage under the group (after the
-- join date, before leaving), for comparisons the next judgement; improved = the outcome is
-- in a better band than the starting judgement (inadequate to requires improvement counts);
-- no_longer_weak = the outcome is not weak. latest_*: the newest judgement under the group
-- (comparisons: the newest before the school joined any body); latest_improved = that one
-- is in a better band than the start. years_to_improvement: from joining (comparison: from
-- the weak judgement) to the first judgement in a better band.
-- match_cell / match_phase / match_band are the strata joiners are compared on: starting
-- band, phase, framework era of the starting judgement and its calendar window
-- (comparison_window_years wide).
with settings as (
    select max(value) filter (where key = 'weak_band_rank_min') as weak_rank,
           max(value) filter (where key = 'joiner_lookback_years') as lookback_years,
           max(value) filter (where key = 'comparison_window_years') as window_years
    from meta.settings
),
judgements as (
    select c.inspection_number, c.lineage_id, c.urn_at_inspection, c.inspection_start, c.framework_era,
           c.outcome_band, band_rank(c.outcome_band) as band_rank
    from core.inspections_in_context c
    where c.inspection_kind in ('graded', 'report_card') and band_rank(c.outcome_band) is not null
),
spells as (
    select m.group_key, m.group_kind, m.is_responsible_body, m.urn, m.valid_from, m.valid_to, a.lineage_id
    from core.group_memberships m
    join patterns.school_attributes a on a.urn = m.urn
    where m.valid_from is not null and m.start_date_known
),
history as (
    -- a joining school's judgements: its own and its ancestors'
    select a.urn, j.* from judgements j join core.school_ancestry a on a.ancestor_urn = j.urn_at_inspection
),
joiner_start as (
    select s.*, j.inspection_number as start_inspection_number, j.inspection_start as start_date,
           j.outcome_band as start_band, j.band_rank as start_rank, j.framework_era as start_era,
           j.urn_at_inspection as start_urn
    from spells s
    join history j on j.urn = s.urn and j.inspection_start <= s.valid_from
    cross join settings t
    where j.inspection_start > s.valid_from - to_days(cast(t.lookback_years * 365.25 as integer))
    qualify row_number() over (partition by s.group_key, s.urn, s.valid_from
                               order by j.inspection_start desc, j.inspection_number desc) = 1
),
weak_joiners as (
    select * from joiner_start where start_rank >= (select weak_rank from settings)
),
under_group as (
    select w.group_key, w.urn, w.valid_from, w.start_rank, j.inspection_number, j.inspection_start, j.outcome_band,
           j.band_rank
    from weak_joiners w
    join history j on j.urn = w.urn and j.inspection_start > w.valid_from
                  and (w.valid_to is null or j.inspection_start < w.valid_to)
),
joiner_outcomes as (
    select group_key, urn, valid_from,
           arg_min(inspection_number, inspection_start) as outcome_inspection_number,
           min(inspection_start) as outcome_date,
           arg_min(outcome_band, inspection_start) as outcome_band,
           arg_max(inspection_number, inspection_start) as latest_inspection_number,
           max(inspection_start) as latest_date,
           arg_max(outcome_band, inspection_start) as latest_band,
           count(*) as judgements_under_group,
           min(inspection_start) filter (where band_rank < start_rank) as first_better_date
    from under_group group by all
),
joiners as (
    select 'joiner' as cohort, w.group_key, w.group_kind, w.urn, w.lineage_id, w.valid_from as joined_on,
           w.start_inspection_number, w.start_urn, w.start_date, w.start_band, w.start_era,
           o.outcome_inspection_number, o.outcome_date, o.outcome_band,
           o.latest_inspection_number, o.latest_date, o.latest_band, coalesce(o.judgements_under_group, 0)
               as judgements_after_start,
           round(date_diff('day', w.valid_from, o.first_better_date) / 365.25, 2) as years_to_improvement
    from weak_joiners w
    left join joiner_outcomes o on o.group_key = w.group_key and o.urn = w.urn and o.valid_from = w.valid_from
),
sequenced as (
    select j.*, lead(j.inspection_start) over w as next_date, lead(j.inspection_number) over w as next_number,
           lead(j.outcome_band) over w as next_band
    from judgements j
    window w as (partition by j.lineage_id order by j.inspection_start, j.inspection_number)
),
undated_bodies as (
    -- lineages that belonged to a trust from an unknown date: they cannot be shown not to have joined
    select distinct a.lineage_id
    from core.group_memberships m
    join patterns.school_attributes a on a.urn = m.urn
    where m.is_responsible_body and not m.start_date_known
),
weak_not_joining as (
    -- weak judgements followed by another judgement before the school joined any responsible body
    select q.*,
           (select min(s.valid_from) from spells s
            where s.lineage_id = q.lineage_id and s.is_responsible_body and s.valid_from > q.inspection_start)
               as next_join
    from sequenced q
    where q.band_rank >= (select weak_rank from settings)
      and q.next_date is not null
      and not exists (select 1 from joiner_start w where w.start_inspection_number = q.inspection_number)
      and q.lineage_id not in (select lineage_id from undated_bodies)
),
comparison_later as (
    -- every later judgement before the school joined a body: the latest, and the first not weak
    select q.inspection_number,
           arg_max(j.inspection_number, j.inspection_start) as latest_number,
           max(j.inspection_start) as latest_date,
           arg_max(j.outcome_band, j.inspection_start) as latest_band,
           count(*) as judgements_after,
           min(j.inspection_start) filter (where j.band_rank < q.band_rank) as first_better_date
    from weak_not_joining q
    join judgements j on j.lineage_id = q.lineage_id and j.inspection_start > q.inspection_start
                     and (q.next_join is null or j.inspection_start < q.next_join)
    group by all
),
comparisons as (
    select 'comparison' as cohort, null as group_key, null as group_kind, q.urn_at_inspection as urn, q.lineage_id,
           null::date as joined_on, q.inspection_number, q.urn_at_inspection, q.inspection_start, q.outcome_band,
           q.framework_era, q.next_number, q.next_date, q.next_band, l.latest_number, l.latest_date, l.latest_band,
           l.judgements_after, round(date_diff('day', q.inspection_start, l.first_better_date) / 365.25, 2)
    from weak_not_joining q
    join comparison_later l on l.inspection_number = q.inspection_number
    where q.next_join is null or q.next_join > q.next_date
),
episodes as (
    select * from joiners
    union all
    select * from comparisons
)
select
    e.cohort, e.group_key, e.group_kind, e.urn, e.lineage_id, e.joined_on,
    e.start_inspection_number, e.start_urn, e.start_date, e.start_band, e.start_era,
    e.outcome_inspection_number, e.outcome_date, e.outcome_band,
    case when e.outcome_band is not null then band_rank(e.outcome_band) < band_rank(e.start_band) end as improved,
    case when e.outcome_band is not null then band_rank(e.outcome_band) < t.weak_rank end as no_longer_weak,
    e.latest_inspection_number, e.latest_date, e.latest_band,
    case when e.latest_band is not null then band_rank(e.latest_band) < band_rank(e.start_band) end as latest_improved,
    e.judgements_after_start, e.years_to_improvement,
    coalesce(a.phase_group, 'other') as match_phase,
    e.start_band as match_band,
    cast(floor(year(e.start_date) / t.window_years) * t.window_years as integer) as match_window_from,
    concat_ws('|', e.start_band, coalesce(a.phase_group, 'other'), e.start_era,
              cast(floor(year(e.start_date) / t.window_years) * t.window_years as integer)) as match_cell
from episodes e
cross join settings t
left join patterns.school_attributes a on a.urn = e.start_urn
