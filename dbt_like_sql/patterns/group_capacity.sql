-- Does the group have the capacity to improve schools? Transparent indicators, one row per
-- group in patterns.group_profile; no composite score. Key: group_key. Improvement track
-- record from patterns.group_improvement (weak joiners judged, share improved, effect against
-- similar schools and its interval). From patterns.school_trajectories: schools judged under
-- the group that also had a judgement before joining, and the shares that improved,
-- maintained or declined since joining (also weighted two ways: by time_weight, the project's
-- convention, and by dfe_weight, DfE's multi-academy trust weights, pupils x 3/4/5 for whole
-- academic years in the group, schools DfE would not count left out), leaving out schools
-- whose starting point has a before_caveat (an Outstanding
-- judgement under the outstanding exemption, or one older than the lookback): those are counted
-- apart in schools_with_caveated_start and declined_from_caveated_start; schools judged under the group against the judgement before it
-- (share_maintained_or_improved, share_declined_vs_previous). Growth against outcome
-- trajectory: growth_3y and its share of the group's size three years ago beside
-- net_change_since_joining (improved minus declined, as a share). share_without_evidence_under_group:
-- schools with no judgement made under the group yet. The since-joining and vs-previous shares
-- are NULL below suppress_below_schools schools in their denominator (the DfE-weighted share:
-- schools with a dfe_weight in it, schools_dfe_weighted_before_and_under); shares of all the group's
-- schools (without evidence, stale) and the improvement figures (see group_improvement's
-- eligible) are not.
with settings as (
    select max(value) filter (where key = 'suppress_below_schools') as suppress_below,
           any_value(config_id) as config_id
    from meta.settings
),
trajectories as (
    select group_key,
           count(*) as schools,
           count(under_band) as schools_judged_under_group,
           count(change_since_joining) filter (where before_caveat is null) as schools_judged_before_and_under,
           count(*) filter (where change_since_joining = 'improved' and before_caveat is null) as improved_since_joining,
           count(*) filter (where change_since_joining = 'maintained' and before_caveat is null)
               as maintained_since_joining,
           count(*) filter (where change_since_joining = 'declined' and before_caveat is null) as declined_since_joining,
           count(change_since_joining) filter (where before_caveat is not null) as schools_with_caveated_start,
           count(*) filter (where change_since_joining = 'declined' and before_caveat is not null)
               as declined_from_caveated_start,
           sum(time_weight) filter (where change_since_joining is not null and before_caveat is null)
               as weight_before_and_under,
           sum(time_weight) filter (where change_since_joining in ('improved', 'maintained') and before_caveat is null)
               as weight_maintained_or_improved,
           count(dfe_weight) filter (where change_since_joining is not null and before_caveat is null)
               as schools_dfe_weighted_before_and_under,
           sum(dfe_weight) filter (where change_since_joining is not null and before_caveat is null)
               as dfe_weight_before_and_under,
           sum(dfe_weight) filter (where change_since_joining in ('improved', 'maintained') and before_caveat is null)
               as dfe_weight_maintained_or_improved,
           count(change_vs_previous) as schools_with_previous,
           count(*) filter (where change_vs_previous in ('improved', 'maintained')) as maintained_or_improved_vs_previous,
           count(*) filter (where change_vs_previous = 'declined') as declined_vs_previous
    from patterns.school_trajectories group by all
),
stale as (
    select group_key, count(*) filter (where is_stale or outcome_band is null) as schools_stale_or_without_evidence
    from patterns.school_evidence where view = 'including_inherited' group by all
)
select
    p.group_key, p.group_name, p.group_kind, p.schools,
    i.joiners as weak_joiners, i.joiners - i.joiners_not_yet_judged as weak_joiners_judged, i.joiners_improved, i.share_improved,
    i.effect as improvement_effect, i.effect_ci_low as improvement_effect_ci_low,
    i.effect_ci_high as improvement_effect_ci_high, i.effect_shrunk as improvement_effect_shrunk,
    i.eligible as improvement_eligible,
    t.schools_judged_under_group,
    t.schools_judged_before_and_under,
    t.improved_since_joining, t.maintained_since_joining, t.declined_since_joining,
    t.schools_with_caveated_start, t.declined_from_caveated_start,
    case when t.schools_judged_before_and_under >= s.suppress_below
         then (t.improved_since_joining + t.maintained_since_joining) / t.schools_judged_before_and_under end
        as share_maintained_or_improved_since_joining,
    case when t.schools_judged_before_and_under >= s.suppress_below
         then t.declined_since_joining / t.schools_judged_before_and_under end as share_declined_since_joining,
    case when t.schools_judged_before_and_under >= s.suppress_below
         then coalesce(t.weight_maintained_or_improved, 0) / t.weight_before_and_under end
        as share_maintained_or_improved_time_weighted,
    coalesce(t.schools_dfe_weighted_before_and_under, 0) as schools_dfe_weighted_before_and_under,
    coalesce(t.dfe_weight_before_and_under, 0) as dfe_weight_before_and_under,
    case when t.schools_dfe_weighted_before_and_under >= s.suppress_below
         then coalesce(t.dfe_weight_maintained_or_improved, 0) / t.dfe_weight_before_and_under end
        as share_maintained_or_improved_dfe_weighted,
    case when t.schools_judged_before_and_under >= s.suppress_below
         then (t.improved_since_joining - t.declined_since_joining) / t.schools_judged_before_and_under end
        as net_change_since_joining,
    t.schools_with_previous,
    case when t.schools_with_previous >= s.suppress_below
         then t.maintained_or_improved_vs_previous / t.schools_with_previous end as share_maintained_or_improved,
    case when t.schools_with_previous >= s.suppress_below
         then t.declined_vs_previous / t.schools_with_previous end as share_declined_vs_previous,
    p.growth_1y, p.growth_3y, p.growth_5y, p.schools_3y_ago,
    p.growth_3y / nullif(p.schools_3y_ago, 0) as growth_3y_share,
    t.schools - t.schools_judged_under_group as schools_without_evidence_under_group,
    (t.schools - t.schools_judged_under_group) / t.schools as share_without_evidence_under_group,
    st.schools_stale_or_without_evidence,
    st.schools_stale_or_without_evidence / p.schools as share_stale_or_without_evidence,
    s.config_id
from patterns.group_profile p
cross join settings s
left join patterns.group_improvement i on i.scope = 'group' and i.group_key = p.group_key
left join trajectories t on t.group_key = p.group_key
left join stale st on st.group_key = p.group_key
