"""The system indicators the sample estimates (``sampling.sample_estimates``)."""

from .design import Indicator

# The headline system indicators: ratios of per-group counts in sampling.sampling_frame. Bands
# here are the cross-era summary band (a named convention, thresholds.toml cross_era_band): a
# group's schools are judged under different frameworks, and a per-group sample needs one reading.
INDICATORS = (
    Indicator("share_judged_under_group_good_or_better", "schools_good_or_better_under_group",
              "schools_judged_under_group",
              "Of schools judged since they joined their group, the share judged good or better (strong or secure "
              "on the cross-era summary band)"),
    Indicator("share_schools_weak", "schools_weak", "schools_judged",
              "Of schools with a judgement of their current URN, the share judged weak (cross-era band rank >= "
              "weak_band_rank_min)"),
    Indicator("share_pupils_good_or_better", "pupils_good_or_better", "pupils_judged",
              "Of pupils in schools with a judgement of their current URN, the share in schools judged good or "
              "better (cross-era summary band)"),
    Indicator("share_weak_joiners_improved", "weak_joiners_improved", "weak_joiners",
              "Of schools that joined a trust within improvement_join_window_years of a weak judgement, the share whose "
              "latest evidence improvement_primary_horizon_years after it is in a better band (not yet judged counts as not improved)"),
    Indicator("share_stale_or_no_evidence", "schools_stale_or_without_evidence", "schools",
              "Of open schools, the share with no judgement, or no evidence of any kind (graded, ungraded or "
              "report card) within stale_after_years"),
)
