"""Page 1, system trends: a share over every snapshot, by kind of responsible body, phase, region or
local authority, with intervals; lines stop and restart at each era (and source) break, and the page
says why."""

from __future__ import annotations

import zlib

import polars as pl
import streamlit as st

from school_groups.report.formatting import fmt_num

from .. import charts, trend_data
from ..figures import SUPPRESSED, caption, missing, pick_view, setting
from ..labels import kind_label, share_with_interval, view_label, words, years
from ..published import Publication

MAX_DEFAULT_LINES = 6


def _category_label(dim_key: str, category: str | None) -> str:
    if category is None:
        return "Unknown"
    if dim_key == "group_kind":
        return kind_label(category)
    return words(category).capitalize() if dim_key == "phase" else category


def render(pub: Publication) -> None:
    st.title("System trends")
    if missing(pub, "patterns.system_trends"):
        return
    left, middle, right = st.columns([1, 1, 2])
    with left:
        view = pick_view(pub, "patterns.system_trends", key="trends_view")
    with middle:
        dim_key = st.selectbox("By", list(trend_data.DIMENSIONS), key="trends_dim",
                               format_func=lambda k: trend_data.DIMENSIONS[k].label)
    options = trend_data.series_options(pub, view) if view else []
    if not options:
        st.info("No trend rows in this view.")
        return
    with right:
        series = st.selectbox("Measure", options, format_func=lambda s: s.label, key="trends_series")
    if trend_data.DIMENSIONS[dim_key].table != "patterns.system_trends" and missing(pub, trend_data.DIMENSIONS[dim_key].table):
        return

    points = trend_data.shares(pub, dim_key, view, series, setting(pub, "confidence_z"),
                               setting(pub, "suppress_below_schools"))
    if points.is_empty():
        st.info("No snapshot has this measure in this view.")
        return
    points = points.with_columns(category=pl.col("category").map_elements(
        lambda c: _category_label(dim_key, c), return_dtype=pl.String))
    latest_day = points.get_column("as_at").max()
    latest = points.filter(pl.col("as_at") == latest_day)
    by_size = latest.sort("n", descending=True).get_column("category").to_list()
    every = sorted(points.get_column("category").unique().to_list())
    chosen = st.multiselect("Lines", every, default=by_size[:MAX_DEFAULT_LINES] or every[:MAX_DEFAULT_LINES],
                            # one widget per set of lines on offer: a kept choice is always among them
                            key=f"trends_lines_{dim_key}_{zlib.crc32(repr(every).encode())}",
                            help="The largest by schools judged at the latest snapshot are shown first.")
    shown = points.filter(pl.col("category").is_in(chosen) & ~pl.col("suppressed"))
    breaks = trend_data.breaks(pub, points)
    st.altair_chart(charts.trend_chart(shown, breaks, "Share of schools judged in the era"), width="stretch")

    ages = {(k if k == "All" else _category_label(dim_key, k)): v
            for k, v in trend_data.evidence_ages(pub, dim_key, view, latest_day).items()}
    age_note = ages.get("All") if ages else "not published by local authority"
    caption(view, age_note, latest.filter(pl.col("category").is_in(chosen)).get_column("n").sum(),
            "schools judged in the era at the latest snapshot",
            f"latest snapshot {latest_day:%d %b %Y}; 95% Wilson intervals; cells under "
            f"{fmt_num(setting(pub, 'suppress_below_schools'), 0)} schools suppressed")
    _break_reasons(pub, breaks)
    _latest_table(latest.filter(pl.col("category").is_in(chosen)), ages, view)


def _break_reasons(pub: Publication, breaks: pl.DataFrame) -> None:
    if breaks.is_empty():
        return
    lines = []
    for e in trend_data.eras(pub).to_dicts():
        if e.get("break_reason"):
            lines.append(f"- **{e.get('label') or e['reporting_era']}.** {e['break_reason']}")
    if any(label.startswith("Source") for label in breaks.get_column("label").to_list()):
        lines.append("- **Source.** Snapshots before the change are Ofsted's official statistics, later ones its "
                     "monthly management information; a line is never joined across the two.")
    with st.expander("Why lines stop and restart", expanded=False):
        st.markdown("\n".join(lines))


def _latest_table(latest: pl.DataFrame, ages: dict, view: str) -> None:
    rows = [{
        "Group": r["category"],
        "As at": f"{r['as_at']:%d %b %Y}",
        "Share (interval)": SUPPRESSED if r["suppressed"] else share_with_interval(r["share"], r["ci_low"], r["ci_high"]),
        "n (schools judged in era)": r["n"],
        "Median evidence age": years(ages.get(r["category"])) if ages else "not published by LA",
        "View": view_label(view),
    } for r in latest.sort("category").iter_rows(named=True)]
    st.dataframe(pl.DataFrame(rows), hide_index=True, width="stretch")
