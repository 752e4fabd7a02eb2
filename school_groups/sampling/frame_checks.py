"""The frame's key and stratum columns, and the input checks every step of the design runs: errors
say which input, which column and what was expected."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

KEY, STRATUM = "group_key", "stratum"


def stratum_text(stratum: object) -> str:
    """A stratum as text, for seeds, dictionary keys and messages. The warehouse's strata are structs
    (polars hands them over as dicts); their set fields are joined in order, the NULLs of a collapsed
    stratum left out, so a seed does not depend on how the stratum is stored."""
    if isinstance(stratum, dict):
        return " | ".join(str(v) for v in stratum.values() if v is not None)
    return str(stratum)


def _require_columns(frame: pl.DataFrame, columns: Iterable[str], where: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{where} lacks column(s) {missing}; it has {frame.columns}")


def _require_unique_keys(frame: pl.DataFrame, where: str) -> None:
    duplicated = frame.filter(pl.col(KEY).is_duplicated())[KEY].unique().to_list()
    if duplicated:
        raise ValueError(f"{where}: {KEY} must be unique, repeated: {sorted(duplicated, key=str)[:10]}")


def _require_no_null_strata(frame: pl.DataFrame, where: str) -> None:
    nulls = frame[STRATUM].null_count()
    if nulls:
        raise ValueError(f"{where}: {nulls} row(s) have a null {STRATUM}; every group needs a stratum")
