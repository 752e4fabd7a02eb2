"""The draw (``draw``): a seeded simple random sample without replacement within each stratum, after
exclusions and with carried-over groups taken first, and each sampled group's design weight."""

from __future__ import annotations

import random
from collections.abc import Iterable

import polars as pl

from .frame_checks import KEY, STRATUM, _require_columns, _require_no_null_strata, _require_unique_keys, stratum_text

DESIGN_COLUMNS = ("population_groups", "excluded_groups", "sample_groups", "inclusion_probability", "design_weight")


def draw(frame: pl.DataFrame, allocation: pl.DataFrame, seed: int, exclude: Iterable[str] = (),
         keep: Iterable[str] = ()) -> pl.DataFrame:
    """Seeded simple random sample without replacement of n_h groups in each stratum.

    `keep`: groups carried over from an earlier sample (a panel). Within each stratum they are
    taken first (a seeded subset if more than n_h), the rest drawn at random from the others.
    If the earlier sample was itself a simple random sample of the same stratum, the carried-over
    sample is one too, so n_h / N_h stays its inclusion probability.

    Returns the sampled rows of `frame` (all its columns) with population_groups (N_h available
    after exclusion), excluded_groups, sample_groups (n_h actually drawn: fewer than allocated
    only if exclusion left fewer groups), inclusion_probability (n_h / N_h) and
    design_weight (N_h / n_h), sorted by stratum and group_key.
    """
    _require_columns(frame, [KEY, STRATUM], "draw: frame")
    _require_columns(allocation, [STRATUM, "sample_groups"], "draw: allocation")
    _require_unique_keys(frame, "draw: frame")
    _require_no_null_strata(frame, "draw: frame")
    frame = frame.drop(DESIGN_COLUMNS, strict=False)  # e.g. drawing again from an earlier sample

    targets = {stratum_text(s): n for s, n in zip(allocation[STRATUM].to_list(), allocation["sample_groups"].to_list())}
    missing = sorted({stratum_text(s) for s in frame[STRATUM].unique().to_list()} - set(targets))
    if missing:
        raise ValueError(f"draw: strata {missing[:10]} are in the frame but not in the allocation")

    excluded_keys = sorted({str(k) for k in exclude})
    is_excluded = pl.col(KEY).cast(pl.String).is_in(excluded_keys)
    by_stratum = (
        frame.group_by(STRATUM)
        .agg(
            pl.col(KEY).filter(~is_excluded).alias("available"),
            is_excluded.sum().cast(pl.Int64).alias("excluded_groups"),
        )
        .sort(STRATUM)
    )

    kept_keys = {str(k) for k in keep}
    chosen, design = [], []
    for stratum, available, excluded in by_stratum.iter_rows():
        keys = sorted(available)  # the draw must not depend on row order
        n = min(int(targets[stratum_text(stratum)]), len(keys))
        rng = random.Random(f"{seed}:{stratum_text(stratum)}")
        kept = [k for k in keys if str(k) in kept_keys]
        others = [k for k in keys if str(k) not in kept_keys]
        chosen += rng.sample(kept, n) if len(kept) >= n else kept + rng.sample(others, n - len(kept))
        design.append((stratum, len(keys), excluded, n))

    design_frame = pl.DataFrame(
        design,
        schema={STRATUM: frame.schema[STRATUM], "population_groups": pl.Int64, "excluded_groups": pl.Int64,
                "sample_groups": pl.Int64},
        orient="row",
    )
    return (
        frame.filter(pl.col(KEY).is_in(pl.Series(chosen, dtype=frame.schema[KEY])))
        .join(design_frame, on=STRATUM, how="left")
        .with_columns(
            (pl.col("sample_groups") / pl.col("population_groups")).alias("inclusion_probability"),
            (pl.col("population_groups") / pl.col("sample_groups")).alias("design_weight"),
        )
        .sort(STRATUM, KEY)
    )
