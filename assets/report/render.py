"""Render the readers' report: :class:`ReportData` in, one self-contained HTML page out.

Pure functions, no I/O and no Dagster. The page has inline CSS, inline SVG charts (see
``charts``) and no JavaScript, fonts, images or links to anything outside itself, so it opens
the same from ``file://`` on a machine with no network. Every chart sits in a ``<figure>``
with a ``<figcaption>`` and the numbers behind it in a table under ``<details>``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from . import charts
from .charts import BarRow, ForestRow, ForestStyle, Series, StackedRow, esc, fmt_num, fmt_pct
from .profiles import GroupFacts, KIND_SINGULAR, group_profile, join_words

KIND_ORDER = ("multi_academy_trust", "single_academy_trust", "local_authority", "no_responsible_body")
KIND_LABELS = {
    "multi_academy_trust": "Multi-academy trusts",
    "single_academy_trust": "Single-academy trusts",
    "local_authority": "Local authorities",
    "no_responsible_body": "No responsible body",
    "federation": "Federations",
    "school_sponsor": "School sponsors",
    "all": "All schools",
}
VIEW_LABELS = {
    "own_judgements": "Own judgements",
    "including_inherited": "Including inherited judgements",
}
VIEW_EXPLAINED = {
    "own_judgements": "each school's own judgements only (a school that reopened under a new URN, for "
                      "example on becoming an academy, counts only once it has been inspected again)",
    "including_inherited": "judgements of a school's predecessor are carried over until the school "
                           "is inspected again",
}
BANDS = {
    "strong": "Strong",
    "secure": "Secure",
    "improvement_needed": "Improvement needed",
    "serious_concern": "Serious concern",
}
MEASURE_LABELS = {
    "overall_effectiveness": "Overall effectiveness",
    "quality_of_education": "Quality of education",
    "behaviour_and_attitudes": "Behaviour and attitudes",
    "personal_development": "Personal development",
    "leadership_and_management": "Leadership and management",
    "inclusion": "Inclusion",
    "curriculum_and_teaching": "Curriculum and teaching",
    "achievement": "Achievement",
    "attendance_and_behaviour": "Attendance and behaviour",
    "personal_development_and_wellbeing": "Personal development and well-being",
    "leadership_and_governance": "Leadership and governance",
    "safeguarding_standards": "Safeguarding standards",
}
# The report-card scale, in Ofsted's order; never converted to good/bad.
REPORT_CARD_GRADES = ("Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement")
SAFEGUARDING_OUTCOMES = ("Met", "Not met")
FAMILY_LABELS = {
    "official_statistics": "Ofsted's official statistics",
    "mi_latest": "Ofsted's monthly management information",
}
FAMILY_SHORT = {"official_statistics": "official statistics", "mi_latest": "management information"}
GOOD = "good_or_outstanding"
SIGNAL_TYPES = {"targeting": "worth a closer look", "effective_practice": "possible effective practice"}


@dataclass
class SampledGroup:
    facts: GroupFacts
    stratum: str | None = None
    inclusion_probability: float | None = None
    design_weight: float | None = None
    population_groups: int | None = None
    sample_groups: int | None = None


@dataclass
class ReportData:
    """What the page shows; every list holds published rows (dicts) already aggregated as drawn."""

    period: str
    as_at: date | None = None
    run_id: str | None = None
    published_at: str | None = None
    synthetic_data: bool | None = None     # meta.publication: some figure rests on a generated mirror
    periods: list[str] = field(default_factory=list)
    settings: list[dict] = field(default_factory=list)            # key, value, description
    eras: list[dict] = field(default_factory=list)                # staging.ofsted_reporting_eras rows
    # pooled trend rows: as_at, source_family, view, reporting_era, measure, group_kind ('all' pools every
    # kind), outcome, schools_judged_in_era, schools_with_outcome, share (see build.TRENDS_SQL)
    trends: list[dict] = field(default_factory=list)
    outcomes_by_kind: list[dict] = field(default_factory=list)    # see build.OUTCOMES_SQL (cross-era band)
    # the default view of section 2, eras apart: group_kind, reporting_era, measure, outcome, groups_judged,
    # groups_reported, schools_judged, schools_reported, schools_with_outcome, share (build.ERA_OUTCOMES_SQL)
    era_outcomes_by_kind: list[dict] = field(default_factory=list)
    # per kind: groups, schools_in_groups, schools_judged_<era>, schools_latest_evidence_<era> (build._era_coverage)
    era_coverage_by_kind: list[dict] = field(default_factory=list)
    improvement_by_kind: list[dict] = field(default_factory=list) # group_improvement rows, scope='group_kind'
    # newest system_evidence snapshot by kind (see build.STALE_SQL): schools, schools_with_evidence,
    # schools_without_evidence, share_stale, judgement/evidence_age_median_years, schools_latest_<...>_<era>
    stale_by_kind: list[dict] = field(default_factory=list)
    group_evidence_ages: list[dict] = field(default_factory=list) # group_kind, evidence_age_median_years
    estimates: list[dict] = field(default_factory=list)           # sample_estimates rows for the period
    sampled: list[SampledGroup] = field(default_factory=list)

    def setting(self, key: str) -> float | None:
        for row in self.settings:
            if row.get("key") == key:
                return row.get("value")
        return None


def kind_label(kind: str | None) -> str:
    if kind is None:
        return "Unknown"
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def kind_sort_key(kind: str | None) -> tuple:
    if kind == "all":
        return (2, 0, "")
    return (0, KIND_ORDER.index(kind), "") if kind in KIND_ORDER else (1, 0, kind or "")


def kind_colour(kind: str, kinds: list[str]) -> str:
    if kind == "all":
        return "#000000"
    ordered = [k for k in KIND_ORDER] + sorted(k for k in kinds if k not in KIND_ORDER and k != "all")
    return charts.PALETTE[ordered.index(kind) % (len(charts.PALETTE) - 1)] if kind in ordered else "#666666"


def measure_label(measure: str | None) -> str:
    return MEASURE_LABELS.get(measure or "", (measure or "unknown").replace("_", " ").capitalize())


def long_date(d: date | None) -> str:
    return d.strftime("%d %B %Y").lstrip("0") if isinstance(d, date) else "an unknown date"


def family_label(family: str | None) -> str:
    return FAMILY_LABELS.get(family or "", f"the source {family}")


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v))


# --------------------------------------------------------------------------- HTML helpers

def table(headers: list[str], rows: list[list[object]], caption: str = "", numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if i in numeric else ""
            tag = "th" if i == 0 else "td"
            scope = ' scope="row"' if i == 0 else ""
            cells.append(f"<{tag}{scope}{cls}>{esc(cell)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def details_table(headers: list[str], rows: list[list[object]], numeric: set[int] | None = None,
                  summary: str = "The numbers behind this chart") -> str:
    return f"<details><summary>{esc(summary)}</summary>{table(headers, rows, numeric=numeric)}</details>"


def figure(svg: str, caption: str, numbers: str) -> str:
    return f'<figure><figcaption>{caption}</figcaption><div class="chart-box">{svg}</div>{numbers}</figure>'


def no_data(text: str) -> str:
    return f'<p class="no-data">{esc(text)}</p>'


def n(v, digits: int = 0) -> str:
    return fmt_num(v, digits) if _num(v) else "n/a"


def p1(v) -> str:
    return fmt_pct(v, 1) if _num(v) else "n/a"


def pp(v, unit: bool = True) -> str:
    """A difference of shares in percentage points, signed."""
    text = charts.fmt_points(v, 1) if _num(v) else "n/a"
    return text if unit else text.removesuffix(" pts")


# --------------------------------------------------------------------------- sections

CSS = """
:root{--ink:#1a1a1a;--muted:#555;--rule:#d0d0d0;--accent:#0072B2;--bg:#fff;--panel:#f6f6f4}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif}
main,header.page,footer.page{max-width:960px;margin:0 auto;padding:0 20px}
header.page{padding-top:24px;border-bottom:4px solid var(--accent);padding-bottom:12px}
.synthetic-banner{margin:0;padding:10px 20px;background:#fff4ce;border-bottom:2px solid #8a6d00;color:#111;text-align:center}
h1{font-size:1.9rem;line-height:1.2;margin:.2em 0}
h2{font-size:1.4rem;margin:1.8em 0 .4em;border-top:1px solid var(--rule);padding-top:.8em}
h3{font-size:1.1rem;margin:1.2em 0 .2em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:.6em 0;color:var(--muted)}
dl.meta dt{font-weight:600;color:var(--ink)}dl.meta dd{margin:0}
nav ol{columns:2;padding-left:1.2em;margin:.4em 0}
.how-to-read{background:var(--panel);border-left:4px solid var(--accent);padding:8px 16px;margin:16px 0}
figure{margin:16px 0 24px;padding:0}
figcaption{font-weight:600;margin-bottom:6px}
figcaption .sub{display:block;font-weight:400;color:var(--muted);font-size:.9rem}
.chart-box svg{max-width:100%;height:auto;display:block}
details{margin:6px 0 0;font-size:.9rem}
summary{cursor:pointer;color:var(--accent)}
table{border-collapse:collapse;margin:8px 0;font-size:.88rem;width:100%}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--rule);padding:4px 8px;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.no-data{color:var(--muted);font-style:italic}
article.profile{border:1px solid var(--rule);border-radius:4px;padding:4px 16px 10px;margin:12px 0;break-inside:avoid}
article.profile .group-meta{color:var(--muted);font-size:.88rem;margin:0}
ul.evidence{margin:0;padding-left:1.1em}
.small{font-size:.88rem;color:var(--muted)}
@media print{h2{break-before:auto}details{display:block}details>*{display:block}}
"""


SYNTHETIC_BANNER = (
    '<p class="synthetic-banner" role="note" id="synthetic-data"><strong>Synthetic data.</strong> Every figure '
    "in this report is built from a generated (synthetic) copy of the GIAS and Ofsted files, made to test this "
    "pipeline. No figure, name or trend here describes a real school, group or area.</p>")


def _header(d: ReportData) -> str:
    as_at = d.as_at.strftime("%d %B %Y").lstrip("0") if d.as_at else "not known"
    return (
        (SYNTHETIC_BANNER if d.synthetic_data else "")
        + '<header class="page">'
        f'<p class="small">School groups in England · patterns report</p>'
        f"<h1>How schools in groups are doing: {esc(d.period)}</h1>"
        '<dl class="meta">'
        f"<dt>Period</dt><dd>{esc(d.period)}</dd>"
        f"<dt>Data as at</dt><dd>{esc(as_at)} (the newest inspection snapshot)</dd>"
        f"<dt>Publication run</dt><dd><code>{esc(d.run_id or 'not recorded')}</code></dd>"
        f"<dt>Published</dt><dd>{esc(d.published_at or 'not recorded')}</dd>"
        "</dl></header>"
    )


def _how_to_read(d: ReportData) -> str:
    stale = d.setting("stale_after_years")
    years = f"{stale:g} years" if _num(stale) else "five years"
    return (
        '<section class="how-to-read" id="how-to-read" aria-labelledby="how-to-read-h">'
        '<h2 id="how-to-read-h" style="border:0;margin-top:.3em;padding:0">How to read this report</h2><ul>'
        "<li><strong>No single-word grades for groups.</strong> Ofsted judges schools, not trusts or local "
        "authorities. This report describes patterns across a group's schools; it does not grade or rank groups.</li>"
        "<li><strong>Patterns across schools.</strong> Shares count schools (or, where said, pupils). A judgement "
        "made before a school joined a group says little about the group, so the report separates judgements made "
        "under the group from those it inherited.</li>"
        "<li><strong>Estimates come from a sample.</strong> Section 5 and the profiles cover a random sample of groups; "
        "estimates carry 95% intervals, the range that would cover the true value in 95 of 100 such samples. "
        "Small groups' shares are suppressed.</li>"
        "</ul>"
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
        "</ol></section>"
    )


def _nav() -> str:
    items = [("trends", "System trends over time"), ("outcomes", "Outcome patterns by kind of group"),
             ("improvement", "Schools that joined after a weak judgement"), ("evidence", "How old the evidence is"),
             ("estimates", "Sample estimates against the census"), ("profiles", "Profiles of sampled groups"),
             ("signals", "Signals for sampled groups"), ("thresholds", "Thresholds used")]
    lis = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in items)
    return f'<nav aria-label="Contents"><ol>{lis}</ol></nav>'


def _sorted_eras(d: ReportData) -> list[dict]:
    return sorted(d.eras, key=lambda e: (e.get("sort_order") or 0, e.get("reporting_era") or ""))


def _era_short(era: dict) -> str:
    """'Key judgements (Sept 2024 - Nov 2025)' -> 'Key judgements'."""
    return str(era.get("label") or era.get("reporting_era") or "").split(" (")[0]


def family_changes(rows: list[dict]) -> list[tuple[date, date, str, str]]:
    """Each change of source family over the snapshot dates, in date order:
    (last as_at of the old family, first as_at of the new one, old family, new family)."""
    pairs = sorted({(r["as_at"], r["source_family"]) for r in rows if r.get("as_at") and r.get("source_family")})
    return [(d0, d1, f0, f1) for (d0, f0), (d1, f1) in zip(pairs, pairs[1:]) if f0 != f1]


def series_points(rows: list[dict]) -> list[tuple[date, float | None]]:
    """A series' points in date order, with a None (a break) wherever the source family changes."""
    points: list[tuple[date, float | None]] = []
    previous = None
    for r in sorted(rows, key=lambda r: r["as_at"]):
        if previous is not None and r["source_family"] != previous:
            points.append((r["as_at"], None))      # never join points from two sources
        points.append((r["as_at"], r.get("share")))
        previous = r["source_family"]
    return points


def chart_breaks(d: ReportData, era_key: str, dates: list[date],
                 changes: list[tuple[date, date, str, str]]) -> list[tuple[date, str]]:
    """Break markers for one era's chart: the era's own start (unless it is the first era) and end, other
    eras' starts and ends within the chart's dates, and each change of source family within them."""
    if not dates:
        return []
    lo, hi = min(dates), max(dates)
    eras = _sorted_eras(d)
    first = eras[0]["reporting_era"] if eras else None
    out = []
    for e in eras:
        own = e.get("reporting_era") == era_key
        start, end = e.get("first_inspection"), e.get("reported_until")
        if isinstance(start, date) and e.get("reporting_era") != first and (own or lo <= start <= hi):
            out.append((start, f"{_era_short(e)} start"))
        if isinstance(end, date) and (own or lo <= end <= hi):
            out.append((end, f"{_era_short(e)} ends"))
    for _, first_new, _, new in changes:
        if lo < first_new <= hi:
            out.append((first_new, f"Source: {FAMILY_SHORT.get(new, new)}"))
    return out


def _schools(count) -> str:
    return f"{n(count)} school{'' if count == 1 else 's'}"


def _share_domain(values: list[float]) -> tuple[float, float]:
    return max(0.0, math.floor((min(values, default=0.0) - 0.05) * 10) / 10), 1.0


def _era_measures(era: dict, rows: list[dict]) -> list[str]:
    listed = [m for m in (era.get("measures") or [])]
    return listed + sorted({r["measure"] for r in rows} - set(listed))


def _good_share_figure(d: ReportData, era: dict, rows: list[dict], view: str,
                       changes: list[tuple[date, date, str, str]]) -> str:
    """An era whose outcome is 'good or outstanding': one line per kind of group (a single measure, such
    as overall effectiveness) or one line per measure, all schools pooled (several key judgements)."""
    era_key, short = era["reporting_era"], _era_short(era)
    rows = [r for r in rows if r["outcome"] == GOOD]
    measures = _era_measures(era, rows)
    by_kind = len(measures) == 1
    series = []
    if by_kind:
        kinds = sorted({r["group_kind"] for r in rows if r["group_kind"] != "all"}, key=kind_sort_key)
        if len(kinds) >= 2:
            kinds.append("all")
        for kind in kinds:
            pts = series_points([r for r in rows if r["group_kind"] == kind])
            if any(_num(v) for _, v in pts):
                series.append(Series(kind_label(kind), pts, kind_colour(kind, kinds)))
        table_rows = sorted([r for r in rows if r["group_kind"] in kinds],
                            key=lambda r: (r["as_at"], kind_sort_key(r["group_kind"])))
        first_col, label = "Kind of group", lambda r: kind_label(r["group_kind"])
        what = "by kind of group"
    else:
        rows = [r for r in rows if r["group_kind"] == "all"]
        for i, m in enumerate(measures):
            pts = series_points([r for r in rows if r["measure"] == m])
            if any(_num(v) for _, v in pts):
                series.append(Series(measure_label(m), pts, charts.PALETTE[i % (len(charts.PALETTE) - 1)]))
        order = {m: i for i, m in enumerate(measures)}
        table_rows = sorted(rows, key=lambda r: (r["as_at"], order.get(r["measure"], 99)))
        first_col, label = "Key judgement", lambda r: measure_label(r["measure"])
        what = "on each key judgement, all schools"
    if not series:
        return no_data(f"No figures for {short.lower()} in the view {VIEW_LABELS[view].lower()}.")
    dates = sorted({p for s_ in series for p, v in s_.points if _num(v)})
    breaks = chart_breaks(d, era_key, dates, changes)
    domain = _share_domain([v for s_ in series for _, v in s_.points if _num(v)])
    span = (f"to {long_date(era['reported_until'])}" if isinstance(era.get("reported_until"), date)
            else f"from {long_date(era.get('first_inspection'))}")
    title = f"{short}: share of schools judged good or outstanding {what}, {VIEW_LABELS[view].lower()}, {span}"
    desc = (f"Line chart over {len(dates)} snapshots; one line per "
            f"{'kind of group' if by_kind else 'key judgement'}. Lines break where the data source changes; "
            f"dashed vertical lines mark changes of framework or source. Vertical axis from "
            f"{fmt_pct(domain[0])} to {fmt_pct(domain[1])}.")
    svg = charts.line_chart(series, title=title, desc=desc, y_label="good or outstanding", y_domain=domain,
                            breaks=breaks)
    numbers = details_table(
        ["As at", "Source", first_col, f"Schools judged ({short.lower()})", "Good or outstanding", "Share"],
        [[r["as_at"].isoformat(), FAMILY_SHORT.get(r["source_family"], r["source_family"]), label(r),
          n(r.get("schools_judged_in_era")), n(r.get("schools_with_outcome")), p1(r.get("share"))]
         for r in table_rows], numeric={3, 4, 5})
    sub = (f"Of schools whose counted judgement was made under this framework and graded on the measure; the "
           f"vertical axis starts at {fmt_pct(domain[0])}.")
    later = [e for e in d.eras if (e.get("sort_order") or 0) > (era.get("sort_order") or 0)
             and isinstance(e.get("first_inspection"), date) and e["first_inspection"] <= dates[-1]]
    for e in sorted(later, key=lambda e: e["first_inspection"])[:1]:
        sub += (f" From {long_date(e['first_inspection'])} new inspections give {_era_short(e).lower()} instead; "
                "after that the lines follow the schools whose counted judgement is still from this framework.")
    return figure(svg, f"{esc(title)}<span class=sub>{esc(sub)}</span>", numbers)


def _grade_distribution_figure(era: dict, rows: list[dict], view: str) -> str:
    """Report cards: the share of schools at each grade per evaluation area at the newest snapshot, on
    the five-point scale itself (never converted to good or bad)."""
    short = _era_short(era)
    rows = [r for r in rows if r["group_kind"] == "all"]
    if not rows:
        return no_data(f"No figures for {short.lower()} in the view {VIEW_LABELS[view].lower()}.")
    newest = max(r["as_at"] for r in rows)
    at = [r for r in rows if r["as_at"] == newest]
    family = at[0]["source_family"]
    measures = [m for m in _era_measures(era, at) if any(r["measure"] == m for r in at)]
    scale = list(REPORT_CARD_GRADES) + sorted({r["outcome"] for r in at} - set(REPORT_CARD_GRADES)
                                                - set(SAFEGUARDING_OUTCOMES))
    graded = [m for m in measures if not {r["outcome"] for r in at if r["measure"] == m} <= set(SAFEGUARDING_OUTCOMES)]
    pass_fail = [m for m in measures if m not in graded]
    share = {(r["measure"], r["outcome"]): r for r in at}
    stacked = [StackedRow(measure_label(m), [(g, (share.get((m, g)) or {}).get("share")) for g in scale],
                          _schools(next(r["schools_judged_in_era"] for r in at if r["measure"] == m)))
               for m in graded]
    parts = []
    title = (f"{short}: grades by evaluation area, {VIEW_LABELS[view].lower()}, all schools, "
             f"as at {long_date(newest)}")
    sub = (f"From {family_label(family)}. Each area is graded on Ofsted's five-point scale, shown as it is: "
           "“needs attention” is not a fail, and the grades are not converted into good or bad.")
    safeguarding = []
    for m in pass_fail:
        met = share.get((m, "Met")) or {}
        judged = next(r["schools_judged_in_era"] for r in at if r["measure"] == m)
        safeguarding.append(f"{measure_label(m)}: met at {n(met.get('schools_with_outcome') or 0)} of "
                            f"{n(judged)} schools ({p1(met.get('share') or 0.0)}).")
    if safeguarding:
        sub += " " + " ".join(safeguarding)
    numbers = details_table(
        ["Evaluation area", "Grade", "Schools with this grade", "Schools graded on the area", "Share"],
        [[measure_label(r["measure"]), r["outcome"], n(r.get("schools_with_outcome")),
          n(r.get("schools_judged_in_era")), p1(r.get("share"))]
         for m in measures for g in scale + list(SAFEGUARDING_OUTCOMES) for r in at
         if r["measure"] == m and r["outcome"] == g and _num(r.get("schools_with_outcome"))
         and r.get("schools_with_outcome")], numeric={2, 3, 4})
    if stacked:
        svg = charts.stacked_bar_chart(stacked, title=title, segment_labels={g: g for g in scale},
                                       colours=charts.GRADE_COLOURS,
                                       desc="Stacked horizontal bars, one per evaluation area; segments are the "
                                            "shares of schools at each report-card grade.")
        parts.append(figure(svg, esc(title) + f"<span class=sub>{esc(sub)}</span>", numbers))
    else:
        parts.append(f"<p>{esc(title)}. {esc(sub)}</p>" + numbers)
    return "".join(parts)


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


def _trends(d: ReportData) -> str:
    out = ['<section id="trends"><h2>1. System trends over time</h2>',
           "<p>Ofsted has changed how it grades schools twice since 2024, so different frameworks are never put "
           "on one scale here: each reporting era has its own chart and its own axis, and a line stops where its "
           "framework or its data source ends and starts afresh after. Shares are of the schools whose counted "
           "judgement was made under the era's framework and graded on the measure, pooled over phases and "
           "regions and weighted by those schools.</p>"]
    if not d.trends:
        return "".join(out) + no_data("No system trend rows are published.") + _why_breaks(d, []) + "</section>"
    changes = family_changes(d.trends)
    eras = _sorted_eras(d)
    for view in ("own_judgements", "including_inherited"):
        out.append(f'<h3 id="trends-{view}">{esc(VIEW_LABELS[view])}</h3>'
                   f"<p class=small>{esc(sentence_case(VIEW_EXPLAINED[view]))}.</p>")
        rows = [r for r in d.trends if r["view"] == view]
        if not rows:
            out.append(no_data(f"No rows for the view {VIEW_LABELS[view].lower()}."))
            continue
        for era in eras:
            era_rows = [r for r in rows if r["reporting_era"] == era["reporting_era"]]
            if era.get("outcome_counted") == GOOD:
                out.append(_good_share_figure(d, era, era_rows, view, changes))
            else:
                out.append(_grade_distribution_figure(era, era_rows, view))
    out.append(_why_breaks(d, changes))
    out.append("</section>")
    return "".join(out)


# How section 2 names the schools each era describes (view all_current: each school's latest judgement).
ERA_SCHOOLS = {
    "overall_effectiveness": "schools last judged before September 2024",
    "key_judgements": "schools last judged at a 2024/25 graded inspection",
    "report_card": "schools with a report card",
}
ERA_COVERAGE_WORDS = {
    "overall_effectiveness": "{n} have their latest judgement from before September 2024",
    "key_judgements": "{n} from a 2024/25 graded inspection (key judgements, no overall grade)",
    "report_card": "{n} have a report card (from 10 November 2025)",
}


def _era_kinds(rows: list[dict]) -> list[str]:
    return sorted({r["group_kind"] for r in rows if r.get("group_kind") and r["group_kind"] != "all"},
                  key=kind_sort_key)


def _suppress_rule(d: ReportData) -> str:
    below = d.setting("suppress_below_schools")
    return f"fewer than {below:g}" if _num(below) else "too few"


def _groups(count) -> str:
    return f"{n(count)} group{'' if count == 1 else 's'}"


def _shown(r: dict) -> str:
    """'of 812 schools in 40 groups': the schools of the groups whose figures are not suppressed."""
    return f"of {_schools(r.get('schools_reported'))} in {_groups(r.get('groups_reported'))}"


def _kind_heading(kind: str, judged, reported, groups_reported, what: str) -> str:
    """'Multi-academy trusts: 28 schools judged in 2024/25; 24 in 5 groups shown' (the rest: too few to show)."""
    text = f"{kind_label(kind)}: {_schools(judged)} {what}"
    if not groups_reported:
        return text + "; too few in any group to show"
    return text + f"; {n(reported)} in {_groups(groups_reported)} shown"


def _era_coverage_list(d: ReportData) -> str:
    """One sentence per kind: how many of its schools have their latest judgement in each era."""
    eras = [e["reporting_era"] for e in _sorted_eras(d)] or list(ERA_SCHOOLS)
    rows = sorted(d.era_coverage_by_kind, key=lambda r: kind_sort_key(r.get("group_kind")))
    if not rows:
        return no_data("No era-separated group figures are published.")
    items, table_rows = [], []
    for r in rows:
        total = r.get("schools_in_groups")
        parts = [ERA_COVERAGE_WORDS.get(e, "{n} were last judged in the era " + e).format(
                 n=n(r.get(f"schools_judged_{e}") or 0)) for e in eras]
        judged = sum(r.get(f"schools_judged_{e}") or 0 for e in eras)
        sentence = (f"<li><strong>{esc(kind_label(r['group_kind']))}:</strong> of the {esc(_schools(total))} in "
                    f"{esc(_groups(r.get('groups')))}, {esc(join_words(parts))}")
        if _num(total) and total > judged:
            rest = total - judged
            sentence += (f"; {esc(n(rest))} {'has' if rest == 1 else 'have'} no judgement of "
                         f"{'its' if rest == 1 else 'their'} current form yet")
        items.append(sentence + ".</li>")
        table_rows.append([kind_label(r["group_kind"]), n(r.get("groups")), n(total)]
                          + [n(r.get(f"schools_judged_{e}") or 0) for e in eras]
                          + [n(r.get(f"schools_latest_evidence_{e}")) for e in eras])
    labels = {e["reporting_era"]: _era_short(e).lower() for e in d.eras}
    numbers = details_table(
        ["Kind of group", "Groups", "Schools"] + [f"Latest judgement: {labels.get(e, e)}" for e in eras]
        + [f"Latest evidence of any kind: {labels.get(e, e)}" for e in eras],
        table_rows, numeric=set(range(1, 3 + 2 * len(eras))),
        summary="The numbers, with the era of each school's latest evidence of any kind (ungraded inspections too)")
    return ('<p>How much of each kind of group each era describes (all current schools; a school in two groups of '
            f'the same kind is counted in each):</p><ul class="era-coverage">{"".join(items)}</ul>{numbers}')


def _era_good_by_kind(d: ReportData, era: dict, rows: list[dict]) -> str:
    """An era whose outcome is 'good or outstanding': one bar per kind (one measure) or, per kind, one bar per
    measure (the key judgements), each of that era's schools only."""
    era_key, short = era["reporting_era"], _era_short(era)
    rows = [r for r in rows if r["outcome"] == GOOD]
    who = ERA_SCHOOLS.get(era_key, f"schools last judged in the era {short.lower()}")
    if not rows:
        return no_data(f"No figures for {short.lower()} are published for groups.")
    kinds = _era_kinds(rows)
    measures = _era_measures(era, rows)
    by_measure = len(measures) > 1
    bars, table_rows = [], []
    for kind in kinds:
        mine = {r["measure"]: r for r in rows if r["group_kind"] == kind}
        if not mine:
            continue
        shown = [r for r in mine.values() if r.get("groups_reported")]
        if by_measure:
            judged = max((r.get("schools_judged") or 0) for r in mine.values())
            reported = max((r.get("schools_reported") or 0) for r in mine.values())
            groups = max((r.get("groups_reported") or 0) for r in mine.values())
            heading = _kind_heading(kind, judged, reported, groups, "judged in 2024/25")
            if not shown:
                bars.append(BarRow("Every key judgement", None, heading=heading, empty="too few to show"))
            first = True
            for i, m in enumerate(measures if shown else []):
                r = mine.get(m)
                if r is None:
                    continue
                differs = r.get("schools_reported") != reported or r.get("groups_reported") != groups
                bars.append(BarRow(measure_label(m), r.get("share") if r.get("groups_reported") else None,
                                   _shown(r) if differs and r.get("groups_reported") else "",
                                   charts.PALETTE[i % (len(charts.PALETTE) - 1)],
                                   heading=heading if first else "", empty="too few to show"))
                first = False
        else:
            r = mine.get(measures[0])
            if r is None:
                continue
            ok = bool(r.get("groups_reported"))
            bars.append(BarRow(kind_label(kind), r.get("share") if ok else None,
                               _shown(r) if ok else f"{_schools(r.get('schools_judged'))}, every group too small",
                               kind_colour(kind, kinds), empty="too few to show"))
        for m in measures:
            r = mine.get(m)
            if r is None:
                continue
            ok = bool(r.get("groups_reported"))
            table_rows.append(([kind_label(kind)] + ([measure_label(m)] if by_measure else []))
                              + [n(r.get("groups_judged")), n(r.get("groups_reported")), n(r.get("schools_judged")),
                                 n(r.get("schools_reported")),
                                 n(r.get("schools_with_outcome")) if ok else "too few to show",
                                 p1(r.get("share")) if ok else "too few to show"])
    what = "on each key judgement" if by_measure else ""
    title = " ".join(f"{short}: share of schools good or outstanding {what}".split()) + f", by kind of group, {who}"
    svg = charts.bar_chart(bars, title=title, domain_max=1.0,
                           desc=(f"Horizontal bars, {'one per key judgement within each kind of group' if by_measure else 'one per kind of group'}; "
                                 "the axis runs from 0% to 100%. With each, the schools and groups it covers."))
    cols = ["Kind of group"] + (["Key judgement"] if by_measure else [])
    k = len(cols)
    numbers = details_table(
        cols + ["Groups with such schools", "Groups shown", f"Schools ({who})", "Schools in groups shown",
                "Good or outstanding", "Share"], table_rows, numeric=set(range(k, k + 6)))
    span = (f"judgements to {long_date(era['reported_until'])}" if isinstance(era.get("reported_until"), date)
            else f"judgements from {long_date(era.get('first_inspection'))}")
    sub = (f"View: all current schools, each counted by its latest judgement ({span}); only {who}. Pooled over the "
           f"groups of each kind with enough such schools to show, weighted by those schools; groups with "
           f"{_suppress_rule(d)} such schools are suppressed and left out of the bars (counted in the table), so "
           "a bar can differ from the share over all of a kind's schools.")
    return figure(svg, f"{esc(title)}<span class=sub>{esc(sub)}</span>", numbers)


def _era_grades_by_kind(d: ReportData, era: dict, rows: list[dict]) -> str:
    """Report cards: per kind, the share of schools at each grade per evaluation area, on the five-point scale
    itself (never converted to good or bad)."""
    era_key, short = era["reporting_era"], _era_short(era)
    who = ERA_SCHOOLS.get(era_key, "schools judged in the era")
    if not rows:
        return no_data(f"No figures for {short.lower()} are published for groups.")
    kinds = _era_kinds(rows)
    measures = [m for m in _era_measures(era, rows) if any(r["measure"] == m for r in rows)]
    graded = [m for m in measures if not {r["outcome"] for r in rows if r["measure"] == m} <= set(SAFEGUARDING_OUTCOMES)]
    pass_fail = [m for m in measures if m not in graded]
    scale = list(REPORT_CARD_GRADES) + sorted({r["outcome"] for r in rows if r["measure"] in graded}
                                                - set(REPORT_CARD_GRADES))
    at = {(r["group_kind"], r["measure"], r["outcome"]): r for r in rows}
    stacked, table_rows, safeguarding = [], [], []
    for kind in kinds:
        mine = [r for r in rows if r["group_kind"] == kind]
        heads = {m: next(r for r in mine if r["measure"] == m) for m in graded if any(r["measure"] == m for r in mine)}
        if not heads:
            continue
        judged = max((r.get("schools_judged") or 0) for r in mine)
        reported = max((r.get("schools_reported") or 0) for r in mine)
        groups = max((r.get("groups_reported") or 0) for r in mine)
        heading = _kind_heading(kind, judged, reported, groups, "with a report card")
        if not groups:
            stacked.append(StackedRow("Every area", [], heading=heading, empty="too few to show"))
        for m, head in heads.items() if groups else ():
            ok = bool(head.get("groups_reported"))
            differs = head.get("schools_reported") != reported or head.get("groups_reported") != groups
            stacked.append(StackedRow(
                measure_label(m), [(g, (at.get((kind, m, g)) or {}).get("share") if ok else None) for g in scale],
                _shown(head) if ok and differs else "",
                heading=heading if m == next(iter(heads)) else "", empty="too few to show"))
        for m, head in heads.items():
            if not head.get("groups_reported"):
                table_rows.append([kind_label(kind), measure_label(m), "too few to show", "",
                                   n(head.get("schools_judged")), ""])
                continue
            for g in scale:
                r = at.get((kind, m, g))
                if r is not None and r.get("schools_with_outcome"):
                    table_rows.append([kind_label(kind), measure_label(m), g, n(r.get("schools_with_outcome")),
                                       n(r.get("schools_reported")), p1(r.get("share"))])
        for m in pass_fail:
            met = at.get((kind, m, "Met")) or next((r for r in mine if r["measure"] == m), {})
            if met.get("groups_reported"):
                count = met.get("schools_with_outcome") if met.get("outcome") == "Met" else 0
                safeguarding.append(f"{kind_label(kind)}: {measure_label(m).lower()} met at {n(count)} of "
                                    f"{n(met.get('schools_reported'))} schools shown")
    title = f"{short}: grades by evaluation area, by kind of group, {who}"
    sub = (f"View: all current schools; only {who} (inspections from {long_date(era.get('first_inspection'))}). "
           "Each area is graded on Ofsted's five-point scale, shown as it is: “needs attention” is not a fail, and "
           f"the grades are not converted into good or bad. Pooled over groups with enough such schools to show; "
           f"groups with {_suppress_rule(d)} are suppressed and left out.")
    if safeguarding:
        sub += " " + "; ".join(safeguarding) + "."
    numbers = details_table(["Kind of group", "Evaluation area", "Grade", "Schools with this grade",
                             "Schools graded on the area (groups shown)", "Share"], table_rows, numeric={3, 4, 5})
    if not any(_num(v) for row in stacked for _, v in row.segments):
        return f"<p>{esc(title)}: too few schools with a report card in any group to show. {esc(sub)}</p>" + numbers
    svg = charts.stacked_bar_chart(stacked, title=title, segment_labels={g: g for g in scale},
                                   colours=charts.GRADE_COLOURS,
                                   desc="Stacked horizontal bars, one per evaluation area within each kind of group; "
                                        "segments are the shares of schools at each report-card grade.")
    return figure(svg, f"{esc(title)}<span class=sub>{esc(sub)}</span>", numbers)


def _outcomes_by_era(d: ReportData) -> str:
    out = ['<div class="era-figures" id="outcomes-eras">',
           "<p><strong>Each framework on its own scale.</strong> For every current school the report takes its "
           "latest judgement and reads it on the scale of the framework it was made under: overall effectiveness "
           "for judgements to 31 August 2024, each key judgement for graded inspections from September 2024 to "
           "9 November 2025, and report-card grades from 10 November 2025. No figure here mixes frameworks, so "
           "each describes only the schools last judged under it. Those are not a random slice: a school judged "
           "below good is inspected again sooner, so the schools still last judged under an older framework are "
           "mostly those found good or better then, and an older framework's share here runs higher than the "
           "system's figure for its time (section 1). Figures are pooled over the groups of each "
           "kind, weighted by their schools judged under the framework; groups with too few such schools to show "
           "are left out. Groups are not ranked.</p>",
           _era_coverage_list(d)]
    if d.era_outcomes_by_kind:
        for era in _sorted_eras(d):
            rows = [r for r in d.era_outcomes_by_kind if r["reporting_era"] == era["reporting_era"]]
            out.append(f'<h3 id="outcomes-{esc(era["reporting_era"])}">{esc(era.get("label") or era["reporting_era"])}</h3>')
            if era.get("outcome_counted") == GOOD:
                out.append(_era_good_by_kind(d, era, rows))
            else:
                out.append(_era_grades_by_kind(d, era, rows))
    else:
        out.append(no_data("No era-separated figures are published: no school in these groups has a judgement "
                           "of its current form in the view all current schools."))
    out.append("</div>")
    return "".join(out)


def _outcomes(d: ReportData) -> str:
    out = ['<section id="outcomes"><h2>2. Outcome patterns by kind of group</h2>', _outcomes_by_era(d),
           '<h3 id="outcomes-band">A secondary summary: the cross-era summary band (a named convention)</h3>',
           '<p class="band-note">The figures below are the cross-era summary band, a named convention '
           "(<code>pipelines/thresholds.toml</code>, key <code>cross_era_band</code>) that reads judgements from "
           "different frameworks on one four-band scale so that all of a group's schools can be described together; "
           "it is not the default view and not an Ofsted measure: the figures above, and section 1, keep each "
           "framework on its own scale.</p>",
           "<p>How the latest judgements of every current school (whenever made) fall into the four bands of that "
           "convention, pooled over the groups of each kind that are large enough to report. Groups whose shares "
           "are suppressed because they are small are left out of the bars and counted in the table.</p>"]
    rows = sorted(d.outcomes_by_kind, key=lambda r: kind_sort_key(r["group_kind"]))
    drawable = [r for r in rows if any(_num(r.get(f"share_{b}")) for b in BANDS)]
    if not drawable:
        return "".join(out) + no_data("No outcome patterns are published.") + "</section>"
    stacked = [StackedRow(kind_label(r["group_kind"]), [(b, r.get(f"share_{b}")) for b in BANDS],
                          f"{n(r.get('schools_with_evidence'))} schools in {n(r.get('groups_reported'))} groups")
               for r in drawable]
    title = "Cross-era summary band (a convention): latest judgements of current schools by band, by kind of group"
    svg = charts.stacked_bar_chart(stacked, title=title, segment_labels=BANDS,
                                   desc="Stacked horizontal bars, one per kind of group; segments are the shares of "
                                        "schools in each outcome band.")
    numbers = details_table(
        ["Kind of group", "Groups", "Groups reported", "Schools with a judgement (reported groups)",
         "Strong", "Secure", "Improvement needed", "Serious concern"],
        [[kind_label(r["group_kind"]), n(r.get("groups")), n(r.get("groups_reported")),
          n(r.get("schools_with_evidence"))] + [p1(r.get(f"share_{b}")) for b in BANDS] for r in rows],
        numeric=set(range(1, 8)))
    out.append(figure(svg, esc(title) + "<span class=sub>Weighted by schools; view: all current schools; bands: the "
                      "cross-era summary band (a named convention, not the default view).</span>", numbers))

    spread = [r for r in drawable if _num(r.get("gob_p50"))]
    if spread:
        frows = [ForestRow(kind_label(r["group_kind"]), r["gob_p50"], r.get("gob_p25"), r.get("gob_p75"),
                           note=f"{n(r.get('groups_reported'))} groups") for r in spread]
        title = "Cross-era summary band (a convention): spread across groups of the share of each group's schools good or better"
        svg = charts.forest_plot(frows, title=title,
                                 desc="For each kind of group, the median group's share good or better, with a bar "
                                      "from the lower to the upper quartile of groups.",
                                 style=ForestStyle(estimate_label="median group, bar: middle half of groups"))
        numbers = details_table(
            ["Kind of group", "Groups reported", "Lower quartile", "Median", "Upper quartile",
             "Groups with any school in serious concern", "Groups with a school in a category of concern"],
            [[kind_label(r["group_kind"]), n(r.get("groups_reported")), p1(r.get("gob_p25")), p1(r.get("gob_p50")),
              p1(r.get("gob_p75")),
              f"{n(r.get('groups_any_serious_concern'))} of {n(r.get('groups_reported'))}",
              f"{n(r.get('groups_with_category_of_concern'))} of {n(r.get('groups_concern_known'))}"]
             for r in rows], numeric={1, 2, 3, 4, 5, 6})
        out.append(figure(svg, esc(title) + "<span class=sub>Good or better: the strong or secure band of the "
                          "cross-era summary band. Groups differ: the bar shows the middle half of groups "
                          "of each kind, not a statistical interval.</span>", numbers))
    out.append("</section>")
    return "".join(out)


def _improvement(d: ReportData) -> str:
    out = ['<section id="improvement"><h2>3. Schools that joined after a weak judgement</h2>',
           "<p>Schools that joined an academy trust soon after a weak judgement, seen a fixed time after that "
           "judgement: the share whose latest evidence by then is in a better band, and the share not yet judged "
           "again. They are compared with similar schools judged weak in the same framework that had not joined a "
           "trust by the same time, whatever happened to them later; a school that left its trust or closed still "
           "counts for the trust it joined. The difference, among schools judged again on both sides, is shown with "
           "its 95% interval; an interval that crosses zero is consistent with no difference.</p>"]
    rows = sorted(d.improvement_by_kind, key=lambda r: kind_sort_key(r.get("group_kind")))
    drawable = [r for r in rows if _num(r.get("effect"))]
    if drawable:
        frows = [ForestRow(kind_label(r["group_kind"]), r["effect"], r.get("effect_ci_low"), r.get("effect_ci_high"),
                           note=f"{n(r.get('joiners'))} joiners") for r in drawable]
        title = ("Difference in the share improved by the same time after the weak judgement: joiners minus "
                 "similar schools that had not joined by then")
        svg = charts.forest_plot(frows, title=title,
                                 desc="Dot-and-interval plot of the difference in percentage points, one row per "
                                      "kind of group, with a line at zero.",
                                 style=ForestStyle(estimate_label="difference with 95% interval", zero_line=True,
                                                   points=True))
        out.append(figure(svg, esc(title), ""))
    if rows:
        out.append(table(
            ["Kind of group", "Joiners", "Improved", "Share improved (95% interval)", "Not yet judged",
             "Left or closed", "Their share improved (similar schools)", "Difference (95% interval)",
             "Median years to improvement"],
            [[kind_label(r.get("group_kind")), n(r.get("joiners")), n(r.get("joiners_improved")),
              (f"{p1(r.get('share_improved'))} ({p1(r.get('share_improved_ci_low'))} to "
               f"{p1(r.get('share_improved_ci_high'))})" if _num(r.get("share_improved")) else "too few to publish"),
              p1(r.get("share_not_yet_judged")),
              n((r.get("joiners_left_group") or 0) + (r.get("joiners_closed") or 0)),
              p1(r.get("comparison_share_improved")),
              (f"{pp(r.get('effect'))} ({pp(r.get('effect_ci_low'), False)} to {pp(r.get('effect_ci_high'), False)})"
               if r.get("eligible") or _num(r.get("effect")) else "too few to compare"),
              n(r.get("median_years_to_improvement"), 1)] for r in rows],
            caption=("Improvement after joining, by kind of group: schools that joined a trust soon after a weak "
                     "judgement, their standing "
                     + (f"{n(rows[0]['horizon_years'])} years after it" if _num(rows[0].get("horizon_years"))
                        else "at a fixed time after it")
                     + ", against similar schools that had not joined by the same time (the design is in the data "
                       "dictionary)"),
            numeric=set(range(1, 9))))
    else:
        out.append(no_data("No improvement rows are published."))
    out.append("</section>")
    return "".join(out)


def _evidence(d: ReportData) -> str:
    stale = d.setting("stale_after_years")
    limit = f"{stale:g} years" if _num(stale) else "the stale limit"
    out = ['<section id="evidence"><h2>4. How old the evidence is</h2>',
           "<p>Two measures of how recent the inspection evidence is: the age of each school's latest judgement "
           "(a graded inspection or a report card) and the age of its latest evidence of any kind (graded, "
           f"ungraded or report card). A school is stale when it has no evidence of any kind within {esc(limit)}, "
           "the legal limit between routine inspections; schools with no inspection evidence at all (mostly new "
           "schools) are counted apart. Groups with many stale schools are harder to describe from inspection "
           "evidence alone.</p>"]
    rows = sorted(d.stale_by_kind, key=lambda r: kind_sort_key(r["group_kind"]))
    kinds = [r["group_kind"] for r in rows]
    if any(_num(r.get("share_stale")) for r in rows):
        as_at = next((r.get("as_at") for r in rows if r.get("as_at")), None)
        family = next((r.get("source_family") for r in rows if r.get("source_family")), None)
        bars = [BarRow(kind_label(r["group_kind"]), r.get("share_stale"), f"of {n(r.get('schools'))} schools listed",
                       kind_colour(r["group_kind"], kinds)) for r in rows]
        title = f"Share of schools with no inspection evidence of any kind within {limit}, by kind of group"
        svg = charts.bar_chart(bars, title=title, desc="Horizontal bars, one per kind of group.")
        numbers = details_table(
            ["Kind of group", "Schools listed", "With evidence", "With no evidence at all", "Stale share",
             "Typical age of latest judgement (years)", "Typical age of latest evidence (years)"],
            [[kind_label(r["group_kind"]), n(r.get("schools")), n(r.get("schools_with_evidence")),
              n(r.get("schools_without_evidence")), p1(r.get("share_stale")),
              n(r.get("judgement_age_median_years"), 1), n(r.get("evidence_age_median_years"), 1)] for r in rows],
            numeric={1, 2, 3, 4, 5, 6})
        out.append(figure(svg, esc(title) + f"<span class=sub>As at {esc(long_date(as_at))}, from "
                          f"{esc(family_label(family))}; including inherited judgements; a share of all schools "
                          "listed. Typical ages: the median of the phase-and-region medians, weighted by "
                          "schools, close to the median over all schools.</span>", numbers))
        eras = _sorted_eras(d)
        era_keys = [e["reporting_era"] for e in eras
                    if any(f"schools_latest_judgement_{e['reporting_era']}" in r for r in rows)]
        if era_keys:
            labels = {e["reporting_era"]: _era_short(e) for e in eras}
            out.append(table(
                ["Kind of group", "Schools listed"]
                + [f"Latest judgement: {labels[k].lower()}" for k in era_keys]
                + [f"Latest evidence: {labels[k].lower()}" for k in era_keys],
                [[kind_label(r["group_kind"]), n(r.get("schools"))]
                 + [n(r.get(f"schools_latest_judgement_{k}")) for k in era_keys]
                 + [n(r.get(f"schools_latest_evidence_{k}")) for k in era_keys] for r in rows],
                caption="Under which framework each school's latest judgement, and its latest evidence of any "
                        "kind, was made (schools)",
                numeric=set(range(1, 2 + 2 * len(era_keys)))))
    else:
        out.append(no_data("No evidence-age rows are published."))
    ages = [r["evidence_age_median_years"] for r in d.group_evidence_ages if _num(r.get("evidence_age_median_years"))]
    if ages:
        title = "Groups by the median age of their schools' latest judgements"
        svg = charts.histogram(ages, title=title, bin_width=1.0, x_label="median age of latest judgement (years)",
                               unit=" years", marker=stale if _num(stale) else None,
                               marker_label=f"stale after {stale:g} years" if _num(stale) else "",
                               desc=f"Histogram of {len(ages)} groups in one-year bins.")
        by_kind: dict[str, list[float]] = defaultdict(list)
        for r in d.group_evidence_ages:
            if _num(r.get("evidence_age_median_years")):
                by_kind[r["group_kind"]].append(r["evidence_age_median_years"])
        numbers = details_table(
            ["Kind of group", "Groups", "Median of group medians (years)", "Groups over the stale limit"],
            [[kind_label(k), len(v), fmt_num(_median(v), 1), sum(1 for x in v if _num(stale) and x > stale)]
             for k, v in sorted(by_kind.items(), key=lambda kv: kind_sort_key(kv[0]))], numeric={1, 2, 3})
        out.append(figure(svg, esc(title) + "<span class=sub>All kinds of group; groups whose figures are "
                          "suppressed are left out.</span>", numbers))
    out.append("</section>")
    return "".join(out)


def _median(values: list[float]) -> float | None:
    s = sorted(values)
    if not s:
        return None
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def _estimates(d: ReportData) -> str:
    out = ['<section id="estimates"><h2>5. Sample estimates against the census</h2>']
    rows = d.estimates
    if not rows:
        return "".join(out) + no_data(f"No sample estimates are published for {d.period}.") + "</section>"
    frame = next((r.get("groups_in_frame") for r in rows if _num(r.get("groups_in_frame"))), None)
    sampled = next((r.get("groups_sampled") for r in rows if _num(r.get("groups_sampled"))), None)
    out.append(f"<p>Each indicator estimated from the {n(sampled)} sampled groups (of {n(frame)} in the frame), "
               "with its 95% interval, beside the value computed from every group (the census). Checking the "
               "census against the sample shows how far a sample can be trusted; about one interval in twenty "
               "is expected to miss.</p>")
    values = [v for r in rows for v in (r.get("estimate"), r.get("ci_low"), r.get("ci_high"), r.get("census_value"))
              if _num(v)]
    shares = all(0.0 <= v <= 1.0 for v in values)
    frows = [ForestRow(str(r.get("description") or r.get("indicator")), r.get("estimate"), r.get("ci_low"),
                       r.get("ci_high"), r.get("census_value")) for r in rows]
    title = f"Sample estimates with 95% intervals and census values, {d.period}"
    svg = charts.forest_plot(frows, title=title,
                             desc="Dot-and-interval plot, one row per indicator; a diamond marks the census value.",
                             style=ForestStyle(percent=shares, per_row_scale=not shares))
    numbers = details_table(
        ["Indicator", "Estimate", "Standard error", "95% interval", "Census", "Census inside interval"],
        [[str(r.get("description") or r.get("indicator")),
          p1(r.get("estimate")) if shares else n(r.get("estimate"), 3),
          p1(r.get("standard_error")) if shares else n(r.get("standard_error"), 3),
          (f"{p1(r.get('ci_low'))} to {p1(r.get('ci_high'))}" if shares
           else f"{n(r.get('ci_low'), 3)} to {n(r.get('ci_high'), 3)}"),
          p1(r.get("census_value")) if shares else n(r.get("census_value"), 3),
          {True: "yes", False: "no"}.get(r.get("census_in_interval"), "n/a")] for r in rows],
        numeric={1, 2, 3, 4})
    sub = "" if shares else " Indicators are on different scales, so each row has its own axis."
    out.append(figure(svg, esc(title) + f"<span class=sub>{esc(sub.strip())}</span>", numbers))
    out.append("</section>")
    return "".join(out)


def _profiles(d: ReportData) -> str:
    out = ['<section id="profiles"><h2>6. Profiles of sampled groups</h2>']
    if not d.sampled:
        return "".join(out) + no_data(f"No groups were sampled for {d.period}.") + "</section>"
    out.append(f"<p>One short profile for each of the {len(d.sampled)} groups drawn in the {esc(d.period)} sample, "
               "in order of sampling stratum and name (not of any outcome). Each describes patterns across the "
               "group's schools from the published data.</p>")
    stale = d.setting("stale_after_years")
    for g in d.sampled:
        f = g.facts
        meta = [KIND_SINGULAR.get(f.group_kind, kind_label(f.group_kind))]
        if g.stratum:
            meta.append(f"stratum {g.stratum}")
        if _num(g.inclusion_probability):
            meta.append(f"chance of selection {fmt_pct(g.inclusion_probability)}")
        meta.append(f"key {f.group_key}")
        sentences = group_profile(f, stale)
        out.append(f'<article class="profile" id="group-{esc(f.group_key)}"><h3>{esc(f.group_name)}</h3>'
                   f'<p class="group-meta">{esc(" · ".join(meta))}</p>'
                   f'<p class="profile-text">{esc(" ".join(sentences))}</p></article>')
    out.append("</section>")
    return "".join(out)


def _metric(v) -> str:
    if not _num(v):
        return "n/a"
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"


def _signals(d: ReportData) -> str:
    out = ['<section id="signals"><h2>7. Signals for sampled groups</h2>',
           "<p>Rules that fired for sampled groups. A signal is a reason to look closer or a pattern worth "
           "learning from; it is not a judgement of the group. The evidence lists the inspections behind it.</p>"]
    rows = [(g.facts, s) for g in d.sampled for s in g.facts.signals]
    if not rows:
        return "".join(out) + no_data("No signal fired for the sampled groups.") + "</section>"
    body = []
    for f, s in rows:
        evidence = s.get("evidence") or []
        items = "".join(
            f"<li>URN {esc(e.get('urn'))}, inspection {esc(e.get('inspection_number'))}: {esc(e.get('detail'))}</li>"
            for e in evidence if isinstance(e, dict))
        ev_html = (f"<details><summary>{len(evidence)} item{'s' if len(evidence) != 1 else ''}</summary>"
                   f'<ul class="evidence">{items}</ul></details>') if evidence else "none listed"
        body.append(
            f'<tr><th scope="row">{esc(f.group_name)}</th><td>{esc(s.get("signal"))}</td>'
            f'<td>{esc(SIGNAL_TYPES.get(s.get("signal_type"), s.get("signal_type")))}</td>'
            f'<td>{esc(s.get("rule"))}</td><td class="num">{esc(_metric(s.get("metric")))}</td>'
            f'<td class="num">{esc(_metric(s.get("threshold")))}</td><td>{ev_html}</td></tr>')
    head = "".join(f'<th scope="col">{h}</th>' for h in
                   ("Group", "Signal", "Type", "Rule that fired", "Value", "Threshold", "Evidence"))
    out.append(f"<table><caption>Signals for sampled groups, {esc(d.period)}</caption><thead><tr>{head}</tr></thead>"
               f"<tbody>{''.join(body)}</tbody></table></section>")
    return "".join(out)


def _thresholds(d: ReportData) -> str:
    out = ['<section id="thresholds"><h2>Thresholds used</h2>']
    if not d.settings:
        return "".join(out) + no_data("No thresholds are recorded.") + "</section>"
    out.append(table(["Setting", "Value", "Meaning"],
                     [[r.get("key"), _metric(r.get("value")), r.get("description") or ""] for r in d.settings],
                     numeric={1}))
    out.append("</section>")
    return "".join(out)


def _footer(d: ReportData) -> str:
    others = [p for p in d.periods if p != d.period]
    more = f" Other periods published: {esc(', '.join(others))}." if others else ""
    return ('<footer class="page"><p class="small">Built from the published tables of the school-groups warehouse '
            "(DfE Get Information about Schools and Ofsted inspection outcomes, Open Government Licence). "
            f"This page is self-contained and works offline.{more}</p></footer>")


def render_report(d: ReportData) -> str:
    """The whole page as one string."""
    body = "".join([_header(d), "<main>", _how_to_read(d), _nav(), _trends(d), _outcomes(d), _improvement(d),
                    _evidence(d), _estimates(d), _profiles(d), _signals(d), _thresholds(d), "</main>", _footer(d)])
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>School groups patterns report: {esc(d.period)}{' (synthetic data)' if d.synthetic_data else ''}</title>"
        f"<style>{CSS}</style></head><body>{body}</body></html>\n"
    )
