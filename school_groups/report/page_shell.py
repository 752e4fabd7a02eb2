"""The frame every page of the report shares (the main page, the index of group profiles and each
profile): the document head with its inline styles, the synthetic-data banner first of all, then
the body, then the footer with the data's provenance. No page loads anything from outside itself.

The styles are responsive: at phone widths (below 760 px) every chart is swapped for its narrow
drawing (``figure`` in ``html_parts`` holds both), tables scroll inside their own wrappers, and
long names wrap, so the page itself never scrolls sideways.
"""

from __future__ import annotations

from .formatting import esc
from .provenance import Provenance, banner, footer_text, title_suffix

NARROW = 759   # px: at or below this viewport width the narrow chart drawings are shown

CSS = """
:root{--ink:#1a1a1a;--muted:#555;--rule:#d0d0d0;--accent:#0072B2;--bg:#fff;--panel:#f6f6f4}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;overflow-wrap:break-word}
main,header.page,footer.page{max-width:960px;margin:0 auto;padding:0 20px}
header.page{padding-top:24px;border-bottom:4px solid var(--accent);padding-bottom:12px}
.synthetic-banner{margin:0;padding:10px 20px;background:#fff4ce;border-bottom:2px solid #8a6d00;color:#111;text-align:center}
h1{font-size:1.9rem;line-height:1.2;margin:.2em 0}
h2{font-size:1.4rem;margin:1.8em 0 .4em;border-top:1px solid var(--rule);padding-top:.8em}
h3{font-size:1.1rem;margin:1.2em 0 .2em}
code{overflow-wrap:anywhere}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:.6em 0;color:var(--muted)}
dl.meta dt{font-weight:600;color:var(--ink)}dl.meta dd{margin:0;min-width:0}
nav ol{columns:2;padding-left:1.2em;margin:.4em 0}
.how-to-read,.findings{background:var(--panel);border-left:4px solid var(--accent);padding:8px 16px;margin:16px 0}
.findings h2,.how-to-read h2{border:0;margin-top:.3em;padding:0}
.findings li{margin:.4em 0}.findings .evidence-age{color:var(--muted);font-size:.9rem}
figure{margin:16px 0 24px;padding:0}
figcaption{font-weight:600;margin-bottom:6px}
figcaption .sub{display:block;font-weight:400;color:var(--muted);font-size:.9rem}
figcaption .synthetic-note{color:#6b5300;font-weight:600}
.chart-box svg{max-width:100%;height:auto;display:block}
.chart-narrow{display:none}
details{margin:6px 0 0;font-size:.9rem}
summary{cursor:pointer;color:var(--accent)}
.table-wrap{max-width:100%;overflow-x:auto;margin:8px 0}
table{border-collapse:collapse;margin:0;font-size:.88rem;width:100%}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--rule);padding:4px 8px;text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink)}
.num{text-align:right;font-variant-numeric:tabular-nums}
.no-data{color:var(--muted);font-style:italic}
.group-meta{color:var(--muted);font-size:.88rem;margin:0}
ul.evidence{margin:0;padding-left:1.1em}
.small{font-size:.88rem;color:var(--muted)}
input.search{font:inherit;padding:6px 8px;width:100%;max-width:420px;margin:8px 0}
@media (max-width:%NARROW%px){.chart-wide{display:none}.chart-narrow{display:block}nav ol{columns:1}
h1{font-size:1.5rem}dl.meta{grid-template-columns:1fr}main,header.page,footer.page{padding:0 12px}}
@media print{h2{break-before:auto}details{display:block}details>*{display:block}}
""".replace("%NARROW%", str(NARROW))


def html_page(title: str, body: str, provenance: Provenance, footer_extra: str = "", script: str = "") -> str:
    """A whole page: head, the synthetic banner (if any), ``body`` (a header and ``<main>``), the footer."""
    footer = (f'<footer class="page"><p class="small">{esc(footer_text(provenance))} {footer_extra} '
              "This page is self-contained and works offline.</p></footer>")
    tail = f"<script>{script}</script>" if script else ""
    return ("<!DOCTYPE html>\n"
            '<html lang="en-GB"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title + title_suffix(provenance))}</title>"
            f"<style>{CSS}</style></head><body>{banner(provenance)}{body}{footer}{tail}</body></html>\n")
