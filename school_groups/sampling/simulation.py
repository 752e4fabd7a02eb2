"""Coverage simulation (``coverage_simulation``): the whole design repeated over many seeded draws,
each interval checked against the census value, to measure how honest the intervals are on a frame."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from .allocation import allocate
from .drawing import draw
from .estimation import Indicator, estimate


def coverage_simulation(
    frame: pl.DataFrame,
    indicators: Sequence[Indicator],
    n_total: int,
    draws: int,
    seed: int,
    method: str = "proportional",
    min_per_stratum: int = 2,
    sd_column: str | None = None,
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Repeat the design `draws` times (seeds seed, seed+1, ...) and check each interval against
    the census value. One row per indicator: draws, covered, coverage_rate, mean_estimate,
    census_value, relative_bias, mean_standard_error, empirical_sd_of_estimates.

    mean_standard_error close to empirical_sd_of_estimates means the variance formula is honest
    for this frame; relative_bias shows the ratio estimator's small-sample bias.
    """
    if draws < 1:
        raise ValueError(f"coverage_simulation: draws must be >= 1, got {draws}")
    allocation = allocate(frame, n_total, method, min_per_stratum, sd_column)
    results = pl.concat(
        [estimate(draw(frame, allocation, seed + i), frame, indicators, confidence) for i in range(draws)]
    )
    summary = results.group_by("indicator", maintain_order=True).agg(
        pl.len().cast(pl.Int64).alias("draws"),
        pl.col("census_in_interval").fill_null(False).sum().cast(pl.Int64).alias("covered"),
        pl.col("estimate").mean().alias("mean_estimate"),
        pl.first("census_value"),
        pl.col("standard_error").mean().alias("mean_standard_error"),
        pl.col("estimate").std(ddof=1).alias("empirical_sd_of_estimates"),
    )
    return summary.select(
        "indicator",
        "draws",
        "covered",
        (pl.col("covered") / pl.col("draws")).alias("coverage_rate"),
        "mean_estimate",
        "census_value",
        ((pl.col("mean_estimate") - pl.col("census_value")) / pl.col("census_value")).alias("relative_bias"),
        "mean_standard_error",
        "empirical_sd_of_estimates",
    )
