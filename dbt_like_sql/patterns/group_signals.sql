-- patterns.group_signals: what a row is, its columns and its checks are in group_signals.yml beside this file.
with settings as (
    select setting('signal_concern_share') as concern_share,
           setting('signal_decline_share') as decline_share,
           setting('signal_decline_min_schools') as decline_min,
           setting('signal_growth_share') as growth_share,
           setting('signal_growth_min_schools') as growth_min,
           setting('signal_stale_share') as stale_share,
           setting('signal_effective_min_effect') as effective_effect,
           setting('suppress_below_schools') as suppress_below,
           setting('weak_band_rank_min') as weak_rank,
           setting('confidence_z') as z,
           setting('improvement_primary_horizon_years') as improvement_horizon

),
national as (
    -- the national rates a group's share must exceed beyond its own interval
    select (select count(*) filter (where band_rank >= (select weak_rank from settings)) / count(band_rank)
            from (select distinct urn, band_rank from patterns.school_evidence where view = 'own_judgements')) as weak_share,
           (select count(*) filter (where change_since_joining = 'declined') / count(change_since_joining)
            from patterns.school_trajectories where before_caveat is null) as decline_share,
           (select count(*) filter (where is_stale or outcome_band is null) / count(*)
            from (select distinct urn, is_stale, outcome_band from patterns.school_evidence
                  where view = 'including_inherited')) as stale_share
),
fired as (
    select o.group_key, 'high_share_of_concerns' as signal, o.share_weak as metric
    from patterns.group_outcome_patterns o, settings s, national n
    where o.view = 'own_judgements' and o.weighting = 'schools' and not o.suppressed
      and o.share_weak >= s.concern_share and o.share_weak_ci_low > n.weak_share
    union all
    select c.group_key, 'decline_after_joining', c.share_declined_since_joining
    from patterns.group_capacity c, settings s, national n
    where c.schools_judged_before_and_under >= s.decline_min and c.share_declined_since_joining >= s.decline_share
      and wilson_low(c.share_declined_since_joining, c.schools_judged_before_and_under, s.z) > n.decline_share
    union all
    select c.group_key, 'rapid_growth_falling_outcomes', c.growth_3y_share
    from patterns.group_capacity c, settings s
    where c.growth_3y >= s.growth_min and c.growth_3y_share >= s.growth_share and c.net_change_since_joining < 0
    union all
    select c.group_key, 'stale_evidence', c.share_stale_or_without_evidence
    from patterns.group_capacity c, settings s, national n
    where c.schools >= s.suppress_below and c.share_stale_or_without_evidence >= s.stale_share
      and wilson_low(c.share_stale_or_without_evidence, c.schools, s.z) > n.stale_share
),
effective as (
    select i.group_key, 'effective_practice' as signal, i.effect as metric
    from patterns.group_improvement i, settings s
    where i.scope = 'group' and i.eligible and i.effect >= s.effective_effect and i.effect_ci_low > 0
      and i.group_key not in (select group_key from fired
                              where signal in ('high_share_of_concerns', 'decline_after_joining'))
),
signals as (select * from fired union all select * from effective),
evidence as (
    select e.group_key, 'high_share_of_concerns' as signal, e.urn, e.inspection_number,
           format('{} judged {} on {}', e.establishment_name, e.outcome_band, e.inspection_start) as detail
    from patterns.school_evidence e
    where e.view = 'own_judgements' and e.band_rank >= (select weak_rank from settings)
    union all
    select t.group_key, 'decline_after_joining', t.urn, t.under_inspection_number,
           format('{} before joining ({}), {} under the group ({})', t.before_band, t.before_date, t.under_band,
                  t.under_date)
    from patterns.school_trajectories t where t.change_since_joining = 'declined' and t.before_caveat is null
    union all
    select t.group_key, 'rapid_growth_falling_outcomes', t.urn, t.under_inspection_number,
           case when t.change_since_joining = 'declined'
                then format('joined {}; {} before joining, {} under the group', t.joined_on, t.before_band, t.under_band)
                else format('joined {} (within three years)', t.joined_on) end
    from patterns.school_trajectories t
    where (t.change_since_joining = 'declined' and t.before_caveat is null)
       or t.joined_on > (select max(as_at) from patterns.group_profile) - interval 3 year
    union all
    select e.group_key, 'stale_evidence', e.urn, e.inspection_number,
           case when e.inspection_number is null then format('{}: no graded or report-card judgement', e.establishment_name)
                else format('{}: last judged {}; latest evidence of any kind {} ({}, {} years before {})',
                            e.establishment_name, e.inspection_start, e.latest_evidence_start, e.latest_evidence_kind,
                            e.latest_evidence_age_years, e.as_at) end
    from patterns.school_evidence e
    where e.view = 'including_inherited' and (e.is_stale or e.inspection_number is null)
    union all
    select p.group_key, 'effective_practice', p.start_urn, p.outcome_inspection_number,
           format('joined {} after a {} judgement ({}); {} by {} years after it ({})', p.joined_on, p.start_band,
                  p.start_date, p.outcome_band, p.horizon_years, p.outcome_date)
    from patterns.improvement_episodes p
    where p.cohort = 'joiner' and p.improved and p.reached_horizon
      and p.horizon_years = (select improvement_horizon from settings)
)
select
    s.group_key, g.group_name, g.display_name, g.group_kind, s.signal, r.signal_type, r.rule, s.metric, r.threshold,
    (select list(struct_pack(urn := v.urn, inspection_number := v.inspection_number, detail := v.detail)
                 order by v.urn)
     from evidence v where v.group_key = s.group_key and v.signal = s.signal) as evidence,
    r.config_id
from signals s
join patterns.signal_rules r on r.signal = s.signal
join core.groups g on g.group_key = s.group_key
