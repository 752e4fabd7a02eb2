-- patterns.group_improvement: what a row is, its columns and its checks are in group_improvement.yml beside this file.
with settings as (
    select setting('improvement_primary_horizon_years') as horizon,
           settings_config_id() as config_id

),
headline as (
    select c.* from patterns.group_improvement_comparisons c, settings s
    where c.horizon_years = s.horizon and c.scope in ('group', 'group_kind')
),
groups as (
    select distinct g.group_key, g.group_kind, g.group_name, g.display_name
    from patterns.school_evidence e join core.groups g on g.group_key = e.group_key
),
rows as (
    select 'group' as scope, g.group_key, g.group_name, g.display_name, g.group_kind from groups g
    union all
    select distinct 'group_kind', null, null, null, group_kind from headline where scope = 'group_kind'
)
select
    r.scope, r.group_key, r.group_name, r.display_name, r.group_kind,
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
