"""Section 2's default view, each framework on its own scale: how much of each kind of group each era
describes, then per era the good-or-outstanding shares or the report-card grades, by kind of group."""

from __future__ import annotations

from datetime import date

from . import charts
from .charts import BarRow, StackedRow, esc
from .html_parts import _groups, _schools, details_table, figure, n, no_data, p1
from .labels import (GOOD, REPORT_CARD_GRADES, SAFEGUARDING_OUTCOMES, _era_measures, _era_short, _num, _sorted_eras,
                     kind_colour, kind_label, kind_sort_key, long_date, measure_label)
from .profile_facts import join_words
from .report_data import ReportData

# How section 2 names the schools each era describes (view own_judgements: each school's latest judgement).
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
    svg = charts.dual(charts.bar_chart, bars, title=title, domain_max=1.0,
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
    svg = charts.dual(charts.stacked_bar_chart, stacked, title=title, segment_labels={g: g for g in scale},
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
