-- One row per signal patterns.group_signals can raise: the exact rule with the thresholds
-- it was built with (meta.settings), so every flag can be read back to its definition. Key:
-- signal. signal_type: targeting (where to look first) or effective_practice (a shortlist
-- of strong, evidenced improvement records). No signal is a grade and none is combined into
-- a score.
with t as (
    select max(value) filter (where key = 'signal_concern_share') as concern_share,
           max(value) filter (where key = 'signal_decline_share') as decline_share,
           max(value) filter (where key = 'signal_decline_min_schools') as decline_min,
           max(value) filter (where key = 'signal_growth_share') as growth_share,
           max(value) filter (where key = 'signal_growth_min_schools') as growth_min,
           max(value) filter (where key = 'signal_stale_share') as stale_share,
           max(value) filter (where key = 'signal_effective_min_effect') as effective_effect,
           max(value) filter (where key = 'improvement_min_joiners') as min_joiners,
           max(value) filter (where key = 'stale_after_years') as stale_years,
           max(value) filter (where key = 'suppress_below_schools') as suppress_below,
           max(value) filter (where key = 'weak_band_rank_min') as weak_rank,
           any_value(config_id) as config_id
    from meta.settings
)
select signal, signal_type, rule, threshold, config_id
from t, lateral (values
    ('high_share_of_concerns', 'targeting',
     format('At least {:.0f}% of the group''s schools with a judgement (view all_current, schools weighting, not '
            'suppressed) are weak (band rank >= {:.0f}), and the lower end of the Wilson interval of that share is '
            'above the national share of weak schools.', 100 * concern_share, weak_rank), concern_share),
    ('decline_after_joining', 'targeting',
     format('Of the group''s schools with a judgement before joining and one under the group (at least {:.0f}), at '
            'least {:.0f}% were judged in a worse band under the group than before they joined, and the lower end '
            'of the Wilson interval of that share is above the national share of schools that declined. A start '
            'from an Outstanding judgement under the outstanding exemption, or one older than the lookback, is '
            'left out (reported apart in patterns.group_capacity).',
            decline_min, 100 * decline_share), decline_share),
    ('rapid_growth_falling_outcomes', 'targeting',
     format('The group gained at least {:.0f} schools net in three years, at least {:.0f}% of its size three years '
            'ago, and more of its schools declined than improved since joining (net_change_since_joining < 0).',
            growth_min, 100 * growth_share), growth_share),
    ('stale_evidence', 'targeting',
     format('At least {:.0f}% of the group''s open schools (at least {:.0f}) have no graded or report-card '
            'judgement, or no evidence of any kind (graded, ungraded or report card) within {:.0f} years, '
            'predecessors'' inspections included, and the lower end of the Wilson interval of that share is above '
            'the national share.',
            100 * stale_share, suppress_below, stale_years), stale_share),
    ('effective_practice', 'effective_practice',
     format('At least {:.0f} weak joiners judged under the group, an improvement effect against similar schools '
            'that did not join of at least {:.0f} percentage points with the lower end of its interval above zero, '
            'and neither high_share_of_concerns nor decline_after_joining raised.',
            min_joiners, 100 * effective_effect), effective_effect)
) as r(signal, signal_type, rule, threshold)
