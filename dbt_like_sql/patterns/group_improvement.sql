-- Does the group improve weak schools after they join? The headline of
-- patterns.group_improvement_comparisons: its horizon improvement_primary_horizon_years after the
-- starting weak judgement, against the 'not_yet_joined' pool, with the two within-kind
-- comparisons beside it (effect_vs_stayed_with_la, effect_vs_other_trusts). One row per group
-- (scope 'group', every group with an open school: groups that take on no weak schools, LAs
-- among them, show zero joiners) and per group kind (scope 'group_kind', group_key NULL). Key:
-- (scope, group_kind, group_key). A joiner is a school that joined the trust within
-- improvement_join_window_years of a weak judgement made while it was in no academy trust,
-- credited to that trust even if it later left or closed (intention to treat). share_improved
-- counts joiners whose latest evidence at the horizon is in a better band than the start, out of
-- every joiner that reached the horizon; share_not_yet_judged those with no evidence since.
-- Order groups on effect_shrunk, not on the raw effect, which three lucky joiners can top.
-- eligible: at least improvement_min_joiners matched joiners.
with settings as (
    select max(value) filter (where key = 'improvement_primary_horizon_years') as horizon,
           any_value(config_id) as config_id
    from meta.settings
),
headline as (
    select c.* from patterns.group_improvement_comparisons c, settings s
    where c.horizon_years = s.horizon and c.scope in ('group', 'group_kind')
),
groups as (
    select distinct g.group_key, g.group_kind, g.group_name
    from patterns.school_evidence e join core.groups g on g.group_key = e.group_key
),
rows as (
    select 'group' as scope, g.group_key, g.group_name, g.group_kind from groups g
    union all
    select distinct 'group_kind', null, null, group_kind from headline where scope = 'group_kind'
)
select
    r.scope, r.group_key, r.group_name, r.group_kind,
    s.horizon as horizon_years,
    'not_yet_joined' as comparison_pool,
    coalesce(h.joiners, 0) as joiners,
    coalesce(h.joiners_improved, 0) as joiners_improved,
    h.share_improved, h.share_improved_ci_low, h.share_improved_ci_high,
    coalesce(h.joiners_not_yet_judged, 0) as joiners_not_yet_judged,
    h.share_not_yet_judged,
    coalesce(h.joiners_left_group, 0) as joiners_left_group,
    coalesce(h.joiners_closed, 0) as joiners_closed,
    coalesce(h.joiners_matched, 0) as joiners_matched,
    h.share_improved_matched,
    h.median_years_to_improvement,
    coalesce(h.comparison_pairs, 0) as comparison_pairs,
    h.comparison_share_improved, h.comparison_share_not_yet_judged, h.mean_match_level,
    h.effect, h.effect_ci_low, h.effect_ci_high, h.effect_shrunk,
    la.effect as effect_vs_stayed_with_la, la.effect_ci_low as effect_vs_stayed_with_la_ci_low,
    la.effect_ci_high as effect_vs_stayed_with_la_ci_high,
    ot.effect as effect_vs_other_trusts, ot.effect_ci_low as effect_vs_other_trusts_ci_low,
    ot.effect_ci_high as effect_vs_other_trusts_ci_high,
    coalesce(h.eligible, false) as eligible,
    s.config_id
from rows r
cross join settings s
left join headline h on h.comparison_pool = 'not_yet_joined' and h.scope = r.scope
                    and h.group_kind = r.group_kind and h.group_key is not distinct from r.group_key
left join headline la on la.comparison_pool = 'stayed_with_la' and la.scope = r.scope
                     and la.group_kind = r.group_kind and la.group_key is not distinct from r.group_key
left join headline ot on ot.comparison_pool = 'other_trusts' and ot.scope = r.scope
                     and ot.group_kind = r.group_kind and ot.group_key is not distinct from r.group_key
