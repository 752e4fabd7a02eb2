"""What goes around every figure: its view, its evidence age and its n in one caption line, shown
figures beside suppressed ones, and the thresholds a page needs from ``meta.settings``."""

from __future__ import annotations

import streamlit as st

from school_groups.report.formatting import fmt_num

from . import cache
from .labels import ordered_views, view_label, years
from .published import Publication

DEFAULT_SETTINGS = {"confidence_z": 1.96, "suppress_below_schools": 3.0, "stale_after_years": 5.0}
SUPPRESSED = "suppressed (too few schools to show)"


def setting(pub: Publication, key: str) -> float:
    """A threshold the published figures were built with (meta.settings), else the shipped default."""
    if pub.has("meta.settings"):
        published = dict(cache.frame(pub, "select key, value from meta.settings").iter_rows())   # one query, cached
        if published.get(key) is not None:
            return float(published[key])
    return DEFAULT_SETTINGS[key]


def caption(view: str | None, evidence_age: float | str | None, n: int | float | None,
            n_what: str = "schools", extra: str = "", view_words: str = "not applicable") -> None:
    """One line under a figure: which view (or, for figures built on no view, ``view_words``), how old
    the evidence is, how many it rests on."""
    age = evidence_age if isinstance(evidence_age, str) else years(evidence_age)
    parts = [f"View: {view_label(view).lower()}" if view else f"View: {view_words}",
             f"median evidence age: {age}",
             f"n = {fmt_num(n, 0)} {n_what}" if n is not None else f"n = unknown {n_what}"]
    st.caption(" · ".join(parts) + (f" · {extra}" if extra else ""))


def missing(pub: Publication, *tables: str) -> bool:
    """True (after saying so on the page) when the publication lacks one of ``tables``."""
    absent = [t for t in tables if not pub.has(t)]
    if absent:
        st.info(f"This publication (run {pub.run_id}) has no {', '.join(absent)}; "
                "it will show here once a run publishes it.")
    return bool(absent)


def pick_view(pub: Publication, table: str, key: str, label: str = "View") -> str | None:
    """A view selector offering the views the table has (distinct values, never a fixed list)."""
    views = ordered_views(cache.frame(pub, f"select distinct view from {table}").get_column("view").to_list())
    if not views:
        return None
    # the plain label, then the code the tables use, so a reader can find the same rows in SQL
    return st.selectbox(label, views, format_func=lambda v: f"{view_label(v)} ({v})", key=key)
