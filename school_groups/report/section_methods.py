"""The "Methods and breaks" section: the rules every figure follows and whose they are, why trend lines
stop and restart (framework changes and the switch from Ofsted's official statistics to its
management information), what the cross-era summary band's four bands hold in Ofsted's own words,
how the sample was drawn, and every setting in plain words (the settings keys only in the table of
codes under it)."""

from __future__ import annotations

from datetime import date

from .formatting import esc
from .html_parts import details_table, table
from .labels import _era_short, _sorted_eras, family_label, long_date
from .report_data import ReportData
from .section_trends import family_changes
from .settings_words import setting_label, setting_value

# What each band of the cross-era summary band (convention cross-era-v2) holds, in Ofsted's words
# (staging.ofsted_outcome_bands): the report never shows a band without saying which grades it holds.
BAND_GRADES = {
    "strong": "Ofsted's “outstanding”; on a report card, “exceptional”",
    "secure": "“good”; on a report card, “strong standard”, “expected standard” or “needs attention”",
    "improvement_needed": "“requires improvement”; on a report card, “urgent improvement”",
    "serious_concern": "“inadequate”",
}
# settings a reader of this report meets; the rest (pipeline checks) are in the table of codes only
READER_SETTINGS = ("stale_after_years", "inspection_cycle_years", "suppress_below_schools", "confidence_z",
                   "weak_band_rank_min", "improvement_join_window_years", "improvement_primary_horizon_years",
                   "improvement_min_joiners", "sample_groups_per_period", "sample_min_per_stratum", "sample_seed",
                   "signal_concern_share", "signal_decline_share", "signal_growth_share", "signal_stale_share",
                   "signal_effective_min_effect")


def _rules(d: ReportData) -> str:
    stale = d.setting("stale_after_years")
    years = f"{stale:g} years" if isinstance(stale, (int, float)) else "five years"
    return (
        '<h3 id="rules">Rules the figures follow, and whose they are</h3><ol class="rules">'
        '<li id="rule-school-inspected"><strong>An inspection belongs to the school inspected.</strong> A '
        "predecessor's judgement (for example, of a school before it became an academy) counts for the school "
        "only until the school is inspected in its current form, as in Ofsted's official statistics methodology "
        "since 2018.</li>"
        '<li id="rule-judgements"><strong>Only graded inspections and report cards are judgements.</strong> An '
        "ungraded inspection is evidence, read against the standing it confirms, and a monitoring visit carries "
        "no grade, following the inspection types in Ofsted's management information.</li>"
        '<li id="rule-recency"><strong>Two measures of recency.</strong> The report gives the age of a '
        "school's latest judgement and the age of its latest evidence of any kind (graded, ungraded or report "
        f"card); a school is stale when it has no evidence of any kind within {esc(years)}, the legal limit "
        "between routine inspections set out in Ofsted's school inspection handbook.</li>"
        '<li id="rule-frameworks"><strong>Frameworks are never put on one scale.</strong> Overall '
        "effectiveness is shown up to 31 August 2024, each key judgement on its own from September 2024 to "
        "November 2025, and report cards on their own five-point scale, on which “needs attention” is not a "
        "fail, as in Ofsted's official statistics as at 31 August 2024 and 31 August 2025 and Ofsted's "
        "report-card guidance.</li>"
        '<li id="rule-predecessors"><strong>Predecessors, never siblings.</strong> A judgement of one school '
        "counts for another only if it is that school's predecessor in the DfE's Get Information about Schools "
        "(GIAS) links, never a sibling school, as Ofsted's official statistics carry judgements over.</li>"
        "</ol>")


def _why_breaks(d: ReportData, changes: list[tuple[date, date, str, str]]) -> str:
    items = []
    present = {r["reporting_era"] for r in d.trends}
    for e in _sorted_eras(d):
        text = str(e.get("break_reason") or "").strip()
        if e.get("reporting_era") not in present:
            text += f" The published data hold no figures for {_era_short(e).lower()}, so nothing is drawn for them."
        items.append(f"<li><strong>{esc(e.get('label') or e.get('reporting_era'))}.</strong> {esc(text.strip())}</li>")
    for last_old, first_new, old, new in changes:
        items.append(
            f"<li><strong>Change of data source.</strong> Up to {esc(long_date(last_old))} the figures come from "
            f"{esc(family_label(old))}; from {esc(long_date(first_new))} from {esc(family_label(new))}, which "
            "counts schools slightly differently, so lines are not joined across the change.</li>")
    if not items:
        items.append("<li>No reporting eras are published, so the breaks cannot be explained here.</li>")
    return ('<h3 id="why-breaks">Why lines stop and restart</h3>'
            f'<ul class="why-breaks">{"".join(items)}</ul>')


def _bands() -> str:
    items = "".join(f"<li><strong>{esc(b.replace('_', ' ').capitalize())}</strong>: {esc(words)}.</li>"
                    for b, words in BAND_GRADES.items())
    return ('<h3 id="bands">The cross-era summary band, in Ofsted\'s words</h3><p>Some figures (section 2\'s '
            "secondary summary, the profiles, the improvement design and the sample) read every framework on one "
            "four-band scale, a convention of this report, not an Ofsted measure. Each band holds:</p>"
            f"<ul>{items}</ul><p>“Good or better” means strong or secure; “weak” means improvement needed or "
            "serious concern.</p>")


def _settings(d: ReportData) -> str:
    if not d.settings:
        return "<p class=no-data>No settings are recorded.</p>"
    shown = [r for r in d.settings if r.get("key") in READER_SETTINGS] or d.settings
    plain = table(["Setting", "Value"], [[setting_label(r["key"], r.get("description")),
                                          setting_value(r["key"], r.get("value"))] for r in shown],
                  caption="Settings the figures use")
    codes = details_table(["Key", "Value", "Description"],
                          [[r.get("key"), r.get("value"), r.get("description") or ""] for r in d.settings],
                          summary="Every setting, with its key (as in the downloadable tables)")
    return plain + codes


def _methods(d: ReportData) -> str:
    return ('<section id="methods"><h2>Methods and breaks</h2>' + _rules(d) + _why_breaks(d, family_changes(d.trends))
            + _bands() + '<h3 id="thresholds">Settings</h3>' + _settings(d) + "</section>")
