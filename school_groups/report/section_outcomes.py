"""Section 2 of the page, outcome patterns by kind of group: the era-separated figures first (built in
``outcomes_by_era``), then the secondary summary on the cross-era summary band and its spread across groups."""

from __future__ import annotations

from . import charts
from .charts import ForestRow, ForestStyle, StackedRow, esc
from .html_parts import details_table, figure, n, no_data, p1
from .labels import BANDS, _num, kind_label, kind_sort_key
from .outcomes_by_era import _outcomes_by_era, _suppress_rule
from .report_data import ReportData


def _outcomes(d: ReportData) -> str:
    out = ['<section id="outcomes"><h2>2. Outcome patterns by kind of group</h2>', _outcomes_by_era(d),
           '<h3 id="outcomes-band">A secondary summary: the cross-era summary band (a named convention)</h3>',
           '<p class="band-note">The figures below are the cross-era summary band, a named convention '
           "(<code>school_groups/thresholds.toml</code>, key <code>cross_era_band</code>) that reads judgements from "
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
    # a kind whose every group is too small is drawn as a row that says so, never silently left out
    too_few = "too few schools in any group to show"
    hidden = [kind_label(r["group_kind"]) for r in rows if r not in drawable]
    why = (f" {', '.join(hidden)}: every group has {_suppress_rule(d)} schools with a judgement, too few to show."
           if hidden else "")
    stacked = [StackedRow(kind_label(r["group_kind"]), [(b, r.get(f"share_{b}")) for b in BANDS],
                          f"{n(r.get('schools_with_evidence'))} schools in {n(r.get('groups_reported'))} groups"
                          if r in drawable else f"{n(r.get('groups'))} groups", empty=too_few)
               for r in rows]
    title = "Cross-era summary band (a convention): latest judgements of current schools by band, by kind of group"
    svg = charts.dual(charts.stacked_bar_chart, stacked, title=title, segment_labels=BANDS,
                                   desc="Stacked horizontal bars, one per kind of group; segments are the shares of "
                                        "schools in each outcome band.")
    numbers = details_table(
        ["Kind of group", "Groups", "Groups reported", "Schools with a judgement (reported groups)",
         "Strong", "Secure", "Improvement needed", "Serious concern"],
        [[kind_label(r["group_kind"]), n(r.get("groups")), n(r.get("groups_reported")),
          n(r.get("schools_with_evidence"))] + [p1(r.get(f"share_{b}")) for b in BANDS] for r in rows],
        numeric=set(range(1, 8)))
    out.append(figure(svg, esc(title) + "<span class=sub>Weighted by schools; view: all current schools; bands: the "
                      "cross-era summary band (a named convention, not the default view)." + esc(why) + "</span>", numbers))

    spread = [r for r in drawable if _num(r.get("gob_p50"))]
    if spread:
        frows = [ForestRow(kind_label(r["group_kind"]), r.get("gob_p50"), r.get("gob_p25"), r.get("gob_p75"),
                           note=f"{n(r.get('groups_reported'))} groups" if r in spread else "too few schools in any group to show")
                 for r in rows]
        title = "Cross-era summary band (a convention): spread across groups of the share of each group's schools good or better"
        svg = charts.dual(charts.forest_plot, frows, title=title,
                                 desc="For each kind of group, the median group's share good or better, with a bar "
                                      "from the lower to the upper quartile of groups.",
                                 style=ForestStyle(estimate_label="median group; band: middle half of groups",
                                                   spread=True))
        numbers = details_table(
            ["Kind of group", "Groups reported", "Lower quartile", "Median", "Upper quartile",
             "Groups with any school in serious concern", "Groups with a school in a category of concern"],
            [[kind_label(r["group_kind"]), n(r.get("groups_reported")), p1(r.get("gob_p25")), p1(r.get("gob_p50")),
              p1(r.get("gob_p75")),
              f"{n(r.get('groups_any_serious_concern'))} of {n(r.get('groups_reported'))}",
              f"{n(r.get('groups_with_category_of_concern'))} of {n(r.get('groups_concern_known'))}"]
             for r in rows], numeric={1, 2, 3, 4, 5, 6})
        out.append(figure(svg, esc(title) + "<span class=sub>Good or better: the strong or secure band of the "
                          "cross-era summary band. Groups differ: the shaded band shows the middle half of groups "
                          "of each kind, not a statistical interval.</span>", numbers))
    out.append("</section>")
    return "".join(out)
