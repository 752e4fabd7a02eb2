"""The analysis settings (``meta.settings``) in plain words: what each one sets, and its value in the
unit it is measured in ("5 years", "30%", "seed 20261124"), so readers never meet a settings key;
the keys stay in the "numbers" table under the plain one.
"""

from __future__ import annotations

import re
from datetime import date

from .labels import _num

# key -> (what it sets, for readers; the unit its value is in)
SETTING_WORDS: dict[str, tuple[str, str]] = {
    "stale_after_years": ("Evidence counts as out of date after", "years"),
    "inspection_cycle_years": ("Routine inspection cycle", "years"),
    "suppress_below_schools": ("A group's shares are not shown when fewer of its schools have a judgement than",
                               "schools"),
    "confidence_z": ("Width of the intervals (1.96 gives 95% intervals)", "number"),
    "cross_era_band": ("Version of the cross-era summary band convention", "version"),
    "weak_band_rank_min": ("A judgement counts as weak from the summary band",
                           "band"),
    "improvement_join_window_years": ("A school joined soon after a weak judgement when it joined within", "years"),
    "improvement_primary_horizon_years": ("Improvement is read this long after the weak judgement", "years"),
    "improvement_horizon_min_years": ("Improvement is first looked at after", "years"),
    "improvement_horizon_max_years": ("Improvement is last looked at after", "years"),
    "improvement_min_joiners": ("A trust's improvement figures are shown from this many joiners", "schools"),
    "comparison_min_cell": ("Fewest similar schools a comparison needs", "schools"),
    "joiner_lookback_years": ("A judgement older than this before joining is reported apart", "years"),
    "outstanding_exemption_until": ("Outstanding schools were exempt from routine inspection until", "date"),
    "eligible_min_schools": ("A group is compared with others from this many schools", "schools"),
    "eligible_min_years_in_group": ("A school counts for its group after this long in it", "years"),
    "eligibility_ruleset": ("Which groups are compared (0: this project's rule; 1: DfE's trust-measure rule)",
                            "choice"),
    "time_in_group_full_weight_years": ("A school reaches full weight in time-weighted figures after", "years"),
    "dfe_time_weight_max_years": ("DfE's time-in-trust weight stops growing after", "years"),
    "pupil_weight_missing": ("Weight of a school whose pupil count is missing", "number"),
    "sample_groups_per_period": ("Groups drawn for each term's sample", "groups"),
    "sample_min_per_stratum": ("Fewest groups drawn from each kind of group (stratum)", "groups"),
    "sample_min_stratum_groups": ("Smaller strata than this are merged into broader ones", "groups"),
    "sample_confidence": ("Confidence level of the sample's intervals", "share"),
    "sample_seed": ("Random seed of the sample draw", "seed"),
    "sample_previous_groups": ("Groups drawn last term (-1: left out; 0: ignored; 1: drawn again)", "choice"),
    "sample_allocation_neyman": ("How the sample is shared between strata (0: in proportion; 1: Neyman)", "choice"),
    "sample_responsible_bodies_only": ("Only trusts and local authorities are sampled (1: yes)", "choice"),
    "signal_concern_share": ("'A high share below good' fires from this share of judged schools", "share"),
    "signal_decline_share": ("'Judged lower after joining' fires from this share of schools", "share"),
    "signal_decline_min_schools": ("'Judged lower after joining' needs at least", "schools"),
    "signal_growth_share": ("'Fast growth' means growing by this share of its size in three years", "share"),
    "signal_growth_min_schools": ("'Fast growth' needs a net gain of at least", "schools"),
    "signal_stale_share": ("'Old or missing evidence' fires from this share of schools", "share"),
    "signal_effective_min_effect": ("'Weak schools improved more often' needs a difference of at least",
                                    "points"),
    "freshness_days_daily": ("A daily source is out of date after", "days"),
    "freshness_days_monthly": ("A monthly source is out of date after", "days"),
    "freshness_days_twice_yearly": ("A twice-yearly source is out of date after", "days"),
    "future_snapshot_tolerance_days": ("A file dated this far in the future is refused", "days"),
    "quarantine_share_max": ("Share of a school file's rows that may be set aside before the run stops", "share"),
    "quarantine_small_file_rows": ("A small school file (fewer rows than this) stops only when half is set aside",
                                   "rows"),
    "row_drift_tolerance": ("Share of rows a new file may lose before the run stops", "share"),
}
BAND_RANKS = {1: "strong", 2: "secure", 3: "improvement needed", 4: "serious concern"}


def setting_label(key: str, description: str | None = None) -> str:
    """What a setting sets, in words: from the list above, else its recorded description, never its key."""
    if key in SETTING_WORDS:
        return SETTING_WORDS[key][0]
    return (description or "An analysis setting").split(";")[0]


def setting_value(key: str, value) -> str:
    """A setting's value in its unit."""
    if not _num(value):
        return "not set"
    unit = SETTING_WORDS.get(key, ("", "number"))[1]
    whole = float(value).is_integer()
    number = f"{int(value)}" if whole else f"{value:g}"
    if unit == "share":
        return f"{value * 100:g}%"
    if unit == "points":
        return f"{value * 100:g} percentage points"
    if unit == "seed":
        return number                      # an identifier: no thousands separators
    if unit == "date" and whole and len(number) == 8:
        try:
            return date(int(number[:4]), int(number[4:6]), int(number[6:])).strftime("%d %B %Y").lstrip("0")
        except ValueError:
            return number
    if unit == "band" and whole and int(value) in BAND_RANKS:
        return f"{BAND_RANKS[int(value)]} (rank {int(value)} of 4)"
    if unit in ("years", "days", "schools", "groups", "rows"):
        one = unit[:-1]
        return f"{number} {one if value == 1 else unit}"
    return number


# The sample's indicators (sampling.sample_estimates.indicator) for readers; {key} is a setting's value.
INDICATOR_WORDS = {
    "share_judged_under_group_good_or_better": "Schools judged since joining their group: share good or better "
                                               "(summary band)",
    "share_schools_weak": "Schools with a judgement: share judged below good (summary band)",
    "share_pupils_good_or_better": "Pupils in judged schools: share in a school judged good or better (summary band)",
    "share_weak_joiners_improved": "Schools that joined a trust soon after a weak judgement: share in a better band "
                                   "{improvement_primary_horizon_years} later",
    "share_stale_or_no_evidence": "Open schools with no judgement, or no inspection of any kind within "
                                  "{stale_after_years}",
}


def plain_text(text: str, settings: list[dict]) -> str:
    """Text with every settings key in it replaced by the setting's value in words, and the band-rank
    notation by its meaning, so a published description reads without codes."""
    values = {r.get("key"): setting_value(r.get("key"), r.get("value")) for r in settings}
    text = re.sub(r"\(?cross-era band rank >= weak_band_rank_min\)?", "(below good on the summary band)", text)
    return re.sub(r"\b[a-z]+(?:_[a-z]+)+\b", lambda m: values.get(m.group(0), m.group(0).replace("_", " ")), text)


def indicator_label(row: dict, settings: list[dict]) -> str:
    """A sample indicator in words: from the list above, else its published description without codes."""
    template = INDICATOR_WORDS.get(row.get("indicator") or "")
    if template is None:
        return plain_text(str(row.get("description") or row.get("indicator") or ""), settings)
    values = {r.get("key"): setting_value(r.get("key"), r.get("value")) for r in settings}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "a fixed time"), template)
