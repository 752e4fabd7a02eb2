"""The sections of one group's page: outcomes per era, evidence age, improvement and capacity against
its comparability peers, and the signals with the evidence rows they rest on."""

from __future__ import annotations

import polars as pl
import streamlit as st

from school_groups.report.formatting import fmt_num, fmt_pct, fmt_points
from school_groups.report.signal_words import signal_name, signal_rule, signal_type

from .. import charts, group_data, trend_data
from ..figures import SUPPRESSED, caption, missing, setting
from ..labels import measure_label, outcome_label, share_with_interval, view_label, words, years

# What the improvement metric boxes are called: the browser test finds them by these labels.
IMPROVED_LABEL = "Weak joiners improved"
EFFECT_LABEL = "Effect against similar schools"
ERA_COLUMNS = ("reporting_era:varchar", "measure:varchar", "outcome:varchar", "schools_in_group", "schools_judged_in_era",
               "schools_latest_evidence_in_era", "suppressed:boolean", "share", "share_ci_low", "share_ci_high")
EVIDENCE_SCHEMA = {"urn": pl.Int64, "inspection_number": pl.String, "detail": pl.String}


def _patterns(pub, key: str, view: str | None) -> dict | None:
    if view is None:
        return None
    return group_data.one(pub, "patterns.group_outcome_patterns", key, "and view = ? and weighting = 'schools'", view)


def outcomes_by_era(pub, key: str, view: str | None) -> None:
    st.subheader("Outcome patterns, each era on its own scale")
    if view is None or missing(pub, "patterns.group_era_patterns"):
        return
    rows = group_data.rows_for(pub, "patterns.group_era_patterns", [key], "and view = ?", view, columns=ERA_COLUMNS)
    if rows.is_empty():
        st.info(f"No judgements of this group's schools in the view “{view_label(view).lower()}”.")
        return
    era_order = {e: i for i, e in enumerate(("overall_effectiveness", "key_judgements", "report_card"))}
    rows = rows.with_columns(
        what=pl.format("{}: {}", pl.col("measure").map_elements(measure_label, return_dtype=pl.String),
                       pl.col("outcome").map_elements(outcome_label, return_dtype=pl.String)),
        n=pl.col("schools_judged_in_era"),
        era_rank=pl.col("reporting_era").replace_strict(era_order, default=9),
        era=pl.col("reporting_era").replace_strict(trend_data.era_labels(pub), default=pl.col("reporting_era")),
    ).sort("era_rank", "measure", "outcome")
    shown = rows.filter(~pl.col("suppressed").fill_null(False) & pl.col("share").is_not_null())
    if shown.height:
        order = shown.get_column("what").unique(maintain_order=True).to_list()
        chart = shown.rename({"share_ci_low": "ci_low", "share_ci_high": "ci_high"})
        st.altair_chart(charts.interval_chart(chart, "what", order, "Share of schools judged in the era",
                                              colour="era"), width="stretch")
    p = _patterns(pub, key, view) or {}
    caption(view, p.get("latest_evidence_age_median_years"), rows.get_column("schools_in_group").max(),
            "open schools", "n judged in each era in the table; 95% Wilson intervals")
    table = rows.select(
        pl.col("era").alias("Era"),
        pl.col("what").alias("Measure: outcome"),
        pl.struct("suppressed", "share", "share_ci_low", "share_ci_high").map_elements(
            lambda r: SUPPRESSED if r["suppressed"]
            else share_with_interval(r["share"], r["share_ci_low"], r["share_ci_high"]),
            return_dtype=pl.String).alias("Share (interval)"),
        pl.col("schools_judged_in_era").alias("n (judged in era)"),
        pl.col("schools_latest_evidence_in_era").alias("Latest evidence in era"),
    )
    st.dataframe(table, hide_index=True, width="stretch")


def evidence_age(pub, key: str, view: str | None) -> None:
    st.subheader("How old the evidence is")
    p = _patterns(pub, key, view)
    if p is None:
        st.info("No outcome pattern for this group in this view.")
        return
    cols = st.columns(4)
    cols[0].metric("Judgement age (median)", years(p.get("evidence_age_median_years")),
                   help="Age of the judgement each school's view counts")
    cols[1].metric("Evidence age (median)", years(p.get("latest_evidence_age_median_years")),
                   help="Age of each school's latest evidence of any kind: graded, ungraded or report card")
    cols[2].metric("Beyond the inspection cycle",
                   SUPPRESSED if p.get("suppressed") else fmt_pct(p.get("share_beyond_cycle")))
    cols[3].metric("Stale evidence", SUPPRESSED if p.get("suppressed") else fmt_pct(p.get("share_stale")))
    caption(view, p.get("latest_evidence_age_median_years"), p.get("schools_with_evidence"), "schools with evidence")


def improvement_and_capacity(pub, key: str, view: str | None) -> None:
    st.subheader("Improvement and capacity, against its comparability peers")
    imp = group_data.one(pub, "patterns.group_improvement", key, "and scope = 'group'")
    cap = group_data.one(pub, "patterns.group_capacity", key) or {}
    peer_rows = group_data.peers(pub, key)
    # the yardstick is the other peers: the group itself would pull the pool towards its own figures
    others = [k for k in peer_rows.get_column("group_key").to_list() if k != key]
    peer = group_data.pooled_peer_figures(pub, others)
    if imp is not None:
        cols = st.columns(3)
        cols[0].metric(IMPROVED_LABEL, fmt_pct(imp.get("share_improved")),
                       help=f"{fmt_num(imp.get('joiners_improved'), 0)} of {fmt_num(imp.get('joiners'), 0)} weak "
                            f"joiners, {fmt_num(imp.get('horizon_years'), 0)} years after the weak judgement")
        cols[1].metric(EFFECT_LABEL, fmt_points(imp.get("effect")),
                       help="Share improved among matched joiners minus that of similar schools that had not joined")
        cols[2].metric("Weak joiners (n)", fmt_num(imp.get("joiners"), 0))
        improved = share_with_interval(imp.get("share_improved"), imp.get("share_improved_ci_low"),
                                       imp.get("share_improved_ci_high"))
        st.caption(f"Share improved {improved}; "
                   f"effect interval {fmt_points(imp.get('effect_ci_low'))} to {fmt_points(imp.get('effect_ci_high'))}; "
                   f"not yet judged {fmt_pct(imp.get('share_not_yet_judged'))}; "
                   + ("eligible for comparison" if imp.get("eligible") else "too few matched joiners to compare"))
    peer_label = " · ".join(words(peer_rows.row(0, named=True)[c]) for c in group_data.PEER_KEYS
                            if c in peer_rows.columns) if peer_rows.height else "no peers published"
    rows = [
        ("Weak joiners improved", imp and imp.get("share_improved"), imp and imp.get("joiners"),
         peer.get("share_improved"), peer.get("joiners")),
        ("Maintained or improved since joining", cap.get("share_maintained_or_improved_since_joining"),
         cap.get("schools_judged_before_and_under"), peer.get("share_maintained_or_improved_since_joining"),
         peer.get("schools_judged_before_and_under")),
        ("No judgement under the group yet", cap.get("share_without_evidence_under_group"), cap.get("schools"),
         peer.get("share_without_evidence_under_group"), peer.get("schools")),
        ("Stale or no evidence", cap.get("share_stale_or_without_evidence"), cap.get("schools"),
         peer.get("share_stale_or_without_evidence"), peer.get("schools")),
    ]
    table = pl.DataFrame([{
        "Figure": name,
        "This group": SUPPRESSED if value is None and n else fmt_pct(value),
        "n": fmt_num(n, 0),
        f"Other peers pooled ({peer.get('groups', 0)} groups)": fmt_pct(peer_value),
        "Peers' n": fmt_num(peer_n, 0),
    } for name, value, n, peer_value, peer_n in rows])
    st.dataframe(table, hide_index=True, width="stretch")
    evidence = (_patterns(pub, key, view) or {}).get("latest_evidence_age_median_years")
    caption(None, evidence, imp and imp.get("joiners"), "weak joiners",
            f"n of each figure in the table; peers: {peer_label} (patterns.group_comparability); growth over three "
            f"years: {fmt_num(cap.get('growth_3y'), 0)} schools",
            view_words="judgements before and after joining, the school followed through its successors")


def signals(pub, key: str) -> None:
    st.subheader("Signals")
    if missing(pub, "patterns.group_signals"):
        return
    rows = group_data.rows_for(pub, "patterns.group_signals", [key], "order by signal")
    if rows.is_empty():
        st.write("No signal fired for this group (a signal is a reason to look closer, never a grade).")
        return
    stale_after = setting(pub, "stale_after_years")
    for s in rows.iter_rows(named=True):
        with st.expander(f"{signal_name(s.get('signal'))} — {signal_type(s.get('signal_type')).lower()}", expanded=False):
            st.write(signal_rule(s, stale_after))
            st.caption(f"Signal {s.get('signal')} · metric {fmt_num(s.get('metric'), 2)} against threshold "
                       f"{fmt_num(s.get('threshold'), 2)} · n = {len(s.get('evidence') or [])} schools in the evidence")
            evidence = s.get("evidence") or []
            st.dataframe(pl.DataFrame(evidence) if evidence else pl.DataFrame(schema=EVIDENCE_SCHEMA),
                         hide_index=True, width="stretch")
