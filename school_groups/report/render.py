"""Render the readers' report: :class:`ReportData` in, one self-contained HTML page out.

Pure functions, no I/O and no Dagster. The page has inline CSS, inline SVG charts (see
``charts``) and no JavaScript, fonts, images or links to anything outside itself, so it opens
the same from ``file://`` on a machine with no network. Every chart sits in a ``<figure>``
with a ``<figcaption>`` and the numbers behind it in a table under ``<details>``.

This module holds the page itself (head, styles, header, how to read, contents, footer); each
numbered section is built in its own ``section_*`` module, from :class:`ReportData`.
"""

from __future__ import annotations

from .charts import esc
from .labels import _num, kind_label
from .report_data import ReportData, SampledGroup
from .section_improvement_evidence import _evidence, _improvement
from .section_outcomes import _outcomes
from .section_sample import _estimates, _profiles, _signals, _thresholds
from .section_trends import _trends, family_changes, series_points

__all__ = ["ReportData", "SampledGroup", "family_changes", "kind_label", "render_report", "series_points"]


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
