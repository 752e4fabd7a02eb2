-- patterns.group_outcome_patterns: what a row is, its columns and its checks are in group_outcome_patterns.yml beside this file.
with settings as (
    select setting('confidence_z') as z,
           setting('suppress_below_schools') as suppress_below,
           setting('weak_band_rank_min') as weak_rank,
           'cross-era-v' || setting('cross_era_band')::integer as band_convention,
           settings_config_id() as config_id

),
weightings(weighting) as (values ('schools'), ('pupils'), ('dfe')),
weighted as (
    select e.*, le.reporting_era as latest_evidence_reporting_era,
           w.weighting, case w.weighting when 'schools' then 1.0 when 'pupils' then e.pupil_weight
                                         else t.dfe_weight end as w,
           max(e.band_rank) over (partition by e.group_key, e.view, w.weighting) as group_weakest_rank
    from patterns.school_evidence e
    left join core.inspections le on le.inspection_number = e.latest_evidence_inspection_number
    left join patterns.school_trajectories t on t.group_key = e.group_key and t.urn = e.urn
    cross join weightings w
    where w.weighting <> 'dfe' or t.dfe_weight is not null
),
agg as (
    select
        group_key, view, weighting,
        count(*) as schools_in_group,
        count(outcome_band) as schools_with_evidence,
        sum(w) filter (where outcome_band is not null) as weight_with_evidence,
        sum(w * w) filter (where outcome_band is not null) as weight_squared,
        coalesce(sum(w) filter (where outcome_band = 'strong'), 0) as w_strong,
        coalesce(sum(w) filter (where outcome_band = 'secure'), 0) as w_secure,
        coalesce(sum(w) filter (where outcome_band = 'improvement_needed'), 0) as w_improvement_needed,
        coalesce(sum(w) filter (where outcome_band = 'serious_concern'), 0) as w_serious_concern,
        coalesce(sum(w) filter (where band_rank >= (select weak_rank from settings)), 0) as w_weak,
        count(*) filter (where has_category_of_concern) as schools_with_category_of_concern,
        min(band_rank) as best_rank,
        max(band_rank) as weakest_rank,
        count(*) filter (where band_rank = group_weakest_rank) as schools_in_weakest_band,
        median(evidence_age_years) as evidence_age_median_years,
        median(latest_evidence_age_years) as latest_evidence_age_median_years,
        count(*) filter (where latest_evidence_reporting_era = 'overall_effectiveness')
            as schools_latest_evidence_overall_effectiveness,
        count(*) filter (where latest_evidence_reporting_era = 'key_judgements') as schools_latest_evidence_key_judgements,
        count(*) filter (where latest_evidence_reporting_era = 'report_card') as schools_latest_evidence_report_card,
        max(evidence_age_years) as evidence_age_max_years,
        sum(w) filter (where beyond_cycle) as w_beyond_cycle,
        sum(w) filter (where is_stale and outcome_band is not null) as w_stale,
        sum(w) filter (where framework_era = 'pre_2015') as w_pre_2015,
        sum(w) filter (where framework_era = 'cif') as w_cif,
        sum(w) filter (where framework_era = 'eif') as w_eif,
        sum(w) filter (where framework_era = 'eif_no_overall') as w_eif_no_overall,
        sum(w) filter (where framework_era = 'report_card') as w_report_card,
        sum(w) filter (where relation_to_group = 'under_group') as w_under_group,
        sum(w) filter (where relation_to_group = 'before_joining') as w_before_joining,
        sum(w) filter (where relation_to_group = 'inherited_from_predecessor') as w_inherited
    from weighted
    group by all
),
with_weakest as (
    -- every group x view x weighting, also a 'dfe' one with no school DfE counts
    select k.group_key, k.view, w.weighting, k.schools_in_view,
           coalesce(a.schools_in_group, 0) as schools_in_group,
           coalesce(a.schools_with_evidence, 0) as schools_with_evidence,
           coalesce(a.schools_latest_evidence_overall_effectiveness, 0) as schools_latest_evidence_overall_effectiveness,
           coalesce(a.schools_latest_evidence_key_judgements, 0) as schools_latest_evidence_key_judgements,
           coalesce(a.schools_latest_evidence_report_card, 0) as schools_latest_evidence_report_card,
           a.* exclude (group_key, view, weighting, schools_in_group, schools_with_evidence,
                        schools_latest_evidence_overall_effectiveness, schools_latest_evidence_key_judgements,
                        schools_latest_evidence_report_card)
    from (select group_key, view, count(*) as schools_in_view from patterns.school_evidence group by all) k
    cross join weightings w
    left join agg a on a.group_key = k.group_key and a.view = k.view and a.weighting = w.weighting
),
peers as (
    -- the fair comparison for a group's share: all groups of its kind, size band and phase mix
    -- (patterns.group_comparability), pooled
    select a.view, a.weighting, c.peer_group, count(*) as peer_groups,
           sum(a.schools_with_evidence) as peer_schools_with_evidence,
           sum(a.w_strong + a.w_secure) / sum(a.weight_with_evidence) as peer_share_good_or_better
    from agg a
    join (select group_key, {'group_kind': group_kind, 'size_band': size_band, 'phase_mix': phase_mix} as peer_group
          from patterns.group_comparability) c on c.group_key = a.group_key
    group by all
)
select
    a.group_key, g.group_name, g.display_name, g.group_kind, a.view, a.weighting,
    s.band_convention,
    a.schools_in_group,
    a.schools_in_view - a.schools_in_group as schools_left_out_of_weighting,
    a.schools_with_evidence,
    a.schools_in_group - a.schools_with_evidence as schools_without_evidence,
    a.schools_with_evidence < s.suppress_below as suppressed,
    case when not suppressed then round(a.weight_with_evidence * a.weight_with_evidence / a.weight_squared, 2) end
        as effective_n,
    case when not suppressed then a.w_strong / a.weight_with_evidence end as share_strong,
    case when not suppressed then a.w_secure / a.weight_with_evidence end as share_secure,
    case when not suppressed then a.w_improvement_needed / a.weight_with_evidence end as share_improvement_needed,
    case when not suppressed then a.w_serious_concern / a.weight_with_evidence end as share_serious_concern,
    case when not suppressed then (a.w_strong + a.w_secure) / a.weight_with_evidence end as share_good_or_better,
    case when not suppressed then wilson_low((a.w_strong + a.w_secure) / a.weight_with_evidence, effective_n, s.z) end
        as share_good_or_better_ci_low,
    case when not suppressed then wilson_high((a.w_strong + a.w_secure) / a.weight_with_evidence, effective_n, s.z) end
        as share_good_or_better_ci_high,
    case when not suppressed then a.w_weak / a.weight_with_evidence end as share_weak,
    case when not suppressed then wilson_low(a.w_weak / a.weight_with_evidence, effective_n, s.z) end as share_weak_ci_low,
    case when not suppressed then wilson_high(a.w_weak / a.weight_with_evidence, effective_n, s.z) end as share_weak_ci_high,
    case when not suppressed then a.schools_with_category_of_concern end as schools_with_category_of_concern,
    case when not suppressed then rank_band(a.best_rank) end as best_band,
    case when not suppressed then rank_band(a.weakest_rank) end as weakest_band,
    case when not suppressed then a.weakest_rank - a.best_rank end as band_range,
    case when not suppressed then a.schools_in_weakest_band end as schools_in_weakest_band,
    case when not suppressed then a.evidence_age_median_years end as evidence_age_median_years,
    case when not suppressed then a.evidence_age_max_years end as evidence_age_max_years,
    case when not suppressed then a.latest_evidence_age_median_years end as latest_evidence_age_median_years,
    a.schools_latest_evidence_overall_effectiveness, a.schools_latest_evidence_key_judgements,
    a.schools_latest_evidence_report_card,
    case when not suppressed then coalesce(a.w_beyond_cycle, 0) / a.weight_with_evidence end as share_beyond_cycle,
    case when not suppressed then coalesce(a.w_stale, 0) / a.weight_with_evidence end as share_stale,
    case when not suppressed then coalesce(a.w_pre_2015, 0) / a.weight_with_evidence end as share_era_pre_2015,
    case when not suppressed then coalesce(a.w_cif, 0) / a.weight_with_evidence end as share_era_cif,
    case when not suppressed then coalesce(a.w_eif, 0) / a.weight_with_evidence end as share_era_eif,
    case when not suppressed then coalesce(a.w_eif_no_overall, 0) / a.weight_with_evidence end as share_era_eif_no_overall,
    case when not suppressed then coalesce(a.w_report_card, 0) / a.weight_with_evidence end as share_era_report_card,
    case when not suppressed then coalesce(a.w_under_group, 0) / a.weight_with_evidence end as share_judged_under_group,
    case when not suppressed then coalesce(a.w_before_joining, 0) / a.weight_with_evidence end as share_judged_before_joining,
    case when not suppressed then coalesce(a.w_inherited, 0) / a.weight_with_evidence end as share_inherited,
    p.peer_group,
    p.peer_groups,
    case when p.peer_schools_with_evidence >= s.suppress_below and p.peer_groups > 1
         then p.peer_share_good_or_better end as peer_share_good_or_better,
    s.config_id
from with_weakest a
join core.groups g on g.group_key = a.group_key
cross join settings s
left join patterns.group_comparability c on c.group_key = a.group_key
left join peers p on p.view = a.view and p.weighting = a.weighting
                 and p.peer_group = {'group_kind': c.group_kind, 'size_band': c.size_band, 'phase_mix': c.phase_mix}
