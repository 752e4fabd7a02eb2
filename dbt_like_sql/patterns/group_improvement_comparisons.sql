-- patterns.group_improvement_comparisons: what a row is, its columns and its checks are in group_improvement_comparisons.yml beside this file.
with settings as (
    select setting('confidence_z') as z,
           setting('comparison_min_cell') as min_cell,
           setting('improvement_min_joiners') as min_joiners,
           settings_config_id() as config_id

),
episodes as (
    select * from patterns.improvement_episodes where reached_horizon
),
joiners as (
    select * from episodes where cohort = 'joiner'
),
ever_in as (
    -- every group each episode's school (or a successor) ever belonged to
    select distinct e.episode_id, m.group_key
    from (select distinct episode_id, start_urn from episodes) e
    join core.school_ancestry a on a.ancestor_urn = e.start_urn
    join core.group_memberships m on m.urn = a.urn
),
pairs as (
    -- each comparison episode once per joiner: the pools it is in and the finest level of matching
    -- it reaches (the levels nest, so a pair counts at its finest level and every coarser one);
    -- nothing here depends on the pool, so the pools only multiply the per-level counts below
    select j.episode_id, j.horizon_years, c.improved, c.not_yet_judged,
           c.join_elapsed_days is null or c.join_elapsed_days > j.join_elapsed_days as in_not_yet_joined,
           (c.join_elapsed_days is null or c.join_elapsed_days > j.join_elapsed_days) and c.no_trust_by_horizon
               as in_stayed_with_la,
           c.cohort = 'joiner' and c.group_kind = j.group_kind as in_other_trusts,
           case when c.match_prior_band = j.match_prior_band and c.match_phase = j.match_phase
                     and c.match_disadvantage = j.match_disadvantage and c.match_region = j.match_region then 1
                when c.match_prior_band = j.match_prior_band and c.match_phase = j.match_phase
                     and c.match_disadvantage = j.match_disadvantage then 2
                when c.match_prior_band = j.match_prior_band and c.match_phase = j.match_phase then 3
                when c.match_prior_band = j.match_prior_band then 4
                else 5 end as finest_level
    from joiners j
    join episodes c on c.horizon_years = j.horizon_years and c.match_band = j.match_band
                   and c.match_era = j.match_era and c.lineage_id is distinct from j.lineage_id
                   and c.episode_id <> j.episode_id
    where not exists (select 1 from ever_in x where x.episode_id = c.episode_id and x.group_key = j.group_key)
),
per_level as (
    select episode_id, horizon_years, finest_level,
           count(*) filter (where in_not_yet_joined) as m_not_yet_joined,
           count(*) filter (where in_not_yet_joined and improved) as i_not_yet_joined,
           count(*) filter (where in_not_yet_joined and not_yet_judged) as n_not_yet_joined,
           count(*) filter (where in_stayed_with_la) as m_stayed_with_la,
           count(*) filter (where in_stayed_with_la and improved) as i_stayed_with_la,
           count(*) filter (where in_stayed_with_la and not_yet_judged) as n_stayed_with_la,
           count(*) filter (where in_other_trusts) as m_other_trusts,
           count(*) filter (where in_other_trusts and improved) as i_other_trusts,
           count(*) filter (where in_other_trusts and not_yet_judged) as n_other_trusts
    from pairs
    group by all
),
per_pool as (
    select l.episode_id, l.horizon_years, p.comparison_pool, l.finest_level,
           case p.comparison_pool when 'not_yet_joined' then l.m_not_yet_joined
                                  when 'stayed_with_la' then l.m_stayed_with_la else l.m_other_trusts end as m,
           case p.comparison_pool when 'not_yet_joined' then l.i_not_yet_joined
                                  when 'stayed_with_la' then l.i_stayed_with_la else l.i_other_trusts end as i,
           case p.comparison_pool when 'not_yet_joined' then l.n_not_yet_joined
                                  when 'stayed_with_la' then l.n_stayed_with_la else l.n_other_trusts end as n
    from per_level l
    cross join (values ('not_yet_joined'), ('stayed_with_la'), ('other_trusts')) p(comparison_pool)
),
levels as (
    -- comparison episodes (and those improved / not yet judged) at each level of matching; a pool
    -- without a single comparison has no row, as when the pairs were counted one by one
    select episode_id, horizon_years, comparison_pool,
           coalesce(sum(m) filter (where finest_level <= 1), 0)::bigint as m1,
           coalesce(sum(i) filter (where finest_level <= 1), 0)::bigint as i1,
           coalesce(sum(n) filter (where finest_level <= 1), 0)::bigint as n1,
           coalesce(sum(m) filter (where finest_level <= 2), 0)::bigint as m2,
           coalesce(sum(i) filter (where finest_level <= 2), 0)::bigint as i2,
           coalesce(sum(n) filter (where finest_level <= 2), 0)::bigint as n2,
           coalesce(sum(m) filter (where finest_level <= 3), 0)::bigint as m3,
           coalesce(sum(i) filter (where finest_level <= 3), 0)::bigint as i3,
           coalesce(sum(n) filter (where finest_level <= 3), 0)::bigint as n3,
           coalesce(sum(m) filter (where finest_level <= 4), 0)::bigint as m4,
           coalesce(sum(i) filter (where finest_level <= 4), 0)::bigint as i4,
           coalesce(sum(n) filter (where finest_level <= 4), 0)::bigint as n4,
           sum(m)::bigint as m5, sum(i)::bigint as i5, sum(n)::bigint as n5
    from per_pool
    group by all
    having sum(m) > 0
),
matched as (
    -- the finest cell with enough comparison schools judged by the horizon; q is their share improved
    select l.episode_id, l.horizon_years, l.comparison_pool, k.match_level, k.m - k.n as m, k.i / (k.m - k.n) as q,
           k.n / k.m as q_nyj
    from levels l cross join settings s
    cross join lateral (
        select * from (values (1, l.m1, l.i1, l.n1), (2, l.m2, l.i2, l.n2), (3, l.m3, l.i3, l.n3),
                              (4, l.m4, l.i4, l.n4), (5, l.m5, l.i5, l.n5)) v(match_level, m, i, n)
        where v.m - v.n >= s.min_cell order by v.match_level limit 1
    ) k
),
pools as (
    select unnest(['not_yet_joined', 'stayed_with_la', 'other_trusts']) as comparison_pool
),
joiner_rows as (
    -- every joiner under every pool, matched or not
    select j.*, p.comparison_pool, m.match_level, m.m, m.q, m.q_nyj,
           m.match_level is not null and not j.not_yet_judged as is_matched,
           j.match_band || '|' || j.match_era || '|' || coalesce(
               case m.match_level
                    when 1 then concat_ws('|', j.match_prior_band, j.match_phase, j.match_disadvantage, j.match_region)
                    when 2 then concat_ws('|', j.match_prior_band, j.match_phase, j.match_disadvantage)
                    when 3 then concat_ws('|', j.match_prior_band, j.match_phase)
                    when 4 then j.match_prior_band else '' end, '') as cell
    from joiners j cross join pools p
    left join matched m on m.episode_id = j.episode_id and m.horizon_years = j.horizon_years
                       and m.comparison_pool = p.comparison_pool
),
scoped as (
    select 'group' as scope, group_kind, group_key, * exclude (group_kind, group_key) from joiner_rows
    union all
    select 'group_kind', group_kind, null, * exclude (group_kind, group_key) from joiner_rows
    union all
    select 'system', null, null, * exclude (group_kind, group_key) from joiner_rows
),
per_cell as (
    select scope, group_kind, group_key, horizon_years, comparison_pool, match_level, cell,
           count(*) as n_c, avg(q) as q_c, avg(m) as m_c
    from scoped where is_matched group by all
),
cell_variance as (
    select scope, group_kind, group_key, horizon_years, comparison_pool,
           sum(n_c * n_c * q_c * (1 - q_c) / m_c) as weighted_var
    from per_cell group by all
),
agg as (
    select scope, group_kind, group_key, horizon_years, comparison_pool,
           count(*) as joiners,
           count(*) filter (where improved) as joiners_improved,
           count(*) filter (where not_yet_judged) as joiners_not_yet_judged,
           count(*) filter (where left_group_by_horizon) as joiners_left_group,
           count(*) filter (where closed_by_horizon) as joiners_closed,
           count(*) filter (where is_matched) as joiners_matched,
           count(*) filter (where is_matched and improved) as joiners_matched_improved,
           avg(q) filter (where is_matched) as comparison_share_improved,
           avg(q_nyj) as comparison_share_not_yet_judged,
           sum(m) filter (where is_matched) as comparison_pairs,
           avg(match_level) filter (where is_matched) as mean_match_level,
           median(years_to_improvement) filter (where improved) as median_years_to_improvement
    from scoped group by all
),
measured as (
    select a.*, v.weighted_var, s.z, s.min_joiners, s.config_id,
           a.joiners_improved / a.joiners as share_improved,
           a.joiners_not_yet_judged / a.joiners as share_not_yet_judged,
           case when a.joiners_matched > 0 then a.joiners_matched_improved / a.joiners_matched end
               as share_improved_matched,
           a.joiners_matched >= s.min_joiners as eligible
    from agg a
    cross join settings s
    left join cell_variance v on v.scope = a.scope and v.group_kind is not distinct from a.group_kind
                             and v.group_key is not distinct from a.group_key
                             and v.horizon_years = a.horizon_years and v.comparison_pool = a.comparison_pool
),
intervals as (
    select m.*,
           m.share_improved_matched - m.comparison_share_improved as effect,
           wilson_low(m.share_improved_matched, m.joiners_matched, m.z) as p_low,
           wilson_high(m.share_improved_matched, m.joiners_matched, m.z) as p_high,
           -- sampling variance of the effect were the group no different from its comparisons
           m.comparison_share_improved * (1 - m.comparison_share_improved) / m.joiners_matched
               + m.weighted_var / (m.joiners_matched * m.joiners_matched) as null_variance
    from measured m
),
spread as (
    select horizon_years, comparison_pool, group_kind, count(*) as groups,
           greatest(0.0, var_samp(effect) - avg(null_variance)) as tau2
    from intervals where scope = 'group' and eligible and effect is not null group by all
),
spread_all as (
    select horizon_years, comparison_pool, greatest(0.0, var_samp(effect) - avg(null_variance)) as tau2
    from intervals where scope = 'group' and eligible and effect is not null group by all
)
select
    i.scope, i.group_key, i.group_kind, i.horizon_years, i.comparison_pool,
    i.joiners, i.joiners_improved, i.share_improved,
    wilson_low(i.share_improved, i.joiners, i.z) as share_improved_ci_low,
    wilson_high(i.share_improved, i.joiners, i.z) as share_improved_ci_high,
    i.joiners_not_yet_judged, i.share_not_yet_judged, i.joiners_left_group, i.joiners_closed,
    i.joiners_matched, i.share_improved_matched, i.comparison_pairs,
    i.comparison_share_improved, i.comparison_share_not_yet_judged, i.mean_match_level,
    i.median_years_to_improvement,
    i.effect,
    i.effect - sqrt(power(i.share_improved_matched - i.p_low, 2)
                    + power(i.z, 2) * i.weighted_var / power(i.joiners_matched, 2)) as effect_ci_low,
    i.effect + sqrt(power(i.p_high - i.share_improved_matched, 2)
                    + power(i.z, 2) * i.weighted_var / power(i.joiners_matched, 2)) as effect_ci_high,
    case when i.scope = 'group' and i.effect is not null then
        k.effect + (i.effect - k.effect) * t.tau2 / nullif(t.tau2 + i.null_variance, 0) end as effect_shrunk,
    t.tau2 as between_group_variance,
    i.eligible,
    i.config_id
from intervals i
left join intervals k on k.scope = 'group_kind' and k.group_kind = i.group_kind
                     and k.horizon_years = i.horizon_years and k.comparison_pool = i.comparison_pool
left join (select a.horizon_years, a.comparison_pool, g.group_kind,
                  case when s.groups >= 2 then s.tau2 else a.tau2 end as tau2
           from spread_all a
           cross join (select distinct group_kind from intervals where group_kind is not null) g
           left join spread s on s.horizon_years = a.horizon_years and s.comparison_pool = a.comparison_pool
                             and s.group_kind = g.group_kind) t
       on t.horizon_years = i.horizon_years and t.comparison_pool = i.comparison_pool
      and t.group_kind = i.group_kind
