-- patterns.group_capacity: what a row is, its columns and its checks are in group_capacity.yml beside this file.
with settings as (
    select setting('suppress_below_schools') as suppress_below,
           settings_config_id() as config_id

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
    p.group_key, p.group_name, p.display_name, p.group_kind, p.schools,
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
