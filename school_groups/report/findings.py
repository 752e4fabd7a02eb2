"""Key findings: the page opens with five plain sentences written from the published tables, each
with its 95% interval, how old its evidence is and a link to the chart it comes from.

Every sentence is computed here from :class:`ReportData`, never typed; a finding whose rows are
missing is left out rather than written from nothing. Shares counted over every school (the system
trends and evidence ages) carry a Wilson interval at ``confidence_z`` (the interval the warehouse
gives every per-group share); sample estimates and improvement differences carry the interval their
table publishes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .formatting import esc
from .html_parts import n, p1, pp
from .labels import (FAMILY_LABELS, GOOD, _era_short, _num, _sorted_eras, kind_label, long_date, measure_label)
from .report_data import ReportData
from .section_trends import trend_anchor
from .settings_words import indicator_label

VIEW = "including_inherited"       # Ofsted's official-statistics method: the view the findings quote


@dataclass
class Finding:
    text: str          # the sentence, plain text (escaped when written)
    evidence: str      # how old the evidence is, and where it comes from
    anchor: str        # id of the chart it comes from


def wilson(k: float, total: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of k out of total."""
    p = k / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def _z(d: ReportData) -> float:
    z = d.setting("confidence_z")
    return z if _num(z) else 1.96


def _interval(d: ReportData, k, total) -> str:
    lo, hi = wilson(k, total, _z(d))
    return f"95% interval {p1(lo)} to {p1(hi)}"


def _newest_trend(d: ReportData, era: str) -> list[dict]:
    """The era's rows of every kind pooled ('all'), in the findings' view, at the era's newest snapshot."""
    rows = [r for r in d.trends if r["reporting_era"] == era and r["view"] == VIEW and r["group_kind"] == "all"
            and r["outcome"] == GOOD and r.get("schools_judged_in_era")]
    newest = max((r["as_at"] for r in rows), default=None)
    return [r for r in rows if r["as_at"] == newest]


def _overall(d: ReportData) -> Finding | None:
    rows = _newest_trend(d, "overall_effectiveness")
    if not rows:
        return None
    r = rows[0]
    return Finding(
        f"On {long_date(r['as_at'])}, the last snapshot graded for overall effectiveness, {p1(r['share'])} of the "
        f"{n(r['schools_judged_in_era'])} schools judged under that framework were good or outstanding "
        f"({_interval(d, r['schools_with_outcome'], r['schools_judged_in_era'])}).",
        f"Evidence: {FAMILY_LABELS.get(r['source_family'], r['source_family'])} as at {long_date(r['as_at'])}; "
        "judgements made up to 31 August 2024.", trend_anchor(VIEW, "overall_effectiveness"))


def _key_judgements(d: ReportData) -> Finding | None:
    rows = _newest_trend(d, "key_judgements")
    if not rows:
        return None
    order = {m: i for i, m in enumerate(next((e.get("measures") or [] for e in d.eras
                                              if e.get("reporting_era") == "key_judgements"), []))}
    low = min(rows, key=lambda r: (r["share"], order.get(r["measure"], 99)))
    era = next((e for e in d.eras if e.get("reporting_era") == "key_judgements"), {})
    since = long_date(era.get("first_inspection")) if era.get("first_inspection") else "September 2024"
    return Finding(
        f"Of the {n(low['schools_judged_in_era'])} schools whose latest graded inspection, from {since}, gave key "
        f"judgements instead of an overall grade, {p1(low['share'])} were good or outstanding for "
        f"{measure_label(low['measure']).lower()} "
        f"({_interval(d, low['schools_with_outcome'], low['schools_judged_in_era'])}), the lowest share of the "
        f"{len(rows)} key judgements.",
        f"Evidence: {FAMILY_LABELS.get(low['source_family'], low['source_family'])} as at {long_date(low['as_at'])}.",
        trend_anchor(VIEW, "key_judgements"))


def _stale(d: ReportData) -> Finding | None:
    rows = [r for r in d.stale_by_kind if _num(r.get("share_stale")) and r.get("schools")]
    row = next((r for r in rows if r["group_kind"] == "all"), rows[0] if len(rows) == 1 else None)
    if row is None:
        return None
    years = d.setting("stale_after_years")
    limit = f"{years:g} years" if _num(years) else "the stale limit"
    who = "schools listed" if row["group_kind"] == "all" else f"schools listed in {kind_label(row['group_kind']).lower()}"
    age = row.get("judgement_age_median_years")
    typical = f"; the typical school's latest judgement was {n(age, 1)} years old" if _num(age) else ""
    return Finding(
        f"{p1(row['share_stale'])} of the {n(row['schools'])} {who} had no inspection evidence of any kind within "
        f"{limit} ({_interval(d, row['share_stale'] * row['schools'], row['schools'])}){typical}.",
        f"Evidence: as at {long_date(row.get('as_at'))}, counting inherited judgements.", "fig-stale")


def _improvement(d: ReportData) -> Finding | None:
    row = next((r for r in d.improvement_by_kind if r.get("group_kind") == "multi_academy_trust"
                and _num(r.get("effect")) and _num(r.get("effect_ci_low")) and _num(r.get("effect_ci_high"))), None)
    if row is None:
        return None
    years = f"{n(row['horizon_years'])} years" if _num(row.get("horizon_years")) else "a fixed time"
    crosses = row["effect_ci_low"] < 0 < row["effect_ci_high"]
    direction = "higher" if row["effect"] >= 0 else "lower"
    return Finding(
        f"Of the {n(row.get('joiners'))} schools that joined a multi-academy trust soon after a weak judgement, "
        f"the share in a better band {years} later was {abs(row['effect']) * 100:.1f} percentage "
        f"points {direction} than among similar schools that had not joined (95% interval "
        f"{pp(row['effect_ci_low'], False)} to {pp(row['effect_ci_high'], False)} points"
        f"{'; the interval includes no difference' if crosses else ''}).",
        f"Evidence: each school's standing {years} after its weak judgement, on the cross-era summary band.",
        "fig-improvement")


def _estimate(d: ReportData) -> Finding | None:
    row = next((r for r in d.estimates if _num(r.get("estimate")) and _num(r.get("ci_low"))
                and _num(r.get("ci_high")) and 0 <= r["estimate"] <= 1), None)
    if row is None:
        return None
    what = indicator_label(row, d.settings)
    census = f"; counting every group gives {p1(row['census_value'])}" if _num(row.get("census_value")) else ""
    return Finding(
        f"From a random sample of {n(row.get('groups_sampled'))} of {n(row.get('groups_in_frame'))} groups: "
        f"{what[:1].lower() + what[1:]}, estimated at {p1(row['estimate'])} "
        f"(95% interval {p1(row['ci_low'])} to {p1(row['ci_high'])}){census}.",
        f"Evidence: the {d.period} sample, data as at {long_date(d.as_at)}.", "fig-estimates")


def key_findings(d: ReportData) -> list[Finding]:
    found = [f(d) for f in (_overall, _key_judgements, _stale, _improvement, _estimate)]
    return [f for f in found if f is not None]


def findings_section(d: ReportData) -> str:
    items = "".join(f'<li><span class="finding">{esc(f.text)}</span> <span class="evidence-age">{esc(f.evidence)}'
                    f'</span> <a href="#{esc(f.anchor)}">See the chart</a>.</li>' for f in key_findings(d))
    if not items:
        items = "<li>No published table holds enough rows for a key finding.</li>"
    eras = ", ".join(_era_short(e).lower() for e in _sorted_eras(d))
    return ('<section class="findings" id="findings" aria-labelledby="findings-h"><h2 id="findings-h">Key findings'
            f"</h2><ol>{items}</ol><p class=small>Written from the published tables. Shares counted over every "
            "school carry a Wilson interval; Ofsted's frameworks are never mixed"
            f"{f' ({esc(eras)})' if eras else ''}.</p></section>")
