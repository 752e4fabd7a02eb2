"""Bar charts: 100% stacked horizontal bars (outcome bands, report-card grades), simple horizontal
bars (one value a row) and a histogram (counts in equal bins)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .chart_svg import (BAND_COLOURS, COMPACT_WIDTH, GRID, INK, PALETTE, SMALL, WIDE, _f, _is_num, _svg_open,
                        _wrap_label, nice_ticks, text_width, wrap_lines)
from .formatting import esc, fmt_num, fmt_pct


# --------------------------------------------------------------------------- stacked bars

@dataclass
class StackedRow:
    label: str
    segments: list[tuple[str, float | None]]   # (segment key, share 0-1)
    note: str = ""                               # e.g. "1,234 schools"
    heading: str = ""                            # a group heading drawn above this row (e.g. a kind of group)
    empty: str = ""                              # written in place of the bar when no segment has a share


HEADING_H = 22     # a heading of one line; each further line adds LINE_H
LINE_H = 15


def _heading_lines(text: str, width: int) -> list[str]:
    return wrap_lines(text, int((width - 16) / text_width("x")))


def _row_tops(rows: list, top: float, row_h: float, gap: float, above: float = 0,
              width: int = WIDE) -> tuple[list[float], float]:
    """The y of each row's bar (pushed down by a heading, wrapped to the drawing's width, and by ``above``
    px of label lines in the compact drawing) and the y below the last."""
    ys, y = [], top
    for row in rows:
        if getattr(row, "heading", ""):
            y += HEADING_H + LINE_H * (len(_heading_lines(row.heading, width)) - 1)
        y += above
        ys.append(y)
        y += row_h + gap
    return ys, y


def _heading(text: str, y: float, width: int) -> str:
    lines = _heading_lines(text, width)
    first = y - 7 - LINE_H * (len(lines) - 1)
    # continuation lines have a class of their own, so a reader of the markup takes the first as the heading
    return ("".join(f'<text class="row-heading{"" if i == 0 else "-more"}" x="8" y="{_f(first + i * LINE_H)}" '
                    f'fill="{INK}" font-weight="600">{esc(line)}</text>' for i, line in enumerate(lines))
            + f'<line x1="8" x2="{width - 8}" y1="{_f(y - 3)}" y2="{_f(y - 3)}" stroke="{GRID}"/>')


def _compact_label(row, y: float, row_h: float) -> list[str]:
    """Compact drawing: the row's label above its bar and its note under it, at full width."""
    parts = [f'<text x="8" y="{_f(y - 5)}" fill="{INK}">{esc(row.label)}</text>']
    if row.note:
        parts.append(f'<text x="8" y="{_f(y + row_h + 13)}" fill="#555" font-size="{SMALL}">{esc(row.note)}</text>')
    return parts


def stacked_bar_chart(rows: list[StackedRow], *, title: str, desc: str,
                      segment_labels: dict[str, str], colours: dict[str, str] | None = None,
                      width: int | None = None, compact: bool = False) -> str:
    """Horizontal 100% stacked bars: one row per category, one segment per band. ``compact``: the phone
    drawing, each row's label above its bar and its note under it."""
    colours = colours or BAND_COLOURS
    keys = list(segment_labels)
    width = width or (COMPACT_WIDTH if compact else WIDE)
    left, right, row_h = (16, 20, 24) if compact else (200, 20, 26)
    gap = (30 if any(r.note for r in rows) else 16) if compact else (24 if any(r.note for r in rows) else 14)
    pw = width - left - right
    legend, lx, ly = [], left, 8
    for k in keys:                      # legend items flow left to right, wrapping onto more rows
        item_w = 22 + text_width(segment_labels[k])
        if lx > left and lx + item_w > width - right:
            lx, ly = left, ly + 18
        legend.append((k, lx, ly))
        lx += item_w
    top = ly + 32
    ys, bottom = _row_tops(rows, top, row_h, gap, 18 if compact else 0, width)
    height = int(bottom) + 24
    uid, out = _svg_open(width, height, title, desc, "stacked-bar", compact)
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
            parts.append(_heading(row.heading, y - (18 if compact else 0), width))
        if compact:
            parts += _compact_label(row, y, row_h)
        else:
            for j, line in enumerate(_wrap_label(row.label, 30)):
                parts.append(f'<text x="{left - 8}" y="{y + 11 + j * 13}" text-anchor="end" fill="{INK}">{esc(line)}</text>')
            if row.note:
                parts.append(f'<text x="{left - 8}" y="{y + row_h + 11}" text-anchor="end" fill="#555" '
                             f'font-size="{SMALL}">{esc(row.note)}</text>')
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
            if w > text_width(fmt_pct(share), SMALL) + 6:
                text_colour = "#fff" if colour in ("#0072B2", "#D55E00", "#A23B0B", "#000000") else INK
                parts.append(f'<text x="{_f(x + w / 2)}" y="{y + row_h / 2 + 4}" text-anchor="middle" '
                             f'fill="{text_colour}" font-size="{SMALL}">{fmt_pct(share)}</text>')
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
              domain_max: float | None = None, width: int | None = None, compact: bool = False) -> str:
    """Horizontal bars, one per row, value labelled at the bar end; a row's note is written under its label
    (``compact``, the phone drawing: the label above the bar, the note under it)."""
    width = width or (COMPACT_WIDTH if compact else WIDE)
    left, right, top, row_h = (8, 56, 12, 20) if compact else (200, 70, 12, 22)
    gap = (30 if any(r.note for r in rows) else 14) if compact else (20 if any(r.note for r in rows) else 12)
    pw = width - left - right
    ys, bottom = _row_tops(rows, top, row_h, gap, 18 if compact else 0, width)
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
    uid, out = _svg_open(width, height, title, desc, "bar", compact)
    parts = [out]
    for t in ticks:
        x = left + t / vmax * pw
        parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(grid_top)}" y2="{height - 20}" stroke="{GRID}"/>')
        parts.append(f'<text x="{_f(x)}" y="{height - 6}" text-anchor="middle" fill="{INK}">{esc(tick_fmt(t))}</text>')
    for i, (row, y) in enumerate(zip(rows, ys)):
        if row.heading:
            parts.append(_heading(row.heading, y - (18 if compact else 0), width))
        if compact:
            parts += _compact_label(row, y, row_h)
        else:
            parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" fill="{INK}">{esc(row.label)}</text>')
            if row.note:
                parts.append(f'<text x="{left - 8}" y="{y + row_h + 12}" text-anchor="end" fill="#555" '
                             f'font-size="{SMALL}">{esc(row.note)}</text>')
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


# --------------------------------------------------------------------------- histogram

def histogram(values: list[float], *, title: str, desc: str, bin_width: float = 1.0,
              x_label: str = "", unit: str = "", width: int | None = None, height: int = 260,
              marker: float | None = None, marker_label: str = "", compact: bool = False) -> str:
    """Counts of values in equal bins, vertical bars; an optional vertical marker (e.g. a threshold)."""
    width = width or (COMPACT_WIDTH if compact else WIDE)
    left, right, top, bottom = (40, 12, 22, 46) if compact else (50, 20, 22, 46)
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

    uid, out = _svg_open(width, height, title, desc, "histogram", compact)
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
    step = max(1, math.ceil(nbins / 12), math.ceil(28 / (pw / nbins)))    # tick labels at least 28 px apart
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
        room = width - x - 4 >= text_width(marker_label)          # right of the line if it fits, else left
        parts.append(f'<text x="{_f(x + 4 if room else x - 4)}" y="{top - 6}" text-anchor="{"start" if room else "end"}" '
                     f'fill="{PALETTE[1]}">{esc(marker_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
