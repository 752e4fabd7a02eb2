"""Groups: the index a reader searches (every group in ``patterns.group_profile`` under a unique display
name), and the rows about one group or a few. Columns are read by name, and newer ones
(``display_name``) are used when the publication has them."""

from __future__ import annotations

import polars as pl
import streamlit as st

from . import cache
from .labels import display_name
from .published import Publication

PROFILE = "patterns.group_profile"
COMPARABILITY = "patterns.group_comparability"
PEER_KEYS = ("group_kind", "size_band", "phase_mix")     # the peer group of group_outcome_patterns
CAPACITY_COUNTS = ("schools", "schools_judged_before_and_under", "improved_since_joining", "maintained_since_joining",
                   "schools_stale_or_without_evidence", "schools_without_evidence_under_group")


def index(pub: Publication) -> pl.DataFrame:
    """group_key, group_name, group_kind, group_uid, label (unique), sorted by label."""
    return _index(str(pub.db), pub.run_id, pub)


@st.cache_data(max_entries=4, show_spinner=False)
def _index(db: str, run_id: str, _pub: Publication) -> pl.DataFrame:
    """Built once per publication (``_pub`` is not part of the cache key: the file and run id are)."""
    pub = _pub
    columns = pub.select(PROFILE, "group_key", "group_name", "group_kind", "group_uid:integer", "main_region:varchar",
                         "display_name:varchar",
                         "group_display_name:varchar")
    rows = cache.frame(pub, f"select {columns} from {PROFILE}")
    labels = [display_name(r) for r in rows.iter_rows(named=True)]
    frame = rows.with_columns(label=pl.Series(labels, dtype=pl.String))
    # Two groups with the same name, kind and region stay apart by their key.
    repeated = pl.col("label").is_duplicated()
    frame = frame.with_columns(label=pl.when(repeated).then(pl.format("{} [{}]", "label", "group_key"))
                               .otherwise(pl.col("label")))
    return frame.sort(pl.col("label").str.to_lowercase())


def search(groups: pl.DataFrame, text: str) -> pl.DataFrame:
    """Groups whose name contains ``text`` (any case), whose GIAS UID or key is ``text``; exact names first."""
    text = text.strip()
    if not text:
        return groups.head(0)
    lowered = text.casefold()
    hit = pl.col("group_name").str.to_lowercase().str.contains(lowered, literal=True) | (pl.col("group_key") == text)
    if text.isdigit():
        hit = hit | (pl.col("group_uid") == int(text)) | (pl.col("group_key") == f"la:{text}")
    found = groups.filter(hit)
    exact = (pl.col("group_name").str.to_lowercase() == lowered).cast(pl.Int8)
    return found.sort([exact, pl.col("label").str.to_lowercase()], descending=[True, False])


def rows_for(pub: Publication, table: str, keys: list[str], where: str = "", *params,
             columns: tuple[str, ...] = ()) -> pl.DataFrame:
    """Rows of ``table`` for the groups ``keys`` (and an optional extra condition): every column, or
    ``columns`` (NULL where this publication lacks one; see Publication.select)."""
    marks = ", ".join("?" for _ in keys)
    listed = pub.select(table, "group_key:varchar", *columns) if columns else "*"
    return cache.frame(pub, f"select {listed} from {table} where group_key in ({marks}) {where}", *keys, *params)


def one(pub: Publication, table: str, key: str, where: str = "", *params) -> dict | None:
    if not pub.has(table):
        return None
    found = rows_for(pub, table, [key], where, *params)
    return found.row(0, named=True) if found.height else None


def peers(pub: Publication, key: str) -> pl.DataFrame:
    """The group's comparability peers (same kind, size band and phase mix), the group included."""
    if not pub.has(COMPARABILITY):
        return pl.DataFrame(schema={"group_key": pl.String})
    match = " and ".join(f"p.{c} = g.{c}" for c in PEER_KEYS)
    return cache.frame(pub, f"select p.* from {COMPARABILITY} p join {COMPARABILITY} g on {match} "
                            "where g.group_key = ?", key)


def pooled_peer_figures(pub: Publication, peer_keys: list[str]) -> dict:
    """Improvement and capacity pooled over the peers: sums of numerators over sums of denominators."""
    out: dict = {"groups": len(peer_keys)}
    if pub.has("patterns.group_improvement") and peer_keys:
        imp = rows_for(pub, "patterns.group_improvement", peer_keys, "and scope = 'group'",
                       columns=("joiners", "joiners_improved"))
        joiners = imp.get_column("joiners").sum() if imp.height else 0
        out["joiners"] = joiners
        out["share_improved"] = imp.get_column("joiners_improved").sum() / joiners if joiners else None
    if pub.has("patterns.group_capacity") and peer_keys:
        cap = rows_for(pub, "patterns.group_capacity", peer_keys, columns=CAPACITY_COUNTS)
        judged = cap.get_column("schools_judged_before_and_under").sum()
        schools = cap.get_column("schools").sum()
        kept = cap.get_column("improved_since_joining").sum() + cap.get_column("maintained_since_joining").sum()
        out["schools_judged_before_and_under"] = judged
        out["share_maintained_or_improved_since_joining"] = kept / judged if judged else None
        out["schools"] = schools
        out["share_stale_or_without_evidence"] = (
            cap.get_column("schools_stale_or_without_evidence").sum() / schools if schools else None)
        out["share_without_evidence_under_group"] = (
            cap.get_column("schools_without_evidence_under_group").sum() / schools if schools else None)
    return out
