"""Inline SVG chart builders: data in, an ``<svg>`` string out. No JavaScript, no external files.

Every chart is self-contained markup meant to sit inside a ``<figure>``: it carries a
``<title>`` and ``<desc>`` (referenced by ``aria-labelledby``), a ``viewBox`` so it scales to
the page, and one element with class ``mark`` per data value (a point, a bar segment, an
interval), each with its own ``<title>`` tooltip and a ``data-value`` attribute. Colours come
from the Okabe-Ito palette (distinguishable with the common colour-vision deficiencies); line
series also differ by dash pattern and marker shape, so colour is never the only cue.

All text passes through :func:`esc`, so names with ``& < > "`` or typographic quotes are safe.

This module gathers the chart builders under one name (``charts.line_chart``, ``charts.PALETTE``,
...); they live in ``chart_line``, ``chart_bars`` and ``chart_forest``, what they share in
``chart_svg`` and ``formatting``.
"""

from __future__ import annotations

from .chart_bars import BarRow, StackedRow, bar_chart, histogram, stacked_bar_chart
from .chart_forest import ForestRow, ForestStyle, forest_plot
from .chart_line import Series, line_chart
from .chart_svg import BAND_COLOURS, BREAK_COLOUR, DASHES, FONT, GRADE_COLOURS, GRID, INK, MARKERS, PALETTE, nice_ticks
from .formatting import esc, fmt_num, fmt_pct, fmt_points


def dual(builder, *args, **kwargs) -> str:
    """A chart drawn twice, wide and compact (for phones); the page's styles show one of them, so chart
    text is never shrunk below a readable size on a narrow screen."""
    return (f'<div class="chart-wide">{builder(*args, **kwargs)}</div>'
            f'<div class="chart-narrow">{builder(*args, compact=True, **kwargs)}</div>')

__all__ = [
    "BAND_COLOURS", "BREAK_COLOUR", "DASHES", "FONT", "GRADE_COLOURS", "GRID", "INK", "MARKERS", "PALETTE",
    "BarRow", "ForestRow", "ForestStyle", "Series", "StackedRow",
    "bar_chart", "dual", "esc", "fmt_num", "fmt_pct", "fmt_points", "forest_plot", "histogram", "line_chart", "nice_ticks",
    "stacked_bar_chart",
]
