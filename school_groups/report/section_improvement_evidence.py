"""Sections 3 and 4 of the page: schools that joined a trust after a weak judgement against similar
schools that had not, and how old the inspection evidence is, by kind of group."""

from __future__ import annotations

from collections import defaultdict

from . import charts
from .charts import BarRow, ForestRow, ForestStyle, esc, fmt_num
from .html_parts import details_table, figure, n, no_data, p1, pp, table
from .labels import _era_short, _num, _sorted_eras, family_label, kind_colour, kind_label, kind_sort_key, long_date
from .report_data import ReportData


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
        svg = charts.dual(charts.forest_plot, frows, title=title,
                                 desc="Dot-and-interval plot of the difference in percentage points, one row per "
                                      "kind of group, with a line at zero.",
                                 style=ForestStyle(estimate_label="difference with 95% interval", zero_line=True,
                                                   points=True))
        out.append(figure(svg, esc(title), "", "fig-improvement"))
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
        svg = charts.dual(charts.bar_chart, bars, title=title, desc="Horizontal bars, one per kind of group.")
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
                          "schools, close to the median over all schools.</span>", numbers, "fig-stale"))
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
        svg = charts.dual(charts.histogram, ages, title=title, bin_width=1.0, x_label="median age of latest judgement (years)",
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
