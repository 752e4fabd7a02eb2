"""Render the readers' report: :class:`ReportData` in, the main HTML page out.

Pure functions, no I/O and no Dagster. The page has inline CSS, inline SVG charts (see
``charts``) and no JavaScript, fonts or images; its only links outside itself go to the group
profile pages written beside it (``profile_pages``), so it opens the same from ``file://`` on a
machine with no network. Every chart sits in a ``<figure>`` with a ``<figcaption>`` and the
numbers behind it in a table under ``<details>``.

This module holds the page itself (header, key findings, how to read, contents); the frame every
page shares (styles, banner, footer) is ``page_shell``, and each numbered section is built in its
own ``section_*`` module, from :class:`ReportData`.
"""

from __future__ import annotations

from .charts import esc
from .findings import findings_section
from .labels import kind_label, sentence_case
from .page_shell import html_page
from .provenance import caption_note, source_words
from .report_data import ReportData, SampledGroup
from .section_improvement_evidence import _evidence, _improvement
from .section_methods import _methods
from .section_outcomes import _outcomes
from .section_sample import _estimates, _profiles, _signals
from .section_trends import _trends, family_changes, series_points

__all__ = ["ReportData", "SampledGroup", "family_changes", "kind_label", "render_report", "series_points"]


def _header(d: ReportData) -> str:
    as_at = d.as_at.strftime("%d %B %Y").lstrip("0") if d.as_at else "not known"
    synthetic = " (synthetic data)" if d.provenance.synthetic else ""
    return (
        '<header class="page">'
        f'<p class="small">School groups in England · patterns report</p>'
        f"<h1>How schools in groups are doing: {esc(d.period)}{esc(synthetic)}</h1>"
        '<dl class="meta">'
        f"<dt>Period</dt><dd>{esc(d.period)}</dd>"
        f"<dt>Data as at</dt><dd>{esc(as_at)} (the newest inspection snapshot)</dd>"
        f"<dt>Data source</dt><dd>{esc(sentence_case(source_words(d.provenance)))}</dd>"
        f"<dt>Publication run</dt><dd><code>{esc(d.run_id or 'not recorded')}</code></dd>"
        f"<dt>Published</dt><dd>{esc(d.published_at or 'not recorded')}</dd>"
        "</dl></header>"
    )


def _how_to_read() -> str:
    return (
        '<section class="how-to-read" id="how-to-read" aria-labelledby="how-to-read-h">'
        '<h2 id="how-to-read-h">How to read this report</h2><ul>'
        "<li><strong>No single-word grades for groups.</strong> Ofsted judges schools, not trusts or local "
        "authorities. This report describes patterns across a group's schools; it does not grade or rank groups.</li>"
        "<li><strong>Ofsted's frameworks apart.</strong> Ofsted's own measures keep their own words: “good or "
        "outstanding” up to November 2025, report-card grades after; trend lines stop where a framework or the data "
        'source changes (see <a href="#methods">Methods and breaks</a>).</li>'
        "<li><strong>Estimates come from a sample.</strong> Section 5 and the profiles cover a random sample of groups; "
        "estimates carry 95% intervals, the range that would cover the true value in 95 of 100 such samples. "
        "Small groups' shares are suppressed.</li>"
        "</ul></section>"
    )


def _nav() -> str:
    items = [("findings", "Key findings"), ("trends", "System trends over time"), ("outcomes", "Outcome patterns by kind of group"),
             ("improvement", "Schools that joined after a weak judgement"), ("evidence", "How old the evidence is"),
             ("estimates", "Sample estimates against the census"), ("profiles", "Profiles of sampled groups"),
             ("signals", "Signals for sampled groups"), ("methods", "Methods and breaks")]
    lis = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in items)
    return f'<nav aria-label="Contents"><ol>{lis}</ol></nav>'


def render_report(d: ReportData) -> str:
    """The main page as one string (the group profiles are pages of their own: ``profile_pages``)."""
    sections = "".join([_trends(d), _outcomes(d), _improvement(d), _evidence(d), _estimates(d), _profiles(d),
                        _signals(d), _methods(d)])
    # every chart caption says the data are synthetic, so a chart copied alone still says so
    sections = sections.replace("</figcaption>", caption_note(d.provenance) + "</figcaption>")
    body = "".join([_header(d), "<main>", findings_section(d), _how_to_read(), _nav(), sections, "</main>"])
    others = [p for p in d.periods if p != d.period]
    more = f"Other periods published: {esc(', '.join(others))}." if others else ""
    return html_page(f"School groups patterns report: {d.period}", body, d.provenance, more)
