-- patterns.signal_rules: what a row is, its columns and its checks are in signal_rules.yml beside this file.
with t as (
    select setting('signal_concern_share') as concern_share,
           setting('signal_decline_share') as decline_share,
           setting('signal_decline_min_schools') as decline_min,
           setting('signal_growth_share') as growth_share,
           setting('signal_growth_min_schools') as growth_min,
           setting('signal_stale_share') as stale_share,
           setting('signal_effective_min_effect') as effective_effect,
           setting('improvement_min_joiners') as min_joiners,
           setting('stale_after_years') as stale_years,
           setting('suppress_below_schools') as suppress_below,
           setting('weak_band_rank_min') as weak_rank,
           settings_config_id() as config_id
)
select signal, signal_type, rule, threshold, config_id
from t, lateral (values
    ('high_share_of_concerns', 'targeting',
     format('At least {:.0f}% of the group''s schools with a judgement (view own_judgements, schools weighting, not '
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
