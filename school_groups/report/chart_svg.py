"""What every SVG chart is drawn with: the colours, short coordinates, round axis ticks, the
``<svg>`` opening with its title and description, marker shapes and wrapped labels."""

from __future__ import annotations

import hashlib
import math

from .formatting import esc

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


# Phone layouts: a compact drawing is this wide, so at a 400 px screen it shows at its own size and
# its smallest text (SMALL) stays at least 11 px as rendered; the wide drawing is WIDE.
WIDE, COMPACT_WIDTH, SMALL = 720, 360, 11


def text_width(text: str, size: float = 12) -> float:
    """A generous estimate of a label's width in px (system sans-serif), to keep labels apart."""
    return 0.6 * size * len(text)


def _svg_open(width: int, height: int, title: str, desc: str, kind: str, compact: bool = False) -> tuple[str, str]:
    # ids from the content (and the layout: both drawings of a chart sit in one page), so the same
    # data renders to the same bytes
    uid = "chart-" + hashlib.sha1(f"{kind}\0{title}\0{desc}\0{compact}".encode()).hexdigest()[:10]
    head = (
        f'<svg class="chart chart-{kind}{" compact" if compact else ""}" viewBox="0 0 {width} {height}" '
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


def wrap_lines(text: str, max_chars: int) -> list[str]:
    """Text over as many lines as it needs, never cut short (row labels, headings)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > max_chars:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line] if line else lines
