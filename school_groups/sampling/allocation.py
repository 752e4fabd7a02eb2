"""Allocation (``allocate``): share the sample among strata, proportionally or by Neyman, within
min(min_per_stratum, N_h) <= n_h <= N_h by water filling, rounded by largest remainder. The method
and its references are in the module docstring of ``design``."""

from __future__ import annotations

import math

import polars as pl

from .frame_checks import STRATUM, _require_columns, _require_no_null_strata

METHODS = ("proportional", "neyman")


def allocate(
    frame: pl.DataFrame,
    n_total: int,
    method: str = "proportional",
    min_per_stratum: int = 2,
    sd_column: str | None = None,
) -> pl.DataFrame:
    """Share n_total sampled groups among strata: one row per stratum with
    stratum, population_groups (N_h), sample_groups (n_h).

    sum n_h == n_total unless the frame has fewer groups (then every group is taken);
    min(min_per_stratum, N_h) <= n_h <= N_h. Raises ValueError if n_total cannot give every
    stratum its minimum.
    """
    if method not in METHODS:
        raise ValueError(f"allocate: method must be one of {METHODS}, got {method!r}")
    if n_total < 0 or min_per_stratum < 0:
        raise ValueError(f"allocate: n_total ({n_total}) and min_per_stratum ({min_per_stratum}) must be >= 0")
    if method == "neyman" and sd_column is None:
        raise ValueError("allocate: method 'neyman' needs sd_column (the column whose within-stratum SD drives n_h)")
    _require_columns(frame, [STRATUM] + ([sd_column] if sd_column else []), "allocate: frame")
    _require_no_null_strata(frame, "allocate: frame")
    if frame.height == 0:
        raise ValueError("allocate: the frame has no groups")

    strata = _stratum_sizes(frame, sd_column if method == "neyman" else None)
    sizes = strata["population_groups"].to_list()
    lower = [min(min_per_stratum, n) for n in sizes]
    if n_total < sum(lower):
        raise ValueError(
            f"allocate: n_total={n_total} is too small to sample min_per_stratum={min_per_stratum} groups "
            f"from each of {len(sizes)} strata (needs at least {sum(lower)}); "
            "raise n_total, lower min_per_stratum or collapse strata"
        )
    total = min(n_total, sum(sizes))  # more than the frame holds: take every group
    if method == "neyman":
        weights = [n * s for n, s in zip(sizes, _neyman_sds(strata["sd"].to_list()))]
    else:
        weights = [float(n) for n in sizes]
    continuous = _water_fill(weights, lower, sizes, total)
    return strata.select(STRATUM, "population_groups").with_columns(
        pl.Series("sample_groups", _largest_remainder(continuous, lower, sizes, total), dtype=pl.Int64)
    )


def _stratum_sizes(frame: pl.DataFrame, sd_column: str | None) -> pl.DataFrame:
    aggregations = [pl.len().cast(pl.Int64).alias("population_groups")]
    if sd_column:
        aggregations.append(pl.col(sd_column).cast(pl.Float64).std(ddof=1).alias("sd"))
    return frame.group_by(STRATUM).agg(aggregations).sort(STRATUM)


def _neyman_sds(sds: list[float | None]) -> list[float]:
    """S_h for Neyman weights; 0 or unknown SDs become the mean of the known ones (proportional)."""
    known = [s for s in sds if s is not None and math.isfinite(s) and s > 0]
    fallback = sum(known) / len(known) if known else 1.0
    return [s if s is not None and math.isfinite(s) and s > 0 else fallback for s in sds]


def _water_fill(weights: list[float], lower: list[int], upper: list[int], total: int) -> list[float]:
    """Continuous n_h = clip(λ w_h, lower_h, upper_h) with Σ n_h = total (weights > 0).

    Σ clip(λ w_h, ...) is piecewise linear and non-decreasing in λ, with kinks at lower_h / w_h
    and upper_h / w_h: find the segment where it reaches `total` and solve the line there.
    """
    def filled(lam: float) -> float:
        return sum(min(max(lam * w, lo), up) for w, lo, up in zip(weights, lower, upper))

    if total <= sum(lower):
        return [float(lo) for lo in lower]
    kinks = sorted({0.0} | {lo / w for w, lo in zip(weights, lower)} | {up / w for w, up in zip(weights, upper)})
    for a, b in zip(kinks, kinks[1:]):
        if filled(b) >= total:
            # On (a, b) only strata strictly between their bounds grow, each at rate w_h.
            slope = sum(w for w, lo, up in zip(weights, lower, upper) if lo / w <= a and up / w >= b)
            lam = a + (total - filled(a)) / slope
            return [min(max(lam * w, lo), up) for w, lo, up in zip(weights, lower, upper)]
    return [float(up) for up in upper]


def _largest_remainder(continuous: list[float], lower: list[int], upper: list[int], total: int) -> list[int]:
    """Round to integers with the given total, within bounds; ties go to the earlier stratum."""
    # The small epsilon stops 2.9999999999 (float noise from the water filling) rounding to 2.
    counts = [min(max(math.floor(c + 1e-9), lo), up) for c, lo, up in zip(continuous, lower, upper)]
    remainders = [c - n for c, n in zip(continuous, counts)]
    short = total - sum(counts)
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], i))
    for i in order:
        if short <= 0:
            break
        if counts[i] < upper[i]:
            counts[i] += 1
            short -= 1
    for i in reversed(order):  # only float noise can over-allocate; undo from the smallest remainder
        if short >= 0:
            break
        if counts[i] > lower[i]:
            counts[i] -= 1
            short += 1
    return counts
