"""The forest (dot-and-interval) plot: an estimate per row with its interval and an optional
reference mark, such as a census value or a comparison group's value."""

from __future__ import annotations

from dataclasses import dataclass, field

from .chart_svg import (COMPACT_WIDTH, GRID, INK, PALETTE, SMALL, WIDE, _close_marker, _f, _is_num, _svg_open, nice_ticks,
                        wrap_lines)
from .formatting import esc, fmt_num, fmt_pct, fmt_points


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
    spread: bool = False             # low-high is a spread (quartiles of groups), not a 95% interval: a band, no caps
    extra_legend: list[str] = field(default_factory=list)


def _legend(st: ForestStyle, left: float, width: int, has_reference: bool) -> tuple[list[str], float]:
    """Legend items flowing left to right (wrapping): the estimate's mark, the reference's; and its height."""
    items = [("estimate", st.estimate_label)] + ([("reference", st.reference_label)] if has_reference else [])
    parts, x, y = [], left, 12
    for key, label in items:
        w = 40 + 0.6 * 12 * len(label)
        if x > left and x + w > width:
            x, y = left, y + 18
        if key == "estimate":
            if st.spread:
                parts.append(f'<rect x="{_f(x)}" y="{y - 5}" width="24" height="10" fill="{PALETTE[5]}" opacity="0.55"/>')
            else:
                parts.append(f'<line x1="{_f(x)}" x2="{_f(x + 24)}" y1="{y}" y2="{y}" stroke="{INK}" stroke-width="2"/>')
            parts.append(f'<circle cx="{_f(x + 12)}" cy="{y}" r="4.5" fill="{PALETTE[0]}"/>')
        else:
            parts.append(_reference_mark(x + 12, y, ""))
        parts.append(f'<text x="{_f(x + 30)}" y="{y + 4}" fill="{INK}">{esc(label)}</text>')
        x += w
    return parts, y + 16


def _reference_mark(x: float, y: float, extra: str) -> str:
    # an outlined diamond, drawn after (so above) the estimate: a census value equal to the estimate stays visible
    s = 6.5
    pts = f"{_f(x)},{_f(y - s)} {_f(x + s)},{_f(y)} {_f(x)},{_f(y + s)} {_f(x - s)},{_f(y)}"
    return f'<polygon points="{pts}" fill="none" stroke="{PALETTE[1]}" stroke-width="2.2" {extra}>' + _close_marker("diamond")


def forest_plot(rows: list[ForestRow], *, title: str, desc: str, style: ForestStyle | None = None,
                width: int | None = None, compact: bool = False) -> str:
    """Dot-and-interval plot: an estimate per row with its interval (or spread) and an optional reference
    mark. Wide: labels in a column on the left, wrapped over as many lines as they need; ``compact``
    (the phone drawing): each label above its row, the plot at full width."""
    st = style or ForestStyle()
    width = width or (COMPACT_WIDTH if compact else WIDE)
    left = 18 if compact else 250        # room for half a tick label at either end
    right = (30 if not st.per_row_scale else 60) if not compact else 22
    pw = width - left - right
    labels = [wrap_lines(r.label, 50 if compact else 36) for r in rows]
    # a row: its label lines (above it when compact, beside it when wide) and the mark
    row_hs = [(15 * len(ls) + 26) if compact else max(30, 15 * len(ls) + 8) for ls in labels]
    has_reference = any(_is_num(r.reference) for r in rows)
    legend, top = _legend(st, left if not compact else 8, width - 8, has_reference)
    top += 8
    plot_h = sum(row_hs)
    height = int(top + plot_h + 30)
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

    common = domain([v for r in rows for v in row_values(r)])
    uid, out = _svg_open(width, height, title, desc, "forest", compact)
    parts = [out] + legend
    if not st.per_row_scale:
        lo, hi = common
        ticks = nice_ticks(lo, hi, 4 if compact else 5)
        for t in ticks:
            x = left + (t - lo) / (hi - lo) * pw
            parts.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{top - 6}" y2="{_f(top + plot_h)}" stroke="{GRID}"/>')
            parts.append(f'<text x="{_f(x)}" y="{_f(top + plot_h + 16)}" text-anchor="middle" '
                         f'fill="{INK}">{esc(tick_fmt(t))}</text>')
        if st.zero_line and lo < 0 < hi:
            x0 = left + (0 - lo) / (hi - lo) * pw
            parts.append(f'<line x1="{_f(x0)}" x2="{_f(x0)}" y1="{top - 6}" y2="{_f(top + plot_h)}" '
                         f'stroke="{INK}" stroke-width="1.2"/>')
    y_top = float(top)
    for i, (r, lines, row_h) in enumerate(zip(rows, labels, row_hs)):
        y = y_top + row_h - 13 if compact else y_top + row_h / 2      # the line the marks sit on
        if i % 2 == 0:
            parts.append(f'<rect x="0" y="{_f(y_top)}" width="{width}" height="{row_h}" fill="#f4f4f4"/>')
        lo, hi = domain(row_values(r)) if st.per_row_scale else common

        def sx(v: float, lo: float = lo, hi: float = hi) -> float:
            return left + (v - lo) / (hi - lo) * pw

        for j, line in enumerate(lines):
            if compact:
                parts.append(f'<text x="8" y="{_f(y_top + 14 + j * 15)}" fill="{INK}">{esc(line)}</text>')
            else:
                parts.append(f'<text x="{left - 8}" y="{_f(y + 4 - 7.5 * (len(lines) - 1) + j * 15)}" '
                             f'text-anchor="end" fill="{INK}">{esc(line)}</text>')
        if st.per_row_scale and row_values(r):
            parts.append(f'<line x1="{left}" x2="{left + pw}" y1="{_f(y)}" y2="{_f(y)}" stroke="{GRID}"/>')
            for v, x, anchor in ((lo, left, "start"), (hi, left + pw, "end")):
                parts.append(f'<text x="{_f(x)}" y="{_f(y + 12)}" font-size="{SMALL}" text-anchor="{anchor}" '
                             f'fill="#555">{esc(fmt(v))}</text>')
        if _is_num(r.low) and _is_num(r.high) and r.high > r.low:   # a zero-width interval draws nothing
            what = "middle half of groups" if st.spread else "95% interval"
            tip = f"{r.label}: {what} {fmt(r.low)} to {fmt(r.high)}"
            if st.spread:       # a band, never whiskers: the quartiles of groups are a spread, not an interval
                parts.append(f'<rect class="mark interval spread" x="{_f(sx(r.low))}" y="{_f(y - 6)}" '
                             f'width="{_f(sx(r.high) - sx(r.low))}" height="12" fill="{PALETTE[5]}" opacity="0.55" '
                             f'data-value="{r.low:.6g},{r.high:.6g}"><title>{esc(tip)}</title></rect>')
            else:
                parts.append(f'<line class="mark interval" x1="{_f(sx(r.low))}" x2="{_f(sx(r.high))}" y1="{_f(y)}" '
                             f'y2="{_f(y)}" stroke="{INK}" stroke-width="2" data-value="{r.low:.6g},{r.high:.6g}">'
                             f'<title>{esc(tip)}</title></line>')
                for v in (r.low, r.high):
                    parts.append(f'<line x1="{_f(sx(v))}" x2="{_f(sx(v))}" y1="{_f(y - 5)}" y2="{_f(y + 5)}" '
                                 f'stroke="{INK}" stroke-width="1.5"/>')
        if _is_num(r.estimate):
            tip = f"{r.label}: {fmt(r.estimate)}" + (f" ({r.note})" if r.note else "")
            parts.append(f'<circle class="mark estimate" cx="{_f(sx(r.estimate))}" cy="{_f(y)}" r="4.5" '
                         f'fill="{PALETTE[0]}" stroke="#fff" data-value="{r.estimate:.6g}">'
                         f'<title>{esc(tip)}</title></circle>')
        else:
            parts.append(f'<text x="{left + 4}" y="{_f(y + 4)}" fill="#555">{esc(r.note or "no estimate")}</text>')
        if _is_num(r.reference):
            tip = f"{r.label}: {st.reference_label} {fmt(r.reference)}"
            parts.append(_reference_mark(sx(r.reference), y, f'class="mark reference" data-value="{r.reference:.6g}"')
                         .replace(_close_marker("diamond"), f"<title>{esc(tip)}</title>{_close_marker('diamond')}"))
        y_top += row_h
    parts.append("</svg>")
    return "".join(parts)
