"""The group profiles, each on a page of its own, and one index page that finds them.

Two hundred profiles on the main page made it 80,000 px tall, so each sampled group gets its own
page (``groups-<period>/<key>.html``) headed by its ``display_name`` (unique: no two groups share a
heading), and ``groups-<period>/index.html`` lists them all with a search box (a few lines of inline
script; without it the list is still a plain table to scroll or search with the browser). The main
page links to the index. Pure functions: data in, markup out; ``build`` writes the files.
"""

from __future__ import annotations

import re

from .formatting import esc, fmt_pct, safe_file_part
from .html_parts import n, table, wrap_table
from .labels import _num, kind_label, kind_sort_key
from .page_shell import html_page
from .profile_facts import KIND_SINGULAR
from .profiles import group_profile
from .report_data import ReportData, SampledGroup
from .signal_words import signal_name, signal_rule, signal_type

SEARCH_SCRIPT = ("var q=document.getElementById('group-search');q.hidden=false;q.addEventListener('input',function(){"
                 "var t=q.value.toLowerCase();document.querySelectorAll('#group-list tbody tr').forEach(function(r){"
                 "r.hidden=t!==''&&r.textContent.toLowerCase().indexOf(t)<0;});});")


def groups_dir(period: str) -> str:
    """The folder of a period's profile pages, beside the main page."""
    return f"groups-{safe_file_part(period)}"


def group_file(group_key: str) -> str:
    """A group's page name, from its key (unique by construction): 'gias:1234' -> 'gias-1234.html'."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(group_key)).strip("-") + ".html"


def group_href(period: str, group_key: str) -> str:
    """The link from the main page to a group's page."""
    return f"{groups_dir(period)}/{group_file(group_key)}"


def _header(d: ReportData, heading: str, lead: str) -> str:
    main = f"../report-{safe_file_part(d.period)}.html"
    return ('<header class="page"><p class="small">School groups in England · patterns report · '
            f'<a href="{esc(main)}">the main report for {esc(d.period)}</a> · <a href="index.html">all profiles</a></p>'
            f"<h1>{esc(heading)}</h1><p class=small>{esc(lead)}</p></header>")


def index_page(d: ReportData) -> str:
    """Every sampled group, by name, with its kind and stratum, linked to its page."""
    rows = []
    for g in sorted(d.sampled, key=lambda g: (kind_sort_key(g.facts.group_kind), g.facts.heading.casefold())):
        f = g.facts
        rows.append(f'<tr><th scope="row"><a href="{esc(group_file(f.group_key))}">{esc(f.heading)}</a></th>'
                    f"<td>{esc(kind_label(f.group_kind))}</td><td>{esc(g.stratum or '')}</td>"
                    f'<td class="num">{len(f.signals)}</td></tr>')
    head = "".join(f'<th scope="col"{" class=num" if i == 3 else ""}>{h}</th>'
                   for i, h in enumerate(("Group", "Kind", "Sampled from", "Signals")))
    body = ('<main><p>One page for each of the groups drawn at random for the sample of '
            f"{esc(d.period)}, listed by kind of group and name (not by any outcome). A profile describes "
            "patterns across a group's schools; it does not grade the group.</p>"
            '<input type="search" class="search" id="group-search" hidden aria-label="Find a group by name" '
            'placeholder="Find a group by name">'
            + wrap_table(f'<table id="group-list"><caption>Sampled groups, {esc(d.period)}</caption>'
                         f'<thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>') + "</main>")
    title = f"Profiles of sampled groups: {d.period}"
    return html_page(title, _header(d, title, f"{len(d.sampled)} groups") + body, d.provenance,
                     script=SEARCH_SCRIPT)


def _signals(d: ReportData, g: SampledGroup) -> str:
    if not g.facts.signals:
        return "<p>No signal fired for this group.</p>"
    stale = d.setting("stale_after_years")
    items = []
    for s in g.facts.signals:
        evidence = [e for e in (s.get("evidence") or []) if isinstance(e, dict)]
        ev = "".join(f"<li>School URN {esc(e.get('urn'))}, inspection {esc(e.get('inspection_number'))}: "
                     f"{esc(e.get('detail'))}</li>" for e in evidence)
        ev_html = (f"<details><summary>The {len(evidence)} school{'s' if len(evidence) != 1 else ''} it rests "
                   f'on</summary><ul class="evidence">{ev}</ul></details>') if evidence else ""
        items.append(f"<li><strong>{esc(signal_name(s.get('signal')))}</strong> "
                     f"({esc(signal_type(s.get('signal_type')).lower())}). {esc(signal_rule(s, stale))}{ev_html}</li>")
    return ("<p>A signal is a reason to look closer or a pattern worth learning from; it is not a judgement of "
            f"the group.</p><ul class=signals>{''.join(items)}</ul>")


def _numbers(g: SampledGroup) -> str:
    """The codes, for readers who check against the downloadable tables."""
    f = g.facts
    rows = [["Warehouse group key", f.group_key], ["Name as published", f.group_name],
            ["Kind (code)", f.group_kind], ["Sampling stratum", g.stratum or ""],
            ["Chance of selection", fmt_pct(g.inclusion_probability, 1) if _num(g.inclusion_probability) else "n/a"],
            ["Design weight", n(g.design_weight, 2)]]
    rows += [[f"Signal {s.get('signal')}", f"{s.get('rule') or ''} (value {n(s.get('metric'), 3)}, threshold "
              f"{n(s.get('threshold'), 3)})"] for s in f.signals]
    return f"<details><summary>The codes behind this profile</summary>{table(['Field', 'Value'], rows)}</details>"


def group_page(d: ReportData, g: SampledGroup) -> str:
    f = g.facts
    lead = KIND_SINGULAR.get(f.group_kind, kind_label(f.group_kind))
    if g.stratum:
        lead += f" · drawn from: {g.stratum}"
    if _num(g.inclusion_probability):
        lead += f" · chance of selection {fmt_pct(g.inclusion_probability)}"
    sentences = group_profile(f, d.setting("stale_after_years"))
    body = (f'<main><article class="profile" id="group-{esc(f.group_key)}">'
            f'<h2 style="border:0">Patterns across its schools</h2><p class="profile-text">{esc(" ".join(sentences))}</p>'
            f"<h2>Signals</h2>{_signals(d, g)}{_numbers(g)}</article></main>")
    return html_page(f"{f.heading}: group profile, {d.period}", _header(d, f.heading, lead) + body, d.provenance)
