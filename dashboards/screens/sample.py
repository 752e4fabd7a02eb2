"""Page 4, sample estimates: each period's system estimates with their intervals against the census
value over every group, and how the period's draw was made."""

from __future__ import annotations

import polars as pl
import streamlit as st

from school_groups.report.formatting import fmt_num, fmt_pct
from school_groups.report.loader import period_sort_key

from .. import cache, charts, trend_data
from ..figures import caption, missing
from ..labels import share_with_interval, stratum_text, words
from ..published import Publication

ESTIMATES, DRAW = "sampling.sample_estimates", "sampling.sample_draw"
ESTIMATE_COLUMNS = ("indicator", "description", "estimate", "ci_low", "ci_high", "census_value", "census_in_interval:boolean",
                    "design_effect", "groups_sampled", "groups_in_frame", "confidence")
DRAW_COLUMNS = ("group_key", "stratum", "population_groups", "sample_groups", "inclusion_probability", "design_weight",
                "seed", "allocation:varchar", "excluded_period:varchar", "carried_over:boolean")


def render(pub: Publication) -> None:
    st.title("Sample estimates")
    if missing(pub, ESTIMATES):
        return
    periods = sorted(cache.frame(pub, f"select distinct period from {ESTIMATES}").get_column("period").drop_nulls()
                     .to_list(), key=period_sort_key, reverse=True)
    if not periods:
        st.info("No period has been sampled yet.")
        return
    period = st.selectbox("Period", periods, key="sample_period")
    est = cache.frame(pub, f"select {pub.select(ESTIMATES, *ESTIMATE_COLUMNS)} from {ESTIMATES} "
                           "where period = ? order by indicator", period)
    est = est.with_columns(
        what=pl.col("indicator").map_elements(lambda s: words(s).removeprefix("share ").capitalize(),
                                              return_dtype=pl.String),
        share=pl.col("estimate"), n=pl.col("groups_sampled"))
    order = est.get_column("what").to_list()
    st.altair_chart(charts.interval_chart(est, "what", order, "Estimate (dot and interval) and census value (◇)",
                                          reference="census_value", reference_title="Census value"), width="stretch")
    confidence = est.get_column("confidence").max()
    caption("including_inherited", _system_evidence_age(pub), est.get_column("groups_sampled").max(),
            "groups sampled", f"{fmt_pct(confidence)} intervals; each indicator's own view is in its description"
            if confidence else "each indicator's own view is in its description")
    st.dataframe(est.select(
        pl.col("what").alias("Indicator"),
        pl.col("description").alias("What it measures"),
        pl.struct("estimate", "ci_low", "ci_high").map_elements(
            lambda r: share_with_interval(r["estimate"], r["ci_low"], r["ci_high"], 1), return_dtype=pl.String
        ).alias("Estimate (interval)"),
        pl.col("census_value").map_elements(lambda v: fmt_pct(v, 1), return_dtype=pl.String).alias("Census"),
        pl.col("census_in_interval").alias("Census in interval"),
        pl.col("design_effect").round(2).alias("Design effect"),
        pl.format("{} of {}", "groups_sampled", "groups_in_frame").alias("Groups sampled (n)"),
    ), hide_index=True, width="stretch")
    if len(periods) > 1:
        _every_period(pub)
    _draw(pub, period)


def _every_period(pub: Publication) -> None:
    """Each period's estimates beside each other, newest first: one row per indicator."""
    columns = pub.select(ESTIMATES, "indicator", "estimate", "ci_low", "ci_high", "census_value")
    rows = cache.frame(pub, f"select period, {columns} from {ESTIMATES}")
    rows = rows.with_columns(text=pl.struct("estimate", "ci_low", "ci_high", "census_value").map_elements(
        lambda r: (share_with_interval(r["estimate"], r["ci_low"], r["ci_high"], 1)
                   + f"; census {fmt_pct(r['census_value'], 1)}"),
        return_dtype=pl.String))
    wide = rows.pivot("period", index="indicator", values="text")
    order = sorted((c for c in wide.columns if c != "indicator"), key=period_sort_key, reverse=True)
    with st.expander("Every period's estimates (interval; census value)"):
        st.dataframe(wide.select("indicator", *order), hide_index=True, width="stretch")


def _system_evidence_age(pub: Publication) -> float | None:
    if not pub.has("patterns.system_evidence"):
        return None
    latest = cache.frame(pub, "select max(as_at) from patterns.system_evidence").item(0, 0)
    return trend_data.evidence_ages(pub, "group_kind", "including_inherited", latest).get("All")


def _draw(pub: Publication, period: str) -> None:
    st.subheader("How the draw was made")
    if missing(pub, DRAW):
        return
    draw = cache.frame(pub, f"select {pub.select(DRAW, *DRAW_COLUMNS)} from {DRAW} where period = ?", period)
    if draw.is_empty():
        st.info("No draw is published for this period.")
        return
    first = draw.row(0, named=True)
    previous = first.get("excluded_period")
    carried = int(draw.get_column("carried_over").cast(pl.Int64).sum() or 0)
    st.markdown(
        f"A stratified random draw of **{draw.height:,} groups** from **{draw.get_column('stratum').n_unique():,} "
        f"strata** (kind of group × size × phase mix × region, small strata merged), "
        f"**{first.get('allocation') or 'unknown'}** allocation, seeded with **{first.get('seed')}** "
        f"(the same seed and period always give the same draw). "
        + (f"Groups drawn in {previous} were left out. " if previous else "")
        + (f"{carried:,} groups were carried over from the previous period. " if carried else "")
        + "Each group's design weight is the number of groups in its stratum over the number drawn.")
    strata = draw.group_by(pl.col("stratum")).agg(
        pl.col("population_groups").max().alias("Groups in stratum (N)"),
        pl.col("sample_groups").max().alias("Drawn (n)"),
        pl.col("inclusion_probability").max().round(3).alias("Inclusion probability"),
        pl.col("design_weight").max().round(2).alias("Design weight"),
    ).with_columns(pl.col("stratum").map_elements(stratum_text, return_dtype=pl.String).alias("Stratum"))
    st.dataframe(strata.drop("stratum").select("Stratum", pl.exclude("Stratum")).sort("Stratum"),
                 hide_index=True, width="stretch")
    st.caption(f"{fmt_num(draw.height, 0)} groups drawn for {period}.")
