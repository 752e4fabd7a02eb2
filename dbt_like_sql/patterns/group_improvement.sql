-- Does the group improve weak schools after they join? One row per group (scope 'group',
-- every group with an open school, LAs and federations included) and per group kind
-- (scope 'group_kind', group_key NULL: all joiners of that kind). Key: (scope, group_kind,
-- group_key). From patterns.improvement_episodes: joiners = weak joiners judged under the
-- group; share_improved = share whose first judgement under the group is in a better band
-- than the one before joining (Wilson interval); median_years_to_improvement is over those
-- that improved; comparison_schools counts the distinct comparison episodes in the cells used. Each joiner is compared with similar schools that did not join: the
-- improvement rate of comparison episodes in its match cell (starting band x phase x era x
-- window), or the next coarser cell (band x phase x era, band x phase, band) when the cell
-- has fewer than comparison_min_cell episodes; comparison_share_improved is the mean of those
-- rates over the joiners that found a cell. effect = share_improved_matched (the same matched
-- joiners) - comparison_share_improved, so both sides and the interval rest on one denominator
-- (joiners_matched), with Newcombe's hybrid score interval (the matched joiners' Wilson interval
-- combined with the comparison rate's variance, each used cell adding (n_c / n)^2 q_c (1 - q_c)
-- / m_c). effect_shrunk: the empirical-Bayes estimate, pulled towards the group kind's effect
-- the less precise the group's own is, with the between-group variance estimated within each
-- kind (method of moments over the kind's eligible groups; all eligible groups when a kind has
-- fewer than two); order groups on it,
-- not on the raw effect, which three lucky joiners can top. The *_at_latest columns use the
-- newest judgement under the group instead of the first. eligible: at least
-- improvement_min_joiners joiners.
with settings as (
    select max(value) filter (where key = 'confidence_z') as z,
           max(value) filter (where key = 'comparison_min_cell') as min_cell,
           max(value) filter (where key = 'improvement_min_joiners') as min_joiners,
           any_value(config_id) as config_id
    from meta.settings
),
comparison as (
    select * from patterns.improvement_episodes where cohort = 'comparison'
),
comparison_cells as (
    -- every comparison episode in its cell at each level of matching, finest first
    select lineage_id || '|' || start_inspection_number as episode, 1 as level, match_cell as cell, improved,
           latest_improved from comparison
    union all select lineage_id || '|' || start_inspection_number, 2, concat_ws('|', match_band, match_phase, start_era),
           improved, latest_improved from comparison
    union all select lineage_id || '|' || start_inspection_number, 3, concat_ws('|', match_band, match_phase),
           improved, latest_improved from comparison
    union all select lineage_id || '|' || start_inspection_number, 4, match_band, improved, latest_improved
    from comparison
),
cells as (
    select level, cell, count(*) as m, avg(improved::int) as q, avg(latest_improved::int) as q_latest
    from comparison_cells
    group by all
    having count(*) >= (select min_cell from settings)
),
joiners as (
    select * from patterns.improvement_episodes where cohort = 'joiner'
),
matched as (
    select j.group_key, j.group_kind, j.urn, j.joined_on, j.improved, j.latest_improved, j.years_to_improvement,
           j.outcome_band is not null as judged, c.level as match_level, c.cell, c.m, c.q, c.q_latest
    from joiners j
    left join cells c
        on c.cell = case c.level when 1 then j.match_cell
                                 when 2 then concat_ws('|', j.match_band, j.match_phase, j.start_era)
                                 when 3 then concat_ws('|', j.match_band, j.match_phase)
                                 else j.match_band end
    qualify row_number() over (partition by j.group_key, j.urn, j.joined_on order by c.level nulls last) = 1
),
scoped as (
    select 'group' as scope, group_key, group_kind, * exclude (group_key, group_kind) from matched
    union all
    select 'group_kind', null, group_kind, * exclude (group_key, group_kind) from matched
),
per_cell as (
    -- variance of the comparison mean: joiners sharing a cell share its rate
    select scope, group_key, group_kind, match_level, cell, count(*) as n_c, any_value(m) as m, any_value(q) as q,
           any_value(q_latest) as q_latest
    from scoped where judged and cell is not null group by all
),
cell_variance as (
    select scope, group_key, group_kind, sum(n_c * n_c * q * (1 - q) / m) as weighted_var,
           sum(n_c * n_c * q_latest * (1 - q_latest) / m) as weighted_var_latest
    from per_cell group by all
),
comparison_counts as (
    -- distinct comparison episodes behind a scope's rates (cells of different levels overlap)
    select p.scope, p.group_key, p.group_kind, count(distinct c.episode) as comparison_schools
    from per_cell p join comparison_cells c on c.level = p.match_level and c.cell = p.cell
    group by all
),
agg as (
    select scope, group_key, group_kind,
           count(*) as weak_joiners,
           count(*) filter (where judged) as joiners,
           count(*) filter (where not judged) as joiners_awaiting_judgement,
           count(*) filter (where improved) as joiners_improved,
           count(*) filter (where latest_improved) as joiners_improved_at_latest,
           avg(q) filter (where judged) as comparison_share_improved,
           avg(q_latest) filter (where judged) as comparison_share_improved_at_latest,
           count(*) filter (where judged and cell is not null) as joiners_matched,
           count(*) filter (where judged and cell is not null and improved) as joiners_matched_improved,
           count(*) filter (where judged and cell is not null and latest_improved) as joiners_matched_improved_at_latest,
           avg(match_level) filter (where judged) as mean_match_level,
           median(years_to_improvement) filter (where improved or years_to_improvement is not null)
               as median_years_to_improvement
    from scoped group by all
),
measured as (
    select a.*, n.comparison_schools, v.weighted_var, v.weighted_var_latest,
           case when a.joiners > 0 then a.joiners_improved / a.joiners end as share_improved,
           case when a.joiners > 0 then a.joiners_improved_at_latest / a.joiners end as share_improved_at_latest,
           case when a.joiners_matched > 0 then a.joiners_matched_improved / a.joiners_matched end
               as share_improved_matched,
           case when a.joiners_matched > 0 then a.joiners_matched_improved_at_latest / a.joiners_matched end
               as share_improved_matched_at_latest
    from agg a
    left join cell_variance v on v.scope = a.scope and v.group_key is not distinct from a.group_key
                             and v.group_kind = a.group_kind
    left join comparison_counts n on n.scope = a.scope and n.group_key is not distinct from a.group_key
                                 and n.group_kind = a.group_kind
),
groups as (
    select distinct g.group_key, g.group_kind, g.group_name
    from patterns.school_evidence e join core.groups g on g.group_key = e.group_key
),
everything as (
    select 'group' as scope, g.group_key, g.group_kind, g.group_name, m.* exclude (scope, group_key, group_kind)
    from groups g left join measured m on m.scope = 'group' and m.group_key = g.group_key
    union all by name
    select scope, null as group_key, group_kind, null as group_name, * exclude (scope, group_key, group_kind)
    from measured where scope = 'group_kind'
),
intervals as (
    select e.*, s.z, s.min_joiners, s.config_id,
           wilson_low(e.share_improved, e.joiners, s.z) as share_low,
           wilson_high(e.share_improved, e.joiners, s.z) as share_high,
           e.share_improved_matched - e.comparison_share_improved as effect,
           wilson_low(e.share_improved_matched, e.joiners_matched, s.z) as p_low,
           wilson_high(e.share_improved_matched, e.joiners_matched, s.z) as p_high,
           e.share_improved_matched_at_latest - e.comparison_share_improved_at_latest as effect_at_latest,
           wilson_low(e.share_improved_matched_at_latest, e.joiners_matched, s.z) as pl_low,
           wilson_high(e.share_improved_matched_at_latest, e.joiners_matched, s.z) as pl_high,
           -- sampling variance of the effect were the group no different from similar schools
           e.comparison_share_improved * (1 - e.comparison_share_improved) / e.joiners_matched
               + e.weighted_var / (e.joiners_matched * e.joiners_matched) as null_variance,
           coalesce(e.joiners, 0) >= s.min_joiners as eligible
    from everything e cross join settings s
),
spread as (
    -- between-group variance of true effects within each kind (method of moments over its eligible
    -- groups), the same over all eligible groups for a kind with fewer than two
    select group_kind, greatest(0.0, var_samp(effect) - avg(null_variance)) as tau2
    from intervals where scope = 'group' and eligible and effect is not null group by group_kind
    union all
    select null, greatest(0.0, var_samp(effect) - avg(null_variance))
    from intervals where scope = 'group' and eligible and effect is not null
)
select
    i.scope, i.group_key, i.group_name, i.group_kind,
    coalesce(i.weak_joiners, 0) as weak_joiners,
    coalesce(i.joiners, 0) as joiners,
    coalesce(i.joiners_awaiting_judgement, 0) as joiners_awaiting_judgement,
    coalesce(i.joiners_improved, 0) as joiners_improved,
    i.share_improved,
    i.share_low as share_improved_ci_low,
    i.share_high as share_improved_ci_high,
    coalesce(i.joiners_matched, 0) as joiners_matched,
    i.share_improved_matched,
    i.share_improved_at_latest,
    i.median_years_to_improvement,
    coalesce(i.comparison_schools, 0) as comparison_schools,
    i.comparison_share_improved,
    i.mean_match_level,
    i.effect,
    -- Newcombe's hybrid score interval: Wilson for the joiners, normal for the comparison rate
    i.effect - sqrt(power(i.share_improved_matched - i.p_low, 2)
                    + power(i.z, 2) * i.weighted_var / power(i.joiners_matched, 2)) as effect_ci_low,
    i.effect + sqrt(power(i.p_high - i.share_improved_matched, 2)
                    + power(i.z, 2) * i.weighted_var / power(i.joiners_matched, 2)) as effect_ci_high,
    -- empirical-Bayes estimate: shrunk towards the group kind's effect by the group's precision
    k.effect + (i.effect - k.effect) * sp.tau2 / nullif(sp.tau2 + i.null_variance, 0) as effect_shrunk,
    i.comparison_share_improved_at_latest,
    i.effect_at_latest,
    i.effect_at_latest - sqrt(power(i.share_improved_matched_at_latest - i.pl_low, 2)
                              + power(i.z, 2) * i.weighted_var_latest / power(i.joiners_matched, 2))
        as effect_at_latest_ci_low,
    i.effect_at_latest + sqrt(power(i.pl_high - i.share_improved_matched_at_latest, 2)
                              + power(i.z, 2) * i.weighted_var_latest / power(i.joiners_matched, 2))
        as effect_at_latest_ci_high,
    i.eligible,
    i.config_id
from intervals i
left join intervals k on k.scope = 'group_kind' and k.group_kind = i.group_kind
left join (select s.group_kind, coalesce(s.tau2, a.tau2) as tau2
           from (select distinct group_kind from intervals) g
           left join spread s on s.group_kind = g.group_kind
           cross join (select tau2 from spread where group_kind is null) a) sp on sp.group_kind = i.group_kind
