"""Caching, keyed by the publication: a query's result is kept per (file, run id, SQL, parameters), so a
new publication (a new run id) is never answered from the old one's cache and needs no restart.

Which publication is current is decided on every page load from the file's identity (inode, size,
mtime: a rename changes it), which costs one ``stat``; the file is opened only when that changes.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from . import published
from .published import Publication


@st.cache_data(max_entries=8, show_spinner=False)
def _publication(db: str, identity: tuple) -> Publication:
    return published.read_publication(Path(db))


def current_publication() -> Publication | None:
    """The publication in the published folder now, or None when nothing has been published there."""
    db = published.published_dir() / published.DB_NAME
    identity = published.file_identity(db)
    if identity is None:
        return None
    return _publication(str(db), identity)


@st.cache_data(max_entries=512, show_spinner=False)
def _frame(db: str, run_id: str, sql: str, params: tuple) -> pl.DataFrame:
    return published.query(Path(db), sql, params)


def frame(pub: Publication, sql: str, *params) -> pl.DataFrame:
    """The result of ``sql`` on ``pub``'s file, cached for that publication."""
    return _frame(str(pub.db), pub.run_id, sql, tuple(params))
