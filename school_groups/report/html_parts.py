"""HTML building blocks of the page: tables, the table of numbers behind a chart, figures, the note
for missing data, and numbers, shares, differences and counts written for readers ("n/a" if missing)."""

from __future__ import annotations

from . import charts
from .charts import esc, fmt_num, fmt_pct
from .labels import _num


def table(headers: list[str], rows: list[list[object]], caption: str = "", numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            cls = ' class="num"' if i in numeric else ""
            tag = "th" if i == 0 else "td"
            scope = ' scope="row"' if i == 0 else ""
            cells.append(f"<{tag}{scope}{cls}>{esc(cell)}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return wrap_table(f'<table>{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')


def wrap_table(markup: str) -> str:
    """A table in its own scroll box: a wide table scrolls inside it, never the page on a phone."""
    return f'<div class="table-wrap">{markup}</div>'


def details_table(headers: list[str], rows: list[list[object]], numeric: set[int] | None = None,
                  summary: str = "The numbers behind this chart") -> str:
    return f"<details><summary>{esc(summary)}</summary>{table(headers, rows, numeric=numeric)}</details>"


def figure(svg: str, caption: str, numbers: str, anchor: str = "") -> str:
    """A chart (``svg``: one drawing, or both from ``charts.dual``) with its caption and numbers;
    ``anchor``: the figure's id, for links to it (the key findings)."""
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return f'<figure{ident}><figcaption>{caption}</figcaption><div class="chart-box">{svg}</div>{numbers}</figure>'


def no_data(text: str) -> str:
    return f'<p class="no-data">{esc(text)}</p>'


def n(v, digits: int = 0) -> str:
    return fmt_num(v, digits) if _num(v) else "n/a"


def p1(v) -> str:
    return fmt_pct(v, 1) if _num(v) else "n/a"


def pp(v, unit: bool = True) -> str:
    """A difference of shares in percentage points, signed."""
    text = charts.fmt_points(v, 1) if _num(v) else "n/a"
    return text if unit else text.removesuffix(" pts")


def _schools(count) -> str:
    return f"{n(count)} school{'' if count == 1 else 's'}"


def _groups(count) -> str:
    return f"{n(count)} group{'' if count == 1 else 's'}"
