"""Inline SVG chart builders: data in, an ``<svg>`` string out. No JavaScript, no external files.

Every chart is self-contained markup meant to sit inside a ``<figure>``: it carries a
``<title>`` and ``<desc>`` (referenced by ``aria-labelledby``), a ``viewBox`` so it scales to
the page, and one element with class ``mark`` per data value (a point, a bar segment, an
interval), each with its own ``<title>`` tooltip and a ``data-value`` attribute. Colours come
from the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies); line
series also differ by dash pattern and marker shape, so colour is never the only cue.

All text passes through :func:`esc`, so names with ``& < > "`` or typographic quotes are safe.
"""

from __future__ import annotations

import hashlib
import html
import math
from dataclasses import dataclass, field
from datetime import date

# Okabe-Ito, without yellow (too pale on white for thin lines).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square", "triangle")
# Outcome bands, light to dark would imply an order of merit; these four stay distinguishable.
BAND_COLOURS = {
    "strong": "#0072B2",
    "secure": "#56B4E9",
    "improvement_needed": "#E69F00",
    "serious_concern": "#A23B0B",   # darker than orange, so it differs in lightness too
}
# Report-card grades: an ordered five-point scale of its own (never mapped onto earlier grades).
GRADE_COLOURS = {
    "Exceptional": "#0072B2",
    "Strong standard": "#56B4E9",
    "Expected standard": "#009E73",
    "Needs attention": "#E69F00",
    "Urgent improvement": "#A23B0B",
    "Met": "#0072B2",
    "Not met": "#A23B0B",
}
BREAK_COLOUR = "#555555"
INK = "#1a1a1a"
GRID = "#d0d0d0"
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"


def esc(value: object) -> str:
    """Text or attribute value, HTML-escaped (quotes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def fmt_pct(value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    text = f"{value * 100:.{digits}f}%"
    return text[1:] if text.startswith("-") and not text.strip("-0.%") else text   # no "-0%"


def fmt_points(value: float | None, digits: int = 0) -> str:
    """A difference of two shares, in signed percentage points ("+12 pts", "−3 pts")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    text = f"{value * 100:+.{digits}f}"
    if not text.strip("+-0."):
        text = text[1:]
    return text.replace("-", "−") + " pts"


def fmt_num(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if digits == 0:
        return f"{round(value):,}"
    return f"{value:,.{digits}f}"


def _f(x: float) -> str:
    """A coordinate, short."""
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def _is_num(v: object) -> bool:
    return isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v))


def nice_ticks(lo: float, hi: float, target: int = 5) -> list[float]:
    """Round tick values covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(target, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t <= hi + step * 1e-9:
        if t >= lo - step * 1e-9:
            ticks.append(round(t, 10))
        t += step
    if len(ticks) < 4 and target < 12:      # too few to read the axis by: ask for more
        return nice_ticks(lo, hi, target * 2)
    return ticks


def _svg_open(width: int, height: int, title: str, desc: str, kind: str) -> tuple[str, str]:
    # ids from the content, so the same data renders to the same bytes
    uid = "chart-" + hashlib.sha1(f"{kind}\0{title}\0{desc}".encode()).hexdigest()[:10]
    head = (
        f'<svg class="chart chart-{kind}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'style="{FONT};font-size:12px" data-chart="{kind}">'
        f'<title id="{uid}-title">{esc(title)}</title><desc id="{uid}-desc">{esc(desc)}</desc>'
    )
    return uid, head


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.0, extra: str = "") -> str:
    if shape == "square":
        return (f'<rect x="{_f(x - size)}" y="{_f(y - size)}" width="{_f(2 * size)}" height="{_f(2 * size)}" '
                f'fill="{colour}" {extra}>')
    if shape == "triangle":
        pts = f"{_f(x)},{_f(y - size - 1)} {_f(x - size - 1)},{_f(y + size)} {_f(x + size + 1)},{_f(y + size)}"
        return f'<polygon points="{pts}" fill="{colour}" {extra}>'
    if shape == "diamond":
        s = size + 1
        pts = f"{_f(x)},{_f(y - s)} {_f(x + s)},{_f(y)} {_f(x)},{_f(y + s)} {_f(x - s)},{_f(y)}"
        return f'<polygon points="{pts}" fill="{colour}" {extra}>'
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(size)}" fill="{colour}" {extra}>'


def _close_marker(shape: str) -> str:
    return {"square": "</rect>", "triangle": "</polygon>", "diamond": "</polygon>"}.get(shape, "</circle>")


def _wrap_label(text: str, max_chars: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > max_chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:2] if len(lines) <= 2 else [lines[0], " ".join(lines[1:])[: max_chars - 1] + "…"]


# --------------------------------------------------------------------------- line chart

@dataclass
class Series:
    name: str
    points: list[tuple[date, float | None]]
    colour: str | None = None


def _break_rows(xs_labels: list[tuple[float, str]], right_edge: float) -> list[tuple[int, str]]:
    """Label row (0 = top) and text anchor of each break label, so labels of close breaks do not overlap."""
    row_ends: list[float] = []          # right-most x used so far in each row
    placed = []
    for x, label in xs_labels:
        w = 6.3 * len(label) + 8
        start, end, anchor = x + 3, x + 3 + w, "start"
        if end > right_edge:            # near the right edge: the label runs leftwards from the line
            start, end, anchor = x - 3 - w, x - 3, "end"
        row = next((i for i, used in enumerate(row_ends) if start > used), len(row_ends))
        if row == len(row_ends):
            row_ends.append(end)
        else:
            row_ends[row] = end
        placed.append((row, anchor))
    return placed


def line_chart(series: list[Series], *, title: str, desc: str, y_label: str = "",
               y_domain: tuple[float, float] | None = None, percent: bool = True,
               width: int = 720, height: int = 300, breaks: list[tuple[date, str]] | None = None) -> str:
    """Several series of values over dates, one line and one marker per value.

    A None value breaks a line: the points before and after it are not joined. Points are taken in
    date order (a stable sort), so a None given just before a point of the same date breaks the line
    at that date. ``breaks``: (date, short label) pairs drawn as vertical dashed markers (a change of
    framework or of data source); their dates widen the time axis if need be.
    """
    breaks = sorted({(d, label) for d, label in (breaks or [])}, key=lambda b: (b[0], b[1]))
    left, right, bottom = 56, 200, 44
    data_dates = sorted({d for s in series for d, _ in s.points})
    dates = data_dates
    axis_dates = sorted(set(data_dates) | {d for d, _ in breaks})
    d0 = axis_dates[0].toordinal() if axis_dates else 0
    d1 = axis_dates[-1].toordinal() if axis_dates else 1
    pw0 = width - left - right

    def sx(d: date) -> float:
        if d1 == d0:
            return left + pw0 / 2
        return left + (d.toordinal() - d0) / (d1 - d0) * pw0

    placed = _break_rows([(sx(d), label) for d, label in breaks], left + pw0 + right - 8)
    label_rows = 1 + max((row for row, _ in placed), default=-1)
    top = 18 + 14 * label_rows
    height += 14 * label_rows
    pw, ph = pw0, height - top - bottom
    values = [v for s in series for _, v in s.points if _is_num(v)]
    if y_domain is None:
        lo = min(values, default=0.0)
        hi = max(values, default=1.0)
        pad = (hi - lo) * 0.1 or 0.05
        lo, hi = lo - pad, hi + pad
        if percent:
            lo, hi = max(0.0, math.floor(lo * 10) / 10), min(1.0, math.ceil(hi * 10) / 10)
            if hi <= lo:
                lo, hi = 0.0, 1.0
        y_domain = (lo, hi)
    y0, y1 = y_domain

    def sy(v: float) -> float:
        return top + ph - (v - y0) / (y1 - y0) * ph

    fmt = (lambda v: fmt_pct(v)) if percent else (lambda v: fmt_num(v))
    uid, out = _svg_open(width, height, title, desc, "line")
    parts = [out]
    for t in nice_ticks(y0, y1, 5):
        y = sy(t)
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y)}" y2="{_f(y)}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{_f(y + 4)}" text-anchor="end" fill="{INK}">{esc(fmt(t))}</text>')
    min_gap = 76                       # pixels between date labels, so they never overlap
    shown: list[date] = []
    for d in dates:
        if not shown or sx(d) - sx(shown[-1]) >= min_gap:
            shown.append(d)
    if dates and dates[-1] not in shown:   # the newest date is always labelled
        while shown and sx(dates[-1]) - sx(shown[-1]) < min_gap:
            shown.pop()
        shown.append(dates[-1])
    for d in shown:
        x = sx(d)
        parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{top + ph}" y2="{top + ph + 5}" stroke="{INK}"/>')
        parts.append(f'<text x="{_f(x)}" y="{top + ph + 18}" text-anchor="middle" fill="{INK}">'
                     f'{esc(d.strftime("%d %b %Y").lstrip("0"))}</text>')
    parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="{INK}"/>')
    if y_label:
        parts.append(f'<text x="14" y="{_f(top + ph / 2)}" transform="rotate(-90 14 {_f(top + ph / 2)})" '
                     f'text-anchor="middle" fill="{INK}">{esc(y_label)}</text>')
    for (d, label), (row, anchor) in zip(breaks, placed):
        x = sx(d)
        ly = 14 + 14 * row
        tx = x + 3 if anchor == "start" else x - 3
        tip = f"{label} ({d.strftime('%d %b %Y').lstrip('0')})"
        parts.append(f'<g class="break-marker" data-break-date="{d.isoformat()}" data-break-label="{esc(label)}">'
                     f'<title>{esc(tip)}</title>'
                     f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{ly - 10}" y2="{top + ph}" stroke="{BREAK_COLOUR}" '
                     f'stroke-width="1.2" stroke-dasharray="5 4"/>'
                     f'<text x="{_f(tx)}" y="{ly}" text-anchor="{anchor}" fill="{BREAK_COLOUR}" font-size="11">'
                     f'{esc(label)}</text></g>')
    legend_y = top + 10
    for i, s in enumerate(series):
        colour = s.colour or PALETTE[i % len(PALETTE)]
        dash = DASHES[i % len(DASHES)]
        shape = MARKERS[i % len(MARKERS)]
        pts = sorted(s.points, key=lambda p: p[0])
        segments, current = [], []
        for d, v in pts:
            if _is_num(v):
                current.append((sx(d), sy(v), v, d))
            elif current:
                segments.append(current)
                current = []
        if current:
            segments.append(current)
        for seg in segments:
            if len(seg) > 1:
                path = "M" + " L".join(f"{_f(x)},{_f(y)}" for x, y, _, _ in seg)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                values = ",".join(f"{v:.6g}" for _, _, v, _ in seg)
                seg_dates = ",".join(d.isoformat() for _, _, _, d in seg)
                parts.append(f'<path class="mark series-line" d="{path}" fill="none" stroke="{colour}" '
                             f'stroke-width="2.2"{dash_attr} data-value="{values}" data-series="{esc(s.name)}" '
                             f'data-dates="{seg_dates}"/>')
        for d, v in pts:
            if not _is_num(v):
                continue
            tip = f"{s.name}, {d.isoformat()}: {fmt(v)}"
            parts.append(_marker(shape, sx(d), sy(v), colour, 4.0,
                                 f'class="mark point" data-value="{v:.6g}" data-series="{esc(s.name)}" '
                                 f'data-date="{d.isoformat()}"')
                         + f"<title>{esc(tip)}</title>" + _close_marker(shape))
        ly = legend_y
        lx = left + pw + 16
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{lx}" x2="{lx + 28}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2.2"{dash_attr}/>')
        parts.append(_marker(shape, lx + 14, ly, colour, 3.5, "") + _close_marker(shape))
        label_lines = _wrap_label(s.name, 22)
        for j, line in enumerate(label_lines):
            parts.append(f'<text x="{lx + 34}" y="{ly + 4 + j * 13}" fill="{INK}">{esc(line)}</text>')
        legend_y += 10 + 13 * len(label_lines)
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- stacked bars

@dataclass
class StackedRow:
    label: str
    segments: list[tuple[str, float | None]]   # (segment key, share 0-1)
    note: str = ""                               # e.g. "1,234 schools"
    heading: str = ""                            # a group heading drawn above this row (e.g. a kind of group)
    empty: str = ""                              # written in place of the bar when no segment has a share


HEADING_H = 22


def _row_tops(rows: list, top: float, row_h: float, gap: float) -> tuple[list[float], float]:
    """The y of each row (a row with a heading is pushed down by the heading) and the y below the last."""
    ys, y = [], top
    for row in rows:
        if getattr(row, "heading", ""):
            y += HEADING_H
        ys.append(y)
        y += row_h + gap
    return ys, y


def _heading(text: str, y: float, width: int) -> str:
    return (f'<text class="row-heading" x="8" y="{_f(y - 7)}" fill="{INK}" font-weight="600">{esc(text)}</text>'
            f'<line x1="8" x2="{width - 20}" y1="{_f(y - 3)}" y2="{_f(y - 3)}" stroke="{GRID}"/>')


def stacked_bar_chart(rows: list[StackedRow], *, title: str, desc: str,
                      segment_labels: dict[str, str], colours: dict[str, str] | None = None,
                      width: int = 720) -> str:
    """Horizontal 100% stacked bars: one row per category, one segment per band."""
    colours = colours or BAND_COLOURS
    keys = list(segment_labels)
    left, right, row_h, gap = 200, 20, 26, 14
    pw = width - left - right
    legend, lx, ly = [], left, 8
    for k in keys:                      # legend items flow left to right, wrapping onto more rows
        item_w = 22 + 7 * len(segment_labels[k])
        if lx > left and lx + item_w > width - right:
            lx, ly = left, ly + 18
        legend.append((k, lx, ly))
        lx += item_w
    top = ly + 32
    ys, bottom = _row_tops(rows, top, row_h, gap)
    height = int(bottom) + 24
    uid, out = _svg_open(width, height, title, desc, "stacked-bar")
    parts = [out]
    for k, lx, ly in legend:
        colour = colours.get(k, PALETTE[keys.index(k) % len(PALETTE)])
        parts.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{lx + 16}" y="{ly + 10}" fill="{INK}">{esc(segment_labels[k])}</text>')
    for t in (0, 0.25, 0.5, 0.75, 1.0):
        x = left + t * pw
        parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{top - 4}" y2="{height - 20}" stroke="{GRID}"/>')
        parts.append(f'<text x="{_f(x)}" y="{height - 6}" text-anchor="middle" fill="{INK}">{fmt_pct(t)}</text>')
    for row, y in zip(rows, ys):
        if row.heading:
            parts.append(_heading(row.heading, y, width))
        for j, line in enumerate(_wrap_label(row.label, 30)):
            parts.append(f'<text x="{left - 8}" y="{y + 11 + j * 13}" text-anchor="end" fill="{INK}">{esc(line)}</text>')
        if row.note:
            parts.append(f'<text x="{left - 8}" y="{y + row_h + 9}" text-anchor="end" fill="#555" '
                         f'font-size="10">{esc(row.note)}</text>')
        x = float(left)
        if row.empty and not any(_is_num(v) and v > 0 for _, v in row.segments):
            parts.append(f'<text x="{left + 4}" y="{y + row_h / 2 + 4}" fill="#555">{esc(row.empty)}</text>')
        for key, share in row.segments:
            if not _is_num(share) or share <= 0:
                continue
            w = share * pw
            colour = colours.get(key, PALETTE[keys.index(key) % len(PALETTE)] if key in keys else INK)
            label = segment_labels.get(key, key)
            parts.append(f'<rect class="mark segment" x="{_f(x)}" y="{y}" width="{_f(max(w, 0.5))}" height="{row_h}" '
                         f'fill="{colour}" stroke="#fff" stroke-width="0.5" data-value="{share:.6g}">'
                         f'<title>{esc(f"{row.label}: {label} {fmt_pct(share, 1)}")}</title></rect>')
            if w > 34:
                text_colour = "#fff" if colour in ("#0072B2", "#D55E00", "#A23B0B", "#000000") else INK
                parts.append(f'<text x="{_f(x + w / 2)}" y="{y + row_h / 2 + 4}" text-anchor="middle" '
                             f'fill="{text_colour}" font-size="11">{fmt_pct(share)}</text>')
            x += w
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- simple bars

@dataclass
class BarRow:
    label: str
    value: float | None
    note: str = ""
    colour: str | None = None
    heading: str = ""                  # a group heading drawn above this row
    empty: str = "no data"             # written in place of the bar when value is missing


def bar_chart(rows: list[BarRow], *, title: str, desc: str, percent: bool = True,
              domain_max: float | None = None, width: int = 720) -> str:
    """Horizontal bars, one per row, value labelled at the bar end; a row's note is written under its label."""
    left, right, top, row_h = 200, 70, 12, 22
    gap = 20 if any(r.note for r in rows) else 12
    pw = width - left - right
    ys, bottom = _row_tops(rows, top, row_h, gap)
    height = int(bottom) + 24
    grid_top = (ys[0] if ys else top) - 4
    vmax = domain_max or max([r.value for r in rows if _is_num(r.value)] + [1e-9])
    if percent and domain_max is None:
        vmax = min(1.0, math.ceil(vmax * 10) / 10) or 1.0
    ticks = nice_ticks(0, vmax, 4)
    vmax = max(vmax, ticks[-1])
    # a share that is not 0 or 100% is never labelled as if it were: 99.7% stays 99.7%, not "100%"
    fmt = ((lambda v: fmt_pct(v, 1) if 0 < v < 0.005 or 0.995 <= v < 1 else fmt_pct(v)) if percent
           else (lambda v: fmt_num(v)))
    whole = all(abs(t * 100 - round(t * 100)) < 1e-9 for t in ticks)
    tick_fmt = fmt if not percent or whole else (lambda v: fmt_pct(v, 1))   # 2.5%, not a rounded "2%"
    uid, out = _svg_open(width, height, title, desc, "bar")
    parts = [out]
    for t in ticks:
        x = left + t / vmax * pw
        parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(grid_top)}" y2="{height - 20}" stroke="{GRID}"/>')
        parts.append(f'<text x="{_f(x)}" y="{height - 6}" text-anchor="middle" fill="{INK}">{esc(tick_fmt(t))}</text>')
    for i, (row, y) in enumerate(zip(rows, ys)):
        if row.heading:
            parts.append(_heading(row.heading, y, width))
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">{esc(row.label)}</text>')
        if row.note:
            parts.append(f'<text x="{left - 8}" y="{y + row_h + 10}" text-anchor="end" fill="#555" '
                         f'font-size="10">{esc(row.note)}</text>')
        if not _is_num(row.value):
            parts.append(f'<text x="{left + 4}" y="{y + 15}" fill="#555">{esc(row.empty)}</text>')
            continue
        w = max(row.value / vmax * pw, 0.5)
        colour = row.colour or PALETTE[i % len(PALETTE)]
        parts.append(f'<rect class="mark bar" x="{left}" y="{y}" width="{_f(w)}" height="{row_h}" fill="{colour}" '
                     f'data-value="{row.value:.6g}"><title>{esc(f"{row.label}: {fmt(row.value)} {row.note}".strip())}'
                     f'</title></rect>')
        parts.append(f'<text x="{_f(left + w + 5)}" y="{y + 15}" fill="{INK}">{esc(fmt(row.value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- forest plot

@dataclass
class ForestRow:
    label: str
    estimate: float | None
    low: float | None = None
    high: float | None = None
    reference: float | None = None     # e.g. the census value or a comparison group's value
    note: str = ""


@dataclass
class ForestStyle:
    estimate_label: str = "estimate with 95% interval"
    reference_label: str = "census value"
    zero_line: bool = False
    percent: bool = True
    points: bool = False             # values are differences of shares: label as signed percentage points
    per_row_scale: bool = False      # each row its own axis (mixed units)
    extra_legend: list[str] = field(default_factory=list)


def forest_plot(rows: list[ForestRow], *, title: str, desc: str, style: ForestStyle | None = None,
                width: int = 720) -> str:
    """Dot-and-interval plot: an estimate per row with its interval and an optional reference mark."""
    st = style or ForestStyle()
    left, right, top, row_h = 210, 30 if not st.per_row_scale else 60, 34, 30
    pw = width - left - right
    height = top + len(rows) * row_h + 30
    if st.points:
        fmt = lambda v: fmt_points(v, 1)     # noqa: E731
        tick_fmt = lambda v: fmt_points(v, 0)     # noqa: E731
    elif st.percent:
        fmt, tick_fmt = (lambda v: fmt_pct(v, 1)), fmt_pct
    else:
        fmt, tick_fmt = (lambda v: fmt_num(v, 2)), (lambda v: fmt_num(v, 2))

    def row_values(r: ForestRow) -> list[float]:
        return [v for v in (r.estimate, r.low, r.high, r.reference) if _is_num(v)]

    def domain(values: list[float]) -> tuple[float, float]:
        lo, hi = min(values, default=0.0), max(values, default=1.0)
        if st.zero_line:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        pad = (hi - lo) * 0.08 or (abs(hi) * 0.1 or 0.05)
        lo, hi = lo - pad, hi + pad
        if st.percent and not st.zero_line and not st.points:
            lo, hi = max(0.0, lo), min(1.0, hi)
        return lo, hi

    all_values = [v for r in rows for v in row_values(r)]
    common = domain(all_values)
    uid, out = _svg_open(width, height, title, desc, "forest")
    parts = [out]
    # legend
    parts.append(f'<line x1="{left}" x2="{left + 24}" y1="12" y2="12" stroke="{INK}" stroke-width="2"/>')
    parts.append(f'<circle cx="{left + 12}" cy="12" r="4.5" fill="{PALETTE[0]}"/>')
    parts.append(f'<text x="{left + 30}" y="16" fill="{INK}">{esc(st.estimate_label)}</text>')
    if any(_is_num(r.reference) for r in rows):
        rx = left + 40 + 7 * len(st.estimate_label)
        parts.append(_marker("diamond", rx, 12, PALETTE[1], 4) + _close_marker("diamond"))
        parts.append(f'<text x="{rx + 10}" y="16" fill="{INK}">{esc(st.reference_label)}</text>')
    if not st.per_row_scale:
        lo, hi = common
        for t in nice_ticks(lo, hi, 5):
            x = left + (t - lo) / (hi - lo) * pw
            parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{top - 6}" y2="{top + len(rows) * row_h}" stroke="{GRID}"/>')
            parts.append(f'<text x="{_f(x)}" y="{top + len(rows) * row_h + 16}" text-anchor="middle" '
                         f'fill="{INK}">{esc(tick_fmt(t))}</text>')
        if st.zero_line and lo < 0 < hi:
            x0 = left + (0 - lo) / (hi - lo) * pw
            parts.append(f'<line x1="{_f(x0)}" x2="{_f(x0)}" y1="{top - 6}" y2="{top + len(rows) * row_h}" '
                         f'stroke="{INK}" stroke-width="1.2"/>')
    for i, r in enumerate(rows):
        y = top + i * row_h + row_h / 2
        if i % 2 == 0:
            parts.append(f'<rect x="0" y="{_f(y - row_h / 2)}" width="{width}" height="{row_h}" fill="#f4f4f4"/>')
        lo, hi = domain(row_values(r)) if st.per_row_scale else common

        def sx(v: float, lo: float = lo, hi: float = hi) -> float:
            return left + (v - lo) / (hi - lo) * pw

        lines = _wrap_label(r.label, 32)
        for j, line in enumerate(lines):
            parts.append(f'<text x="{left - 8}" y="{_f(y + 4 - 6.5 * (len(lines) - 1) + j * 13)}" text-anchor="end" '
                         f'fill="{INK}">{esc(line)}</text>')
        if st.per_row_scale and row_values(r):
            parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y)}" y2="{_f(y)}" stroke="{GRID}"/>')
            parts.append(f'<text x="{left}" y="{_f(y + row_h / 2 - 2)}" font-size="9" fill="#555">{esc(fmt(lo))}</text>')
            parts.append(f'<text x="{left + pw}" y="{_f(y + row_h / 2 - 2)}" font-size="9" text-anchor="end" '
                         f'fill="#555">{esc(fmt(hi))}</text>')
        if _is_num(r.low) and _is_num(r.high) and r.high > r.low:   # a zero-width interval draws nothing
            tip = f"{r.label}: 95% interval {fmt(r.low)} to {fmt(r.high)}"
            parts.append(f'<line class="mark interval" x1="{_f(sx(r.low))}" x2="{_f(sx(r.high))}" y1="{_f(y)}" '
                         f'y2="{_f(y)}" stroke="{INK}" stroke-width="2" data-value="{r.low:.6g},{r.high:.6g}">'
                         f'<title>{esc(tip)}</title></line>')
            for v in (r.low, r.high):
                parts.append(f'<line x1="{_f(sx(v))}" x2="{_f(sx(v))}" y1="{_f(y - 5)}" y2="{_f(y + 5)}" '
                             f'stroke="{INK}" stroke-width="1.5"/>')
        if _is_num(r.reference):
            tip = f"{r.label}: {st.reference_label} {fmt(r.reference)}"
            parts.append(_marker("diamond", sx(r.reference), y, PALETTE[1], 4.5,
                                 f'class="mark reference" data-value="{r.reference:.6g}"')
                         + f"<title>{esc(tip)}</title>" + _close_marker("diamond"))
        if _is_num(r.estimate):
            tip = f"{r.label}: {fmt(r.estimate)}" + (f" ({r.note})" if r.note else "")
            parts.append(f'<circle class="mark estimate" cx="{_f(sx(r.estimate))}" cy="{_f(y)}" r="5" '
                         f'fill="{PALETTE[0]}" stroke="#fff" data-value="{r.estimate:.6g}">'
                         f'<title>{esc(tip)}</title></circle>')
        else:
            parts.append(f'<text x="{left + 4}" y="{_f(y + 4)}" fill="#555">{esc(r.note or "no estimate")}</text>')
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- histogram

def histogram(values: list[float], *, title: str, desc: str, bin_width: float = 1.0,
              x_label: str = "", unit: str = "", width: int = 720, height: int = 260,
              marker: float | None = None, marker_label: str = "") -> str:
    """Counts of values in equal bins, vertical bars; an optional vertical marker (e.g. a threshold)."""
    left, right, top, bottom = 50, 20, 16, 46
    pw, ph = width - left - right, height - top - bottom
    vals = [v for v in values if _is_num(v)]
    lo = math.floor(min(vals, default=0.0) / bin_width) * bin_width
    hi = math.floor(max(vals, default=0.0) / bin_width) * bin_width + bin_width
    if marker is not None:
        hi = max(hi, math.ceil(marker / bin_width) * bin_width)
    nbins = max(1, round((hi - lo) / bin_width))
    counts = [0] * nbins
    for v in vals:
        counts[min(nbins - 1, int((v - lo) // bin_width))] += 1
    cmax = max(counts + [1])
    yticks = [t for t in nice_ticks(0, cmax, 4) if float(t).is_integer()]

    def sx(v: float) -> float:
        return left + (v - lo) / (hi - lo) * pw

    def sy(c: float) -> float:
        return top + ph - c / max(cmax, yticks[-1]) * ph

    uid, out = _svg_open(width, height, title, desc, "histogram")
    parts = [out]
    for t in yticks:
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(sy(t))}" y2="{_f(sy(t))}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{_f(sy(t) + 4)}" text-anchor="end" fill="{INK}">{int(t)}</text>')
    for b, c in enumerate(counts):
        x0, x1 = sx(lo + b * bin_width), sx(lo + (b + 1) * bin_width)
        a, z = lo + b * bin_width, lo + (b + 1) * bin_width
        tip = f"{fmt_num(a, 1)} to {fmt_num(z, 1)}{unit}: {c}"
        if c:
            parts.append(f'<rect class="mark bin" x="{_f(x0 + 1)}" y="{_f(sy(c))}" width="{_f(max(x1 - x0 - 2, 0.5))}" '
                         f'height="{_f(top + ph - sy(c))}" fill="{PALETTE[0]}" data-value="{c}">'
                         f'<title>{esc(tip)}</title></rect>')
    step = max(1, math.ceil(nbins / 12))
    for b in range(0, nbins + 1, step):
        v = lo + b * bin_width
        parts.append(f'<text x="{_f(sx(v))}" y="{top + ph + 16}" text-anchor="middle" fill="{INK}">'
                     f'{esc(fmt_num(v, 0 if float(bin_width).is_integer() else 1))}</text>')
    parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="{INK}"/>')
    if x_label:
        parts.append(f'<text x="{_f(left + pw / 2)}" y="{height - 6}" text-anchor="middle" fill="{INK}">{esc(x_label)}</text>')
    if marker is not None and lo <= marker <= hi:
        x = sx(marker)
        parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{top}" y2="{top + ph}" stroke="{PALETTE[1]}" '
                     f'stroke-width="2" stroke-dasharray="5 3"/>')
        parts.append(f'<text x="{_f(x + 4)}" y="{top + 10}" fill="{PALETTE[1]}">{esc(marker_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
