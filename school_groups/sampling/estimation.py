"""Estimation (``estimate``): the indicators (:class:`Indicator`, a ratio of two per-group columns), their
stratified combined ratio estimates with linearised standard errors, design effects and normal intervals,
beside the census values. The formulas and their references are in the module docstring of ``design``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import polars as pl

from .frame_checks import KEY, STRATUM, _require_columns, _require_unique_keys

# Relative tolerance for "census in interval": a census sample gives SE 0, and the weighted sum
# may differ from the plain sum in the last bit because floats are added in another order.
_CENSUS_TOLERANCE = 1e-12


@dataclass(frozen=True)
class Indicator:
    name: str  # e.g. "share_schools_good_or_better"
    numerator: str  # per-group count (or weighted sum) y_g
    denominator: str  # per-group base x_g; the indicator is R = Σ y / Σ x
    description: str
    is_share: bool = True  # a proportion: its confidence interval is clipped to [0, 1]


def estimate(
    sample: pl.DataFrame,
    frame: pl.DataFrame,
    indicators: Sequence[Indicator],
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Stratified combined ratio estimate, linearised SE and normal CI for each indicator, beside
    the census value over the whole frame. One row per indicator.

    `sample` needs group_key, stratum and population_groups (N_h, as returned by `draw`); the
    indicator values are read from `frame` by group_key, so the sample and the census use the
    same numbers. n_h is the number of sample rows in the stratum.
    """
    if not 0 < confidence < 1:
        raise ValueError(f"estimate: confidence must be between 0 and 1, got {confidence}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    # Floating-point sums depend on the order of their terms: fix it, so that the same sample gives
    # the same bits on every run (a rerun with unchanged inputs then changes nothing downstream).
    frame = frame.sort(KEY)
    design, data = _sample_data(sample, frame, indicators)
    design, data = design.sort(STRATUM), data.sort(STRATUM, KEY)
    # a frame-level anti-join, not Python sets: strata may be structs (dicts are not hashable)
    strata_not_sampled = frame.select(STRATUM).unique().join(design.select(STRATUM), on=STRATUM, how="anti").height
    rows = []
    for indicator in indicators:
        census = _census_ratio(frame, indicator)
        point = _ratio_estimate(data, indicator)
        interval = _interval(point["estimate"], point["standard_error"], z, indicator.is_share)
        rows.append({
            "indicator": indicator.name,
            "description": indicator.description,
            **point,
            **interval,
            "census_value": census,
            "census_in_interval": _covers(interval, census),
            "groups_sampled": data.height,
            "groups_in_frame": frame.height,
            "strata": design.height,
            "strata_not_sampled": strata_not_sampled,
        })
    return pl.DataFrame(rows, schema=_ESTIMATE_SCHEMA)


_ESTIMATE_SCHEMA = {
    "indicator": pl.String,
    "description": pl.String,
    "estimate": pl.Float64,
    "standard_error": pl.Float64,
    "design_effect": pl.Float64,
    "strata_with_single_unit": pl.Int64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "census_value": pl.Float64,
    "census_in_interval": pl.Boolean,
    "groups_sampled": pl.Int64,
    "groups_in_frame": pl.Int64,
    "strata": pl.Int64,
    "strata_not_sampled": pl.Int64,
}


def _sample_data(sample: pl.DataFrame, frame: pl.DataFrame, indicators: Sequence[Indicator]):
    """The sampled groups' design columns joined to their indicator values from the frame."""
    columns = sorted({c for i in indicators for c in (i.numerator, i.denominator)})
    _require_columns(sample, [KEY, STRATUM, "population_groups"], "estimate: sample")
    _require_columns(frame, [KEY, STRATUM, *columns], "estimate: frame")
    _require_unique_keys(sample, "estimate: sample")
    _require_unique_keys(frame, "estimate: frame")
    design = sample.group_by(STRATUM).agg(
        pl.len().cast(pl.Int64).alias("n"),
        pl.col("population_groups").min().alias("N"),
        pl.col("population_groups").max().alias("N_max"),
    )
    bad = design.filter((pl.col("N") != pl.col("N_max")) | (pl.col("n") > pl.col("N")))
    if bad.height:
        raise ValueError(
            f"estimate: sample strata {bad[STRATUM].to_list()[:10]} have population_groups that vary "
            "within the stratum or are smaller than the number of sampled rows"
        )
    data = sample.select(KEY, STRATUM).join(frame.select(KEY, *columns), on=KEY, how="left", coalesce=True)
    unknown = sample.join(frame.select(KEY), on=KEY, how="anti")
    if unknown.height:
        raise ValueError(f"estimate: sampled group_keys not in the frame: {unknown[KEY].to_list()[:10]}")
    return design.drop("N_max"), data.join(design.drop("N_max"), on=STRATUM, how="left")


def _values(indicator: Indicator) -> list[pl.Expr]:
    # A null numerator or denominator counts as 0 (e.g. a group with no inspected schools adds
    # nothing to either sum), in the sample and in the census alike.
    return [
        pl.col(indicator.numerator).cast(pl.Float64).fill_null(0.0).alias("y"),
        pl.col(indicator.denominator).cast(pl.Float64).fill_null(0.0).alias("x"),
    ]


def _census_ratio(frame: pl.DataFrame, indicator: Indicator) -> float | None:
    y, x = frame.select(_values(indicator)).sum().row(0)
    return y / x if x else None


def _ratio_estimate(data: pl.DataFrame, indicator: Indicator) -> dict:
    """R^ = Y^/X^ with v(R^) = Σ_h N_h²(1 - n_h/N_h) s²_eh / n_h / X^² (see the module docstring)."""
    values = data.select(STRATUM, "n", "N", *_values(indicator))
    weighted = values.select(
        (pl.col("N") / pl.col("n") * pl.col("y")).sum().alias("Y"),
        (pl.col("N") / pl.col("n") * pl.col("x")).sum().alias("X"),
    )
    y_hat, x_hat = weighted.row(0)
    single = values.group_by(STRATUM).agg(pl.first("n"), pl.first("N")).filter(
        (pl.col("n") == 1) & (pl.col("N") > 1)
    ).height
    if not x_hat:  # no sampled base at all: the ratio is undefined
        return {"estimate": None, "standard_error": None, "design_effect": None, "strata_with_single_unit": single}
    ratio = y_hat / x_hat
    residuals = values.with_columns((pl.col("y") - ratio * pl.col("x")).alias("e"))
    per_stratum = residuals.group_by(STRATUM, maintain_order=True).agg(
        pl.first("n"), pl.first("N"),
        # n_h = 1: no within-stratum variance can be estimated; it contributes 0 (counted above).
        pl.col("e").var(ddof=1).fill_null(0.0).alias("s2"),
    )
    variance = per_stratum.select(
        (pl.col("N") ** 2 * (1 - pl.col("n") / pl.col("N")) * pl.col("s2") / pl.col("n")).sum()
    ).item() / x_hat**2
    variance = max(variance, 0.0)
    return {
        "estimate": ratio,
        "standard_error": math.sqrt(variance),
        "design_effect": _design_effect(residuals, variance, x_hat),
        "strata_with_single_unit": single,
    }


def _design_effect(residuals: pl.DataFrame, variance: float, x_hat: float) -> float | None:
    """v(R^) over the variance of R^ under SRS of the same n from all N groups (approximate)."""
    weight = pl.col("N") / pl.col("n")
    n_total, n_pop, weighted_mean = residuals.select(
        pl.len().alias("n_total"),
        weight.sum().alias("n_pop"),
        ((weight * pl.col("e")).sum() / weight.sum()).alias("mean"),
    ).row(0)
    if n_pop <= 1:
        return None
    s2 = residuals.select((weight * (pl.col("e") - weighted_mean) ** 2).sum()).item() / (n_pop - 1)
    srs_variance = n_pop**2 * (1 - n_total / n_pop) * s2 / n_total / x_hat**2
    return variance / srs_variance if srs_variance > 0 else None


def _interval(point: float | None, se: float | None, z: float, is_share: bool) -> dict:
    if point is None or se is None:
        return {"ci_low": None, "ci_high": None}
    low, high = point - z * se, point + z * se
    if is_share:
        low, high = max(low, 0.0), min(high, 1.0)
    return {"ci_low": low, "ci_high": high}


def _covers(interval: dict, census: float | None) -> bool | None:
    low, high = interval["ci_low"], interval["ci_high"]
    if low is None or census is None:
        return None
    slack = _CENSUS_TOLERANCE * max(1.0, abs(census))
    return low - slack <= census <= high + slack
