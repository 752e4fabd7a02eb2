"""The forest (dot-and-interval) plot: an estimate per row with its interval and an optional
reference mark, such as a census value or a comparison group's value."""

from __future__ import annotations

from dataclasses import dataclass, field

from .chart_svg import GRID, INK, PALETTE, _close_marker, _f, _is_num, _marker, _svg_open, _wrap_label, nice_ticks
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
