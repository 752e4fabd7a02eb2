"""Text and number formatting shared by the charts and the page: HTML escaping, shares as
percentages, differences of shares as signed percentage points, and plain numbers."""

from __future__ import annotations

import html
import math
import re


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


def safe_file_part(text: str) -> str:
    """A period as a file-name part: letters, digits, '.', '_' and '-' only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")
    return cleaned or "undated"
