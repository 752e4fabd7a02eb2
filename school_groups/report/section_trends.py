"""Section 1 of the page, system trends over time: for each view, one chart per reporting era on its
own scale, lines broken where the framework or the data source changes, and why they break."""

from __future__ import annotations

import math
from datetime import date

from . import charts
from .charts import Series, StackedRow, esc, fmt_pct
from .html_parts import _schools, details_table, figure, n, no_data, p1
from .labels import (FAMILY_SHORT, GOOD, REPORT_CARD_GRADES, SAFEGUARDING_OUTCOMES, VIEW_EXPLAINED, VIEW_LABELS,
                     _era_measures, _era_short, _num, _sorted_eras, family_label, kind_colour, kind_label,
                     kind_sort_key, long_date, measure_label, sentence_case)
from .report_data import ReportData


def trend_anchor(view: str, era: str) -> str:
    """The id of one trend chart (view x era), which the key findings link to."""
    return f"fig-trend-{view}-{era}"


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


def _share_domain(values: list[float]) -> tuple[float, float]:
    return max(0.0, math.floor((min(values, default=0.0) - 0.05) * 10) / 10), 1.0


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
    svg = charts.dual(charts.line_chart, series, title=title, desc=desc, y_label="good or outstanding", y_domain=domain,
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
    return figure(svg, f"{esc(title)}<span class=sub>{esc(sub)}</span>", numbers, trend_anchor(view, era_key))


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
        svg = charts.dual(charts.stacked_bar_chart, stacked, title=title, segment_labels={g: g for g in scale},
                                       colours=charts.GRADE_COLOURS,
                                       desc="Stacked horizontal bars, one per evaluation area; segments are the "
                                            "shares of schools at each report-card grade.")
        parts.append(figure(svg, esc(title) + f"<span class=sub>{esc(sub)}</span>", numbers,
                            trend_anchor(view, era["reporting_era"])))
    else:
        parts.append(f"<p>{esc(title)}. {esc(sub)}</p>" + numbers)
    return "".join(parts)


def _trends(d: ReportData) -> str:
    out = ['<section id="trends"><h2>1. System trends over time</h2>',
           "<p>Ofsted has changed how it grades schools twice since 2024, so different frameworks are never put "
           "on one scale here: each reporting era has its own chart and its own axis, and a line stops where its "
           "framework or its data source ends and starts afresh after. Shares are of the schools whose counted "
           "judgement was made under the era's framework and graded on the measure, pooled over phases and "
           "regions and weighted by those schools.</p>"]
    if not d.trends:
        return "".join(out) + no_data("No system trend rows are published.") + "</section>"
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
    out.append('<p class=small>Why lines stop and restart: see <a href="#why-breaks">Methods and breaks</a>.</p>')
    out.append("</section>")
    return "".join(out)
