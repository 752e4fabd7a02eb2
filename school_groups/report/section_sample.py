"""Sections 5 to 7 of the page and the thresholds table: sample estimates against the census, profiles
of the sampled groups, the signals that fired for them, and the settings the figures used."""

from __future__ import annotations

from . import charts
from .charts import ForestRow, ForestStyle, esc, fmt_pct
from .html_parts import details_table, figure, n, no_data, p1, table
from .labels import SIGNAL_TYPES, _num, kind_label
from .profile_facts import KIND_SINGULAR
from .profiles import group_profile
from .report_data import ReportData


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
