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
from .profiles import GroupFacts, KIND_SINGULAR, group_profile

KIND_ORDER = ("multi_academy_trust", "single_academy_trust", "local_authority", "no_responsible_body")
KIND_LABELS = {
    "multi_academy_trust": "Multi-academy trusts",
    "single_academy_trust": "Single-academy trusts",
    "local_authority": "Local authorities",
    "no_responsible_body": "No responsible body",
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
    periods: list[str] = field(default_factory=list)
    settings: list[dict] = field(default_factory=list)            # key, value, description
    trends: list[dict] = field(default_factory=list)              # as_at, group_kind, view, schools_graded, share_good_or_better
    outcomes_by_kind: list[dict] = field(default_factory=list)    # see build.OUTCOMES_SQL
    improvement_by_kind: list[dict] = field(default_factory=list) # group_improvement rows, scope='group_kind'
    stale_by_kind: list[dict] = field(default_factory=list)       # group_kind, schools_graded, share_stale
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


def _header(d: ReportData) -> str:
    as_at = d.as_at.strftime("%d %B %Y").lstrip("0") if d.as_at else "not known"
    return (
        '<header class="page">'
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
    stale_text = f"over {stale:g} years old" if _num(stale) else "old"
    return (
        '<section class="how-to-read" id="how-to-read" aria-labelledby="how-to-read-h">'
        '<h2 id="how-to-read-h" style="border:0;margin-top:.3em;padding:0">How to read this report</h2><ul>'
        "<li><strong>No single-word grades for groups.</strong> Ofsted judges schools, not trusts or local "
        "authorities. This report describes patterns across a group's schools; it does not grade or rank groups.</li>"
        "<li><strong>Patterns across schools.</strong> Shares count schools (or, where said, pupils). "
        "“Good or better” means a latest judgement in the strong or secure band. A judgement made before a school "
        "joined a group says little about the group, so the report separates judgements made under the group "
        "from those it inherited.</li>"
        f"<li><strong>Evidence age matters.</strong> Some schools were last inspected long ago; evidence {esc(stale_text)} "
        "is called stale and may not describe the school today.</li>"
        "<li><strong>Estimates come from a sample.</strong> Section 5 and the profiles cover a random sample of groups; "
        "estimates carry 95% intervals, the range that would cover the true value in 95 of 100 such samples. "
        "Small groups' shares are suppressed.</li>"
        "</ul></section>"
    )


def _nav() -> str:
    items = [("trends", "System trends over time"), ("outcomes", "Outcome patterns by kind of group"),
             ("improvement", "Schools that joined after a weak judgement"), ("evidence", "How old the evidence is"),
             ("estimates", "Sample estimates against the census"), ("profiles", "Profiles of sampled groups"),
             ("signals", "Signals for sampled groups"), ("thresholds", "Thresholds used")]
    lis = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in items)
    return f'<nav aria-label="Contents"><ol>{lis}</ol></nav>'


def _trends(d: ReportData) -> str:
    out = ['<section id="trends"><h2>1. System trends over time</h2>',
           "<p>The share of schools whose latest judgement was good or better at each inspection snapshot, by the "
           "kind of body responsible for the school, weighted by the number of schools with a judgement.</p>"]
    if not d.trends:
        return "".join(out) + no_data("No system trend rows are published.") + "</section>"
    kinds = sorted({r["group_kind"] for r in d.trends}, key=kind_sort_key)
    all_values = [r["share_good_or_better"] for r in d.trends if _num(r.get("share_good_or_better"))]
    lo = max(0.0, math.floor((min(all_values, default=0.0) - 0.05) * 10) / 10)
    domain = (lo, 1.0)
    for view in ("own_judgements", "including_inherited"):
        rows = [r for r in d.trends if r["view"] == view]
        if not rows:
            out.append(no_data(f"No rows for the view {VIEW_LABELS[view].lower()}."))
            continue
        series = []
        for kind in kinds:
            pts = [(r["as_at"], r.get("share_good_or_better")) for r in rows if r["group_kind"] == kind]
            if any(_num(v) for _, v in pts):
                series.append(Series(kind_label(kind), sorted(pts, key=lambda p: p[0]), kind_colour(kind, kinds)))
        if not series:
            out.append(no_data(f"No graded schools in the view {VIEW_LABELS[view].lower()}."))
            continue
        title = f"Share of schools good or better, {VIEW_LABELS[view].lower()}, by kind of group"
        desc = (f"Line chart over {len({r['as_at'] for r in rows})} snapshots; one line per kind of group. "
                f"Vertical axis from {fmt_pct(domain[0])} to {fmt_pct(domain[1])}.")
        svg = charts.line_chart(series, title=title, desc=desc, y_label="good or better", y_domain=domain)
        numbers = details_table(
            ["As at", "Kind of group", "Schools with a judgement", "Good or better"],
            [[r["as_at"].isoformat(), kind_label(r["group_kind"]), n(r.get("schools_graded")),
              p1(r.get("share_good_or_better"))]
             for r in sorted(rows, key=lambda r: (r["as_at"], kind_sort_key(r["group_kind"])))],
            numeric={2, 3})
        caption = (f"{esc(title[0].upper() + title[1:])}<span class=sub>{esc(sentence_case(VIEW_EXPLAINED[view]))}. "
                   f"The vertical axis starts at {fmt_pct(domain[0])}.</span>")
        out.append(figure(svg, caption, numbers))
    out.append("</section>")
    return "".join(out)


def _outcomes(d: ReportData) -> str:
    out = ['<section id="outcomes"><h2>2. Outcome patterns by kind of group</h2>',
           "<p>How the latest judgements of every current school (whenever made) fall into the four outcome bands, "
           "pooled over the groups of each kind that are large enough to report. Groups whose shares are suppressed "
           "because they are small are left out of the bars and counted in the table.</p>"]
    rows = sorted(d.outcomes_by_kind, key=lambda r: kind_sort_key(r["group_kind"]))
    drawable = [r for r in rows if any(_num(r.get(f"share_{b}")) for b in BANDS)]
    if not drawable:
        return "".join(out) + no_data("No outcome patterns are published.") + "</section>"
    stacked = [StackedRow(kind_label(r["group_kind"]), [(b, r.get(f"share_{b}")) for b in BANDS],
                          f"{n(r.get('schools_with_evidence'))} schools in {n(r.get('groups_reported'))} groups")
               for r in drawable]
    title = "Latest judgements of current schools by outcome band, by kind of group"
    svg = charts.stacked_bar_chart(stacked, title=title, segment_labels=BANDS,
                                   desc="Stacked horizontal bars, one per kind of group; segments are the shares of "
                                        "schools in each outcome band.")
    numbers = details_table(
        ["Kind of group", "Groups", "Groups reported", "Schools with a judgement (reported groups)",
         "Strong", "Secure", "Improvement needed", "Serious concern"],
        [[kind_label(r["group_kind"]), n(r.get("groups")), n(r.get("groups_reported")),
          n(r.get("schools_with_evidence"))] + [p1(r.get(f"share_{b}")) for b in BANDS] for r in rows],
        numeric=set(range(1, 8)))
    out.append(figure(svg, esc(title) + "<span class=sub>Weighted by schools; view: all current schools.</span>", numbers))

    spread = [r for r in drawable if _num(r.get("gob_p50"))]
    if spread:
        frows = [ForestRow(kind_label(r["group_kind"]), r["gob_p50"], r.get("gob_p25"), r.get("gob_p75"),
                           note=f"{n(r.get('groups_reported'))} groups") for r in spread]
        title = "Spread across groups: share of each group's schools that are good or better"
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
        out.append(figure(svg, esc(title) + "<span class=sub>Groups differ: the bar shows the middle half of groups "
                          "of each kind, not a statistical interval.</span>", numbers))
    out.append("</section>")
    return "".join(out)


def _improvement(d: ReportData) -> str:
    out = ['<section id="improvement"><h2>3. Schools that joined after a weak judgement</h2>',
           "<p>Schools that joined a group after a weak judgement and have since been judged under it: the share "
           "that improved, compared with similar schools that did not join. The difference is shown with its 95% "
           "interval; an interval that crosses zero is consistent with no difference.</p>"]
    rows = sorted(d.improvement_by_kind, key=lambda r: kind_sort_key(r.get("group_kind")))
    drawable = [r for r in rows if _num(r.get("effect"))]
    if drawable:
        frows = [ForestRow(kind_label(r["group_kind"]), r["effect"], r.get("effect_ci_low"), r.get("effect_ci_high"),
                           note=f"{n(r.get('joiners'))} joiners") for r in drawable]
        title = "Difference in the share improved: joiners minus similar schools that did not join"
        svg = charts.forest_plot(frows, title=title,
                                 desc="Dot-and-interval plot of the difference in percentage points, one row per "
                                      "kind of group, with a line at zero.",
                                 style=ForestStyle(estimate_label="difference with 95% interval", zero_line=True,
                                                   points=True))
        out.append(figure(svg, esc(title), ""))
    if rows:
        out.append(table(
            ["Kind of group", "Joiners judged since", "Improved", "Share improved (95% interval)",
             "Similar schools not joining", "Their share improved", "Difference (95% interval)",
             "Median years to improvement"],
            [[kind_label(r.get("group_kind")), n(r.get("joiners")), n(r.get("joiners_improved")),
              (f"{p1(r.get('share_improved'))} ({p1(r.get('share_improved_ci_low'))} to "
               f"{p1(r.get('share_improved_ci_high'))})" if _num(r.get("share_improved")) else "too few to publish"),
              n(r.get("comparison_schools")), p1(r.get("comparison_share_improved")),
              (f"{pp(r.get('effect'))} ({pp(r.get('effect_ci_low'), False)} to {pp(r.get('effect_ci_high'), False)})"
               if r.get("eligible") or _num(r.get("effect")) else "too few to compare"),
              n(r.get("median_years_to_improvement"), 1)] for r in rows],
            caption="Improvement after joining, by kind of group", numeric=set(range(1, 8))))
    else:
        out.append(no_data("No improvement rows are published."))
    out.append("</section>")
    return "".join(out)


def _evidence(d: ReportData) -> str:
    stale = d.setting("stale_after_years")
    limit = f"over {stale:g} years" if _num(stale) else "beyond the stale limit"
    out = ['<section id="evidence"><h2>4. How old the evidence is</h2>',
           f"<p>A judgement is stale when it is {esc(limit)} old at the as-at date. Groups with many stale "
           "judgements are harder to describe from inspection evidence alone.</p>"]
    rows = sorted(d.stale_by_kind, key=lambda r: kind_sort_key(r["group_kind"]))
    kinds = [r["group_kind"] for r in rows]
    if any(_num(r.get("share_stale")) for r in rows):
        bars = [BarRow(kind_label(r["group_kind"]), r.get("share_stale"), f"of {n(r.get('schools_graded'))} schools",
                       kind_colour(r["group_kind"], kinds)) for r in rows]
        title = f"Share of schools whose latest judgement is {limit} old, by kind of group"
        svg = charts.bar_chart(bars, title=title, desc="Horizontal bars, one per kind of group.")
        numbers = details_table(["Kind of group", "Schools with a judgement", "Stale share"],
                                [[kind_label(r["group_kind"]), n(r.get("schools_graded")), p1(r.get("share_stale"))]
                                 for r in rows], numeric={1, 2})
        out.append(figure(svg, esc(title) + "<span class=sub>Newest snapshot, including inherited judgements; "
                          "weighted by schools with a judgement.</span>", numbers))
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
        f"<title>School groups patterns report: {esc(d.period)}</title>"
        f"<style>{CSS}</style></head><body>{body}</body></html>\n"
    )
