"""Page 2, group explorer: find a group by name or GIAS UID (told apart by kind and area), then its
profile, outcome patterns per era, improvement and capacity against its peers, signals with their
evidence, evidence age, and its schools with their latest evidence."""

from __future__ import annotations

import polars as pl
import streamlit as st

from school_groups.report.formatting import fmt_num

from .. import group_data
from ..figures import missing, pick_view
from ..labels import RELATION_LABELS, BAND_LABELS, kind_singular, words
from ..published import Publication
from . import group_sections


SCHOOL_COLUMNS = ("urn:integer", "establishment_name:varchar", "phase_group:varchar", "la_name:varchar",
                  "inspection_start:date", "outcome_band:varchar", "relation_to_group:varchar",
                  "latest_evidence_kind:varchar", "latest_evidence_start:date", "latest_evidence_age_years")


VIEW_TABLES = ("patterns.school_evidence", "patterns.group_era_patterns", "patterns.group_outcome_patterns")
MAX_MATCHES = 200       # offered in the picker; a longer list helps nobody and slows the page


def choose_group(pub: Publication, key: str) -> dict | None:
    """A search box and the matching groups; the chosen group's index row (None until one is found)."""
    groups = group_data.index(pub)
    text = st.text_input("Search a group by name or GIAS UID", key=f"{key}_search",
                         placeholder="e.g. Oak Trust, or 5143")
    if not text.strip():
        st.caption(f"{groups.height:,} groups with an open school are published.")
        return None
    found = group_data.search(groups, text)
    if found.is_empty():
        st.warning(f"No group's name or UID matches “{text}”.")
        return None
    labels = found.head(MAX_MATCHES).get_column("label").to_list()
    shown = f"{found.height:,} matching groups"
    if found.height > MAX_MATCHES:
        shown += f"; the first {MAX_MATCHES} by name"
    label = st.selectbox(shown, labels, key=f"{key}_pick")
    return found.row(labels.index(label), named=True)


def render(pub: Publication) -> None:
    st.title("Group explorer")
    if missing(pub, group_data.PROFILE):
        return
    group = choose_group(pub, "explorer")
    if group is None:
        return
    key = group["group_key"]
    st.header(group["label"])
    _profile(pub, key)
    # the group tables share one set of views; any of them lists it
    view_table = next((t for t in VIEW_TABLES if pub.has(t)), None)
    view = pick_view(pub, view_table, key="explorer_view") if view_table else None
    group_sections.outcomes_by_era(pub, key, view)
    group_sections.evidence_age(pub, key, view)
    group_sections.improvement_and_capacity(pub, key, view)
    group_sections.signals(pub, key)
    _schools(pub, key, view)


def _profile(pub: Publication, key: str) -> None:
    p = group_data.one(pub, group_data.PROFILE, key)
    if p is None:
        return
    cols = st.columns(5)
    cols[0].metric("Open schools", fmt_num(p.get("schools"), 0))
    cols[1].metric("Pupils", fmt_num(p.get("pupils"), 0))
    cols[2].metric("Local authorities", fmt_num(p.get("las_spanned"), 0))
    cols[3].metric("Group age", f"{fmt_num(p.get('group_age_years'), 1)} years")
    cols[4].metric("Schools, 3 years ago", fmt_num(p.get("schools_3y_ago"), 0),
                   delta=None if p.get("growth_3y") is None else int(p["growth_3y"]), delta_color="off")
    phases = ", ".join(f"{fmt_num(p[c], 0)} {words(c.removesuffix('_schools'))}"
                       for c in ("primary_schools", "secondary_schools", "all_through_schools", "nursery_schools",
                                 "special_schools", "ap_schools", "other_phase_schools") if p.get(c))
    uid = f"GIAS UID {p['group_uid']} · " if p.get("group_uid") is not None else ""
    st.caption(f"{uid}{kind_singular(p.get('group_kind'))} · main region {p.get('main_region') or 'unknown'} · "
               f"{phases or 'no phase recorded'} · profile as at {p.get('as_at')}")


def _schools(pub: Publication, key: str, view: str | None) -> None:
    st.subheader("Its schools and their latest evidence")
    if view is None or missing(pub, "patterns.school_evidence"):
        return
    rows = group_data.rows_for(pub, "patterns.school_evidence", [key], "and view = ? order by urn", view,
                               columns=SCHOOL_COLUMNS)
    table = rows.sort(pl.col("establishment_name").str.to_lowercase(), "urn").select(
        pl.col("urn").alias("URN"),
        pl.col("establishment_name").alias("School"),
        pl.col("phase_group").alias("Phase"),
        pl.col("la_name").alias("Local authority"),
        pl.col("inspection_start").cast(pl.Date).dt.strftime("%Y-%m-%d").alias("Counted judgement on"),
        pl.col("outcome_band").replace_strict(BAND_LABELS, default=pl.col("outcome_band")).fill_null("no judgement")
        .alias("Band (cross-era summary)"),
        pl.col("relation_to_group").replace_strict(RELATION_LABELS, default=pl.col("relation_to_group"))
        .fill_null("no judgement").alias("When it was made"),
        (pl.col("relation_to_group") == "under_group").fill_null(False).alias("Made under the group"),
        pl.col("latest_evidence_kind").alias("Latest evidence"),
        pl.col("latest_evidence_start").cast(pl.Date).dt.strftime("%Y-%m-%d").alias("Latest evidence on"),
        pl.col("latest_evidence_age_years").round(1).alias("Evidence age (years)"),
    )
    st.dataframe(table, hide_index=True, width="stretch")
    under = int(table.get_column("Made under the group").sum())
    st.caption(f"{table.height:,} open schools · {under:,} with the counted judgement made under the group · "
               "the band is the cross-era summary convention; each era's own grades are in the table above.")
