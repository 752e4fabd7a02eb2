"""Page 3, compare groups: up to five chosen groups, or one group's comparability peer pool, side by
side with intervals. Groups are listed alphabetically: this page never ranks."""

from __future__ import annotations

import polars as pl
import streamlit as st

from school_groups.report.formatting import fmt_num

from .. import charts, group_data, trend_data
from ..figures import SUPPRESSED, caption, missing, pick_view
from ..labels import measure_label, share_with_interval, years
from ..published import Publication
from .explorer import choose_group

MAX_GROUPS = 5
MAX_MATCHES = 50         # a search offers this many groups at most
MAX_CHART_ROWS = 40      # a larger peer pool is drawn as a strip of dots, one per group
PATTERN_COLUMNS = ("suppressed:boolean", "share_good_or_better", "share_good_or_better_ci_low",
                   "share_good_or_better_ci_high", "peer_share_good_or_better", "schools_with_evidence",
                   "schools_in_group", "latest_evidence_age_median_years")
ERA_COLUMNS = ("measure:varchar", "suppressed:boolean", "share", "share_ci_low", "share_ci_high", "schools_judged_in_era")
IMPROVEMENT_COLUMNS = ("share_improved", "share_improved_ci_low", "share_improved_ci_high", "joiners", "horizon_years")


def render(pub: Publication) -> None:
    st.title("Compare groups")
    if missing(pub, group_data.PROFILE, "patterns.group_outcome_patterns"):
        return
    groups = group_data.index(pub)
    how = st.radio("Compare", ["Chosen groups", "A group's peer pool"], horizontal=True, key="compare_how")
    if how == "Chosen groups":
        keys = _chosen_groups(groups)
    else:
        group = choose_group(pub, "compare_pool")
        keys = group_data.peers(pub, group["group_key"]).get_column("group_key").to_list() if group else []
        if group:
            st.caption(f"{len(keys):,} groups share this group's kind, size band and phase mix "
                       "(patterns.group_comparability).")
    if not keys:
        st.info("Choose groups to compare.")
        return
    view = pick_view(pub, "patterns.group_outcome_patterns", key="compare_view")
    names = groups.filter(pl.col("group_key").is_in(keys)).select("group_key", "label")
    evidence_age = _good_or_better(pub, keys, names, view)
    _by_era(pub, keys, names, view, evidence_age)
    _improvement(pub, keys, names, evidence_age)


def _chosen_groups(groups: pl.DataFrame) -> list[str]:
    """Up to five groups, found by a search each and kept while the next is searched. The picker offers
    only the groups chosen so far and the current matches: sending every group's name to the browser
    on each rerun would cost more than the page itself."""
    text = st.text_input("Find a group to add (name or GIAS UID)", key="compare_search")
    matches = group_data.search(groups, text).head(MAX_MATCHES).get_column("label").to_list()
    chosen = [label for label in st.session_state.get("compare_groups", []) if label in set(groups["label"])]
    options = chosen + [label for label in matches if label not in chosen]
    labels = st.multiselect(f"Groups compared (up to {MAX_GROUPS})", options, default=None, key="compare_groups",
                            max_selections=MAX_GROUPS, placeholder="Search above, then pick here")
    return groups.filter(pl.col("label").is_in(labels)).get_column("group_key").to_list()


def _good_or_better(pub: Publication, keys: list[str], names: pl.DataFrame, view: str | None) -> float | None:
    """The groups' cross-era summary shares; returns the median of their evidence ages."""
    st.subheader("Schools judged good or better (cross-era summary band)")
    rows = group_data.rows_for(pub, "patterns.group_outcome_patterns", keys, "and view = ? and weighting = 'schools'",
                               view, columns=PATTERN_COLUMNS)
    rows = rows.join(names, on="group_key").sort(pl.col("label").str.to_lowercase())
    shown = rows.filter(~pl.col("suppressed").fill_null(False)).rename(
        {"share_good_or_better": "share", "share_good_or_better_ci_low": "ci_low",
         "share_good_or_better_ci_high": "ci_high"}).with_columns(n=pl.col("schools_with_evidence"))
    order = shown.get_column("label").to_list()
    if shown.height and shown.height <= MAX_CHART_ROWS:
        st.altair_chart(charts.interval_chart(shown, "label", order, "Share good or better",
                                              reference="peer_share_good_or_better",
                                              reference_title="Peers' pooled share"), width="stretch")
    elif shown.height:
        st.altair_chart(charts.strip_chart(shown, "label", "Share good or better"), width="stretch")
    ages = rows.get_column("latest_evidence_age_median_years").drop_nulls()
    evidence_age = ages.median() if ages.len() else None
    caption(view, evidence_age, rows.get_column("schools_with_evidence").sum(),
            "schools with evidence", "alphabetical order, not a ranking; ◇ = the group's peers pooled")
    st.dataframe(pl.DataFrame([{
        "Group": r["label"],
        "Good or better (interval)": SUPPRESSED if r["suppressed"] else share_with_interval(
            r["share_good_or_better"], r["share_good_or_better_ci_low"], r["share_good_or_better_ci_high"]),
        "n (schools with evidence)": r["schools_with_evidence"],
        "Open schools": r["schools_in_group"],
        "Median evidence age": years(r.get("latest_evidence_age_median_years")),
    } for r in rows.iter_rows(named=True)]), hide_index=True, width="stretch")
    return evidence_age


def _by_era(pub: Publication, keys: list[str], names: pl.DataFrame, view: str | None,
            evidence_age: float | None) -> None:
    st.subheader("Good or outstanding, each era on its own scale")
    if missing(pub, "patterns.group_era_patterns"):
        return
    wanted = " or ".join("(measure = ? and outcome = ?)" for _ in trend_data.HEADLINE)
    rows = group_data.rows_for(pub, "patterns.group_era_patterns", keys, f"and view = ? and ({wanted})", view,
                               *[v for pair in trend_data.HEADLINE for v in pair], columns=ERA_COLUMNS)
    rows = rows.join(names, on="group_key").sort(pl.col("label").str.to_lowercase())
    shown = rows.filter(~pl.col("suppressed").fill_null(False) & pl.col("share").is_not_null()).with_columns(
        ci_low=pl.col("share_ci_low"), ci_high=pl.col("share_ci_high"), n=pl.col("schools_judged_in_era"),
        measure=pl.col("measure").map_elements(measure_label, return_dtype=pl.String))
    if 0 < shown.height and rows.get_column("label").n_unique() <= MAX_CHART_ROWS:
        order = shown.get_column("label").unique(maintain_order=True).to_list()
        st.altair_chart(charts.interval_chart(shown, "label", order, "Share good or outstanding", colour="measure"),
                        width="stretch")
    suppressed = rows.filter(pl.col("suppressed").fill_null(False)).get_column("label").unique().to_list()
    caption(view, evidence_age, rows.get_column("schools_judged_in_era").sum(), "judgements in their era",
            "overall effectiveness to Aug 2024, quality of education Sept 2024 - Nov 2025"
            + (f"; suppressed (too few schools): {', '.join(sorted(suppressed))}" if suppressed else ""))


def _improvement(pub: Publication, keys: list[str], names: pl.DataFrame, evidence_age: float | None) -> None:
    st.subheader("Weak joiners improved")
    if missing(pub, "patterns.group_improvement"):
        return
    rows = group_data.rows_for(pub, "patterns.group_improvement", keys, "and scope = 'group'",
                               columns=IMPROVEMENT_COLUMNS)
    rows = rows.join(names, on="group_key").sort(pl.col("label").str.to_lowercase())
    shown = rows.filter(pl.col("share_improved").is_not_null()).rename(
        {"share_improved": "share", "share_improved_ci_low": "ci_low", "share_improved_ci_high": "ci_high"}
    ).with_columns(n=pl.col("joiners"))
    if 0 < shown.height <= MAX_CHART_ROWS:
        st.altair_chart(charts.interval_chart(shown, "label", shown.get_column("label").to_list(),
                                              "Share of weak joiners improved"), width="stretch")
    caption(None, evidence_age, rows.get_column("joiners").sum(), "weak joiners",
            f"improvement read {fmt_num(rows.get_column('horizon_years').max(), 0)} years after the weak judgement; "
            "groups without weak joiners have no figure")
