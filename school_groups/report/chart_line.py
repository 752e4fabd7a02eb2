"""The line chart: values over snapshot dates, one line per series, broken where a value is
missing, with dashed vertical markers where the framework or the data source changes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from .chart_svg import (BREAK_COLOUR, COMPACT_WIDTH, DASHES, GRID, INK, MARKERS, PALETTE, SMALL, WIDE, _close_marker,
                        _f, _is_num, _marker, _svg_open, _wrap_label, nice_ticks, text_width)
from .formatting import esc, fmt_num, fmt_pct


@dataclass
class Series:
    name: str
    points: list[tuple[date, float | None]]
    colour: str | None = None


def _break_rows(xs_labels: list[tuple[float, str]], right_edge: float) -> list[tuple[int, str, float]]:
    """Label row (0 = top), text anchor and text x of each break label, so labels of close breaks do not
    overlap and none runs off the drawing (a label too long for either side of its line is shifted in)."""
    row_ends: list[float] = []          # right-most x used so far in each row
    placed = []
    for x, label in xs_labels:
        w = text_width(label, SMALL) + 8
        start, end, anchor, tx = x + 3, x + 3 + w, "start", x + 3
        if end > right_edge:            # near the right edge: the label runs leftwards from the line
            start, end, anchor, tx = x - 3 - w, x - 3, "end", x - 3
        if start < 2:                   # fits on neither side: shifted inside the drawing
            start = max(2.0, right_edge - w)
            end, anchor, tx = start + w, "start", start
        row = next((i for i, used in enumerate(row_ends) if start > used), len(row_ends))
        if row == len(row_ends):
            row_ends.append(end)
        else:
            row_ends[row] = end
        placed.append((row, anchor, tx))
    return placed


def line_chart(series: list[Series], *, title: str, desc: str, y_label: str = "",
               y_domain: tuple[float, float] | None = None, percent: bool = True,
               width: int | None = None, height: int = 300, breaks: list[tuple[date, str]] | None = None,
               compact: bool = False) -> str:
    """Several series of values over dates, one line and one marker per value.

    A None value breaks a line: the points before and after it are not joined. Points are taken in
    date order (a stable sort), so a None given just before a point of the same date breaks the line
    at that date. ``breaks``: (date, short label) pairs drawn as vertical dashed markers (a change of
    framework or of data source); their dates widen the time axis if need be. ``compact``: the
    phone drawing, 360 wide, with the legend under the plot instead of beside it.
    """
    breaks = sorted({(d, label) for d, label in (breaks or [])}, key=lambda b: (b[0], b[1]))
    width = width or (COMPACT_WIDTH if compact else WIDE)
    left, right, bottom = (46, 14, 44) if compact else (56, 200, 44)
    legend_lines = [_wrap_label(s.name, 44 if compact else 22) for s in series]
    legend_h = sum(6 + 15 * len(lines) for lines in legend_lines) + 8 if compact else 0
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

    placed = _break_rows([(sx(d), label) for d, label in breaks], width - 4)
    label_rows = 1 + max((row for row, _, _ in placed), default=-1)
    top = 18 + 14 * label_rows
    if compact:
        height = 220
    height += 14 * label_rows
    pw, ph = pw0, height - top - bottom
    height += legend_h
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
    uid, out = _svg_open(width, height, title, desc, "line", compact)
    parts = [out]
    for t in nice_ticks(y0, y1, 5):
        y = sy(t)
        parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y)}" y2="{_f(y)}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 6}" y="{_f(y + 4)}" text-anchor="end" fill="{INK}">{esc(fmt(t))}</text>')
    date_fmt = "%b %Y" if compact else "%d %b %Y"

    def date_label(d: date) -> str:
        return d.strftime(date_fmt).lstrip("0")

    # labels of neighbouring dates never overlap: a gap of the widest label plus a margin
    min_gap = max((text_width(date_label(d)) for d in dates), default=0) + 12
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
        half = text_width(date_label(d)) / 2
        tx = min(max(x, half + 2), width - half - 2)     # kept inside the drawing at either edge
        parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{top + ph}" y2="{top + ph + 5}" stroke="{INK}"/>')
        parts.append(f'<text x="{_f(tx)}" y="{top + ph + 18}" text-anchor="middle" fill="{INK}">'
                     f'{esc(date_label(d))}</text>')
    parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="{INK}"/>')
    if y_label:
        parts.append(f'<text x="14" y="{_f(top + ph / 2)}" transform="rotate(-90 14 {_f(top + ph / 2)})" '
                     f'text-anchor="middle" fill="{INK}">{esc(y_label)}</text>')
    for (d, label), (row, anchor, tx) in zip(breaks, placed):
        x = sx(d)
        ly = 14 + 14 * row
        tip = f"{label} ({d.strftime('%d %b %Y').lstrip('0')})"
        parts.append(f'<g class="break-marker" data-break-date="{d.isoformat()}" data-break-label="{esc(label)}">'
                     f'<title>{esc(tip)}</title>'
                     f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{ly - 10}" y2="{top + ph}" stroke="{BREAK_COLOUR}" '
                     f'stroke-width="1.2" stroke-dasharray="5 4"/>'
                     f'<text x="{_f(tx)}" y="{ly}" text-anchor="{anchor}" fill="{BREAK_COLOUR}" font-size="{SMALL}">'
                     f'{esc(label)}</text></g>')
    legend_y = top + ph + 44 if compact else top + 10
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
        # legend: beside the plot (wide) or in rows under the axis (compact)
        lx, ly = (left, legend_y) if compact else (left + pw + 16, legend_y)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{lx}" x2="{lx + 28}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2.2"{dash_attr}/>')
        parts.append(_marker(shape, lx + 14, ly, colour, 3.5, "") + _close_marker(shape))
        for j, line in enumerate(legend_lines[i]):
            parts.append(f'<text x="{lx + 34}" y="{ly + 4 + j * 15}" fill="{INK}">{esc(line)}</text>')
        legend_y += 6 + 15 * len(legend_lines[i]) if compact else 10 + 13 * len(legend_lines[i])
    parts.append("</svg>")
    return "".join(parts)
