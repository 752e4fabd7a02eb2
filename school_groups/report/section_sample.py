"""Sections 5 to 7 of the main page: sample estimates against the census, the sampled groups (their
profiles are pages of their own, see ``profile_pages``) and the signals that fired for them."""

from __future__ import annotations

from . import charts
from .charts import ForestRow, ForestStyle, esc
from .html_parts import details_table, figure, n, no_data, p1, wrap_table
from .labels import _num, kind_label, kind_sort_key
from .profile_facts import KIND_SINGULAR, join_words
from .profile_pages import group_href, groups_dir
from .report_data import ReportData
from .settings_words import indicator_label
from .signal_words import signal_name, signal_rule, signal_type


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
    frows = [ForestRow(indicator_label(r, d.settings), r.get("estimate"), r.get("ci_low"),
                       r.get("ci_high"), r.get("census_value")) for r in rows]
    title = f"Sample estimates with 95% intervals and census values, {d.period}"
    svg = charts.dual(charts.forest_plot, frows, title=title,
                             desc="Dot-and-interval plot, one row per indicator; an outlined diamond, drawn over the "
                                  "estimate, marks the census value.",
                             style=ForestStyle(percent=shares, per_row_scale=not shares))
    numbers = details_table(
        ["Indicator", "Estimate", "Standard error", "95% interval", "Census", "Census inside interval", "Code"],
        [[indicator_label(r, d.settings),
          p1(r.get("estimate")) if shares else n(r.get("estimate"), 3),
          p1(r.get("standard_error")) if shares else n(r.get("standard_error"), 3),
          (f"{p1(r.get('ci_low'))} to {p1(r.get('ci_high'))}" if shares
           else f"{n(r.get('ci_low'), 3)} to {n(r.get('ci_high'), 3)}"),
          p1(r.get("census_value")) if shares else n(r.get("census_value"), 3),
          {True: "yes", False: "no"}.get(r.get("census_in_interval"), "n/a"), r.get("indicator")] for r in rows],
        numeric={1, 2, 3, 4})
    sub = "" if shares else " Indicators are on different scales, so each row has its own axis."
    out.append(figure(svg, esc(title) + f"<span class=sub>{esc(sub.strip())}</span>", numbers, "fig-estimates"))
    out.append("</section>")
    return "".join(out)


def _profiles(d: ReportData) -> str:
    """Section 6 on the main page: how many groups were drawn, and a link to the index of their own pages."""
    out = ['<section id="profiles"><h2>6. Profiles of sampled groups</h2>']
    if not d.sampled:
        return "".join(out) + no_data(f"No groups were sampled for {d.period}.") + "</section>"
    kinds: dict[str, int] = {}
    for g in d.sampled:
        kinds[g.facts.group_kind] = kinds.get(g.facts.group_kind, 0) + 1
    counts = join_words([f"{c} {kind_label(k).lower() if c != 1 else KIND_SINGULAR.get(k, kind_label(k))}"
                         for k, c in sorted(kinds.items(), key=lambda kv: kind_sort_key(kv[0]))])
    out.append(f"<p>{len(d.sampled)} groups were drawn at random for the {esc(d.period)} sample ({esc(counts)}). "
               "Each has a short profile on a page of its own, describing patterns across the group's schools "
               "from the published data; none grades the group. "
               f'<a href="{esc(groups_dir(d.period))}/index.html">Find a group in the index of profiles</a>.</p>')
    out.append("</section>")
    return "".join(out)


def _signals(d: ReportData) -> str:
    """Section 7: each signal that fired for sampled groups, in words, with links to those groups' pages."""
    out = ['<section id="signals"><h2>7. Signals for sampled groups</h2>',
           "<p>Rules that fired for sampled groups. A signal is a reason to look closer or a pattern worth "
           "learning from; it is not a judgement of the group. Each group's page lists the schools behind it.</p>"]
    fired: dict[str, list] = {}
    for g in d.sampled:
        for s in g.facts.signals:
            fired.setdefault(s.get("signal") or "", []).append((g, s))
    if not fired:
        return "".join(out) + no_data("No signal fired for the sampled groups.") + "</section>"
    stale = d.setting("stale_after_years")
    body = []
    for signal, hits in sorted(fired.items(), key=lambda kv: (kv[1][0][1].get("signal_type") != "targeting", kv[0])):
        links = ", ".join(f'<a href="{esc(group_href(d.period, g.facts.group_key))}">{esc(g.facts.heading)}</a>'
                          for g, _ in sorted(hits, key=lambda h: h[0].facts.heading.casefold()))
        first = hits[0][1]
        body.append(f'<tr><th scope="row">{esc(signal_name(signal))}</th><td>{esc(signal_type(first.get("signal_type")))}'
                    f"</td><td>{esc(signal_rule(first, stale))}</td><td class=num>{len(hits)}</td><td>{links}</td></tr>")
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Signal", "Kind of signal", "What it means", "Groups",
                                                         "Sampled groups it fired for"))
    out.append(wrap_table(f"<table><caption>Signals for sampled groups, {esc(d.period)}</caption><thead><tr>{head}"
                          f"</tr></thead><tbody>{''.join(body)}</tbody></table>"))
    out.append(details_table(["Group", "Signal (code)", "Rule as published", "Value", "Threshold"],
                             [[g.facts.heading, s.get("signal"), s.get("rule"), _metric(s.get("metric")),
                               _metric(s.get("threshold"))] for hits in fired.values() for g, s in hits],
                             summary="The codes behind these signals"))
    out.append("</section>")
    return "".join(out)


def _metric(v) -> str:
    if not _num(v):
        return "n/a"
    return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
