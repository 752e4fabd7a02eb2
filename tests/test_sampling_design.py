"""Stratified sampling core (school_groups/sampling/design.py): allocation, seeded draws, ratio estimates.

Expected values are computed here independently (plain Python, Cochran's textbook forms), and
the interval's coverage is measured on a synthetic frame shaped like England's school groups.
"""

from __future__ import annotations

import math
import random
from statistics import NormalDist

import polars as pl
import pytest

from school_groups.sampling.design import Indicator, allocate, coverage_simulation, draw, estimate

SHARE_GOOD = Indicator("share_good", "good", "inspected", "schools judged good or better / schools inspected")
PUPILS_PER_SCHOOL = Indicator("pupils_per_school", "pupils", "schools", "pupils per school", is_share=False)
SHARE_INSPECTED = Indicator("share_inspected", "inspected", "schools", "schools inspected / schools")


def strata_frame(sizes: dict[str, int], **columns) -> pl.DataFrame:
    """One row per group: group_key, stratum, plus columns given as functions of the row index."""
    rows = []
    for stratum, size in sizes.items():
        for i in range(size):
            row = {"group_key": f"{stratum}-{i:04d}", "stratum": stratum}
            row.update({name: make(stratum, i) for name, make in columns.items()})
            rows.append(row)
    return pl.DataFrame(rows)


def allocated(allocation: pl.DataFrame) -> dict[str, int]:
    return dict(zip(allocation["stratum"].to_list(), allocation["sample_groups"].to_list()))


# --------------------------------------------------------------------------------------------
# allocate


@pytest.mark.parametrize("method", ["proportional", "neyman"])
@pytest.mark.parametrize("n_total", [12, 13, 57, 200, 755, 756])
def test_allocation_sums_to_n_total_within_bounds(method, n_total):
    sizes = {"a": 1, "b": 2, "c": 3, "d": 50, "e": 200, "f": 500}
    frame = strata_frame(sizes, score=lambda s, i: (i * 7919 % 101) * (1 + ord(s) % 3))
    result = allocate(frame, n_total, method=method, min_per_stratum=2, sd_column="score")
    n = allocated(result)
    assert sum(n.values()) == n_total
    assert dict(zip(result["stratum"], result["population_groups"])) == sizes
    for stratum, size in sizes.items():
        assert min(2, size) <= n[stratum] <= size


def test_small_strata_get_the_minimum_even_when_their_share_rounds_to_zero():
    sizes = {"big": 990, "tiny1": 4, "tiny2": 6}
    n = allocated(allocate(strata_frame(sizes), 50, min_per_stratum=2))
    assert n == {"big": 46, "tiny1": 2, "tiny2": 2}


def test_allocation_refuses_too_few_for_the_minimum():
    frame = strata_frame({s: 10 for s in "abcdefghij"})
    with pytest.raises(ValueError, match=r"n_total=19 .*min_per_stratum=2.*10 strata"):
        allocate(frame, 19, min_per_stratum=2)
    assert sum(allocated(allocate(frame, 20, min_per_stratum=2)).values()) == 20


def test_allocation_above_the_frame_takes_every_group():
    sizes = {"a": 3, "b": 7}
    assert allocated(allocate(strata_frame(sizes), 50)) == sizes


def test_proportional_allocation_is_proportional():
    sizes = {"a": 100, "b": 200, "c": 300, "d": 400}
    assert allocated(allocate(strata_frame(sizes), 100)) == {"a": 10, "b": 20, "c": 30, "d": 40}
    # Not divisible: exact shares 7.7, 15.4, 23.1, 30.8; the two spare units go to the largest
    # remainders (d, then a).
    assert allocated(allocate(strata_frame(sizes), 77, min_per_stratum=0)) == {"a": 8, "b": 15, "c": 23, "d": 31}


def test_neyman_gives_more_to_the_more_variable_stratum():
    # Same N; SDs in ratio exactly 1 : 5 (alternating 0/2 versus 0/10), so n_h in ratio 1 : 5.
    frame = strata_frame(
        {"calm": 100, "wild": 100},
        score=lambda s, i: (i % 2) * (2 if s == "calm" else 10),
    )
    assert allocated(allocate(frame, 60, method="neyman", sd_column="score")) == {"calm": 10, "wild": 50}
    assert allocated(allocate(frame, 60, method="proportional")) == {"calm": 30, "wild": 30}


def test_neyman_samples_strata_without_spread_like_proportional():
    # "flat" has SD 0 and "single" has no SD at all: both fall back to the average SD.
    frame = strata_frame(
        {"flat": 100, "single": 1, "mixed": 100},
        score=lambda s, i: 5 if s != "mixed" else (i % 2) * 4,
    )
    n = allocated(allocate(frame, 41, method="neyman", sd_column="score"))
    assert n["single"] == 1 and sum(n.values()) == 41
    assert n["flat"] == n["mixed"] == 20


def test_allocation_is_deterministic_and_ignores_row_order():
    frame = strata_frame({"a": 13, "b": 17, "c": 19}, score=lambda s, i: i * i % 11)
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=3)
    for method in ("proportional", "neyman"):
        first = allocate(frame, 11, method=method, sd_column="score")
        assert first.equals(allocate(shuffled, 11, method=method, sd_column="score"))


# --------------------------------------------------------------------------------------------
# draw


SIZES = {"north": 40, "south": 25, "east": 9, "west": 2}


def test_draw_is_reproducible_whatever_the_row_order_and_varies_with_the_seed():
    frame = strata_frame(SIZES)
    allocation = allocate(frame, 20)
    sample = draw(frame, allocation, seed=7)
    for shuffle_seed in (1, 2):
        shuffled = frame.sample(fraction=1.0, shuffle=True, seed=shuffle_seed)
        assert draw(shuffled, allocation, seed=7)["group_key"].to_list() == sample["group_key"].to_list()
    assert draw(frame, allocation, seed=8)["group_key"].to_list() != sample["group_key"].to_list()


def test_draw_takes_the_allocation_with_probabilities_n_over_N():
    frame = strata_frame(SIZES)
    allocation = allocate(frame, 20)
    sample = draw(frame, allocation, seed=11)
    n = allocated(allocation)
    assert sample["group_key"].n_unique() == sample.height == 20
    counts = dict(sample.group_by("stratum").len().iter_rows())
    assert counts == n
    for row in sample.iter_rows(named=True):
        assert row["population_groups"] == SIZES[row["stratum"]]
        assert row["inclusion_probability"] == pytest.approx(n[row["stratum"]] / SIZES[row["stratum"]])
        assert row["design_weight"] == pytest.approx(1 / row["inclusion_probability"])
    # Weights add back up to the population in each stratum.
    weights = dict(sample.group_by("stratum").agg(pl.col("design_weight").sum()).iter_rows())
    assert weights == pytest.approx({s: float(v) for s, v in SIZES.items()})


def test_draw_selects_each_group_equally_often():
    # A simple random sample: over many seeds each group is chosen about n/N of the time.
    frame = strata_frame({"only": 10})
    allocation = allocate(frame, 3)
    draws = 400
    hits = {k: 0 for k in frame["group_key"]}
    for seed in range(draws):
        for key in draw(frame, allocation, seed)["group_key"]:
            hits[key] += 1
    sd = math.sqrt(0.3 * 0.7 / draws)
    assert all(abs(h / draws - 0.3) < 4.5 * sd for h in hits.values()), hits


def test_draw_leaves_out_excluded_groups_and_adjusts_probabilities():
    frame = strata_frame(SIZES)
    allocation = allocate(frame, 20)
    n = allocated(allocation)
    excluded = [f"north-{i:04d}" for i in range(0, 40, 4)] + ["east-0000", "west-0000", "west-0001"]
    sample = draw(frame, allocation, seed=5, exclude=excluded)
    assert not set(sample["group_key"]) & set(excluded)
    design = {r["stratum"]: r for r in sample.unique("stratum").iter_rows(named=True)}
    assert design["north"]["population_groups"] == 30 and design["north"]["excluded_groups"] == 10
    assert design["north"]["inclusion_probability"] == pytest.approx(n["north"] / 30)
    assert design["east"]["population_groups"] == 8
    assert design["east"]["inclusion_probability"] == pytest.approx(n["east"] / 8)
    assert design["south"]["inclusion_probability"] == pytest.approx(n["south"] / 25)
    assert "west" not in design  # both groups excluded: nothing left to draw
    # Exclusion leaving fewer groups than allocated: take all of them, with probability 1.
    few = draw(frame, allocation, seed=5, exclude=[f"east-{i:04d}" for i in range(8)])
    east = few.filter(pl.col("stratum") == "east")
    assert east["group_key"].to_list() == ["east-0008"]
    assert east["inclusion_probability"].to_list() == [1.0]


def test_draw_refuses_strata_missing_from_the_allocation():
    frame = strata_frame(SIZES)
    allocation = allocate(frame, 20).filter(pl.col("stratum") != "east")
    with pytest.raises(ValueError, match="east"):
        draw(frame, allocation, seed=1)


# --------------------------------------------------------------------------------------------
# estimate


def indicator_frame(sizes: dict[str, int], seed: int = 1) -> pl.DataFrame:
    rng = random.Random(seed)
    schools = {k: 1 + int(rng.paretovariate(1.3)) for s, n in sizes.items() for k in range(n)}
    return strata_frame(
        sizes,
        schools=lambda s, i: schools[i],
        inspected=lambda s, i: max(0, schools[i] - (i % 3 == 0)),
        good=lambda s, i: max(0, schools[i] - (i % 3 == 0) - (i % 4 == 1)),
        pupils=lambda s, i: 250 * schools[i] + 37 * (i % 5),
    )


def test_a_census_sample_returns_the_census_value_with_zero_error():
    frame = indicator_frame(SIZES)
    sample = draw(frame, allocate(frame, frame.height), seed=1)
    result = estimate(sample, frame, [SHARE_GOOD, PUPILS_PER_SCHOOL])
    for row in result.iter_rows(named=True):
        assert row["estimate"] == row["census_value"]
        assert row["standard_error"] == 0.0
        assert row["ci_low"] == row["ci_high"] == row["census_value"]
        assert row["census_in_interval"] is True
        assert row["groups_sampled"] == row["groups_in_frame"] == frame.height
        assert row["strata"] == len(SIZES)


def test_a_census_sample_covers_the_census_value_despite_float_rounding():
    # Fractional values: the weighted and the plain sums add in different orders and can differ
    # in the last bit, yet a census must still count as covered.
    rng = random.Random(3)
    frame = pl.DataFrame({
        "group_key": [f"k{i:03d}" for i in range(300)],
        "stratum": [f"s{i % 7}" for i in range(300)],
        "fte": [rng.random() * 0.37 for _ in range(300)],
        "schools": [rng.random() + 0.3 for _ in range(300)],
    })
    fte_per_school = Indicator("fte_per_school", "fte", "schools", "weighted, fractional", is_share=False)
    sample = draw(frame, allocate(frame, frame.height), seed=1)
    for shuffle_seed in range(10):
        shuffled = frame.sample(fraction=1.0, shuffle=True, seed=shuffle_seed)
        row = estimate(sample, shuffled, [fte_per_school]).row(0, named=True)
        assert row["estimate"] == pytest.approx(row["census_value"], rel=1e-12)
        assert row["standard_error"] == 0.0 and row["census_in_interval"] is True


def test_standard_error_matches_cochrans_combined_ratio_formula():
    # Two strata; stratum "b" sampled at one unit of several (no variance), "c" a certainty stratum.
    frame = pl.DataFrame({
        "group_key": [f"g{i}" for i in range(12)],
        "stratum": ["a"] * 6 + ["b"] * 4 + ["c"] * 2,
        "good": [3, 1, 0, 5, 2, 2, 7, 1, 1, 4, 9, None],
        "inspected": [4, 1, 2, 6, 2, 3, 9, 1, 2, 4, 12, 3],
    })
    picked = {"a": ["g0", "g2", "g3", "g5"], "b": ["g7"], "c": ["g10", "g11"]}
    population = {"a": 6, "b": 4, "c": 2}
    sample = pl.DataFrame({
        "group_key": [k for keys in picked.values() for k in keys],
        "stratum": [s for s, keys in picked.items() for _ in keys],
        "population_groups": [population[s] for s, keys in picked.items() for _ in keys],
    })

    values = {k: (y or 0, x) for k, y, x in zip(frame["group_key"], frame["good"], frame["inspected"])}
    y_hat = sum(population[s] / len(ks) * sum(values[k][0] for k in ks) for s, ks in picked.items())
    x_hat = sum(population[s] / len(ks) * sum(values[k][1] for k in ks) for s, ks in picked.items())
    r = y_hat / x_hat
    # Cochran's form: v(R^) = 1/X^² Σ_h N_h²(1 - f_h)/n_h (s²_yh + R² s²_xh - 2 R s_yxh)
    variance = 0.0
    for s, ks in picked.items():
        n, big_n = len(ks), population[s]
        if n < 2:
            continue
        ys, xs = [values[k][0] for k in ks], [values[k][1] for k in ks]
        my, mx = sum(ys) / n, sum(xs) / n
        s_yy = sum((y - my) ** 2 for y in ys) / (n - 1)
        s_xx = sum((x - mx) ** 2 for x in xs) / (n - 1)
        s_xy = sum((y - my) * (x - mx) for y, x in zip(ys, xs)) / (n - 1)
        variance += big_n**2 * (1 - n / big_n) / n * (s_yy + r * r * s_xx - 2 * r * s_xy)
    se = math.sqrt(variance) / x_hat
    z = NormalDist().inv_cdf(0.95)

    row = estimate(sample, frame, [SHARE_GOOD], confidence=0.90).row(0, named=True)
    assert se > 0
    assert row["estimate"] == pytest.approx(r, rel=1e-12)
    assert row["standard_error"] == pytest.approx(se, rel=1e-12)
    assert row["ci_low"] == pytest.approx(r - z * se, rel=1e-12)
    assert row["ci_high"] == pytest.approx(min(1.0, r + z * se), rel=1e-12)
    assert row["census_value"] == pytest.approx(35 / 49)  # the null numerator counts as 0
    assert row["strata_with_single_unit"] == 1  # "b"; "c" is fully sampled, so it is not counted
    assert row["groups_sampled"] == 7 and row["strata"] == 3


def test_intervals_are_clipped_to_zero_one_only_for_shares():
    frame = strata_frame(
        {"a": 30},
        schools=lambda s, i: 1 + i % 2,
        inspected=lambda s, i: 1 + i % 2,
        good=lambda s, i: 1 + i % 2 if i != 3 else 0,  # nearly everyone good: the CI crosses 1
        pupils=lambda s, i: 1 + i % 2 if i != 3 else 0,
    )
    sample = pl.DataFrame({"group_key": [f"a-{i:04d}" for i in range(6)], "stratum": "a", "population_groups": 30})
    share_like_count = Indicator("pupils_per_school", "pupils", "schools", "same numbers, not a share", is_share=False)
    result = {r["indicator"]: r for r in estimate(sample, frame, [SHARE_GOOD, share_like_count]).iter_rows(named=True)}
    share, other = result["share_good"], result["pupils_per_school"]
    assert share["estimate"] == pytest.approx(other["estimate"]) and share["standard_error"] > 0
    assert other["ci_high"] > 1.0 and share["ci_high"] == 1.0
    assert share["ci_low"] == pytest.approx(other["ci_low"])


def test_estimate_refuses_sampled_groups_not_in_the_frame():
    frame = indicator_frame({"a": 5})
    sample = pl.DataFrame({"group_key": ["a-0000", "zz"], "stratum": ["a", "a"], "population_groups": [5, 5]})
    with pytest.raises(ValueError, match="zz"):
        estimate(sample, frame, [SHARE_GOOD])


# --------------------------------------------------------------------------------------------
# coverage on a frame shaped like England's school groups


def synthetic_groups(groups: int = 1500, seed: int = 20240901) -> pl.DataFrame:
    """Groups in 8 regions x 4 size bands (32 strata): half single-academy trusts, a third with
    2-5 schools, some 6-19 and a few of 20-60; quality varies by region and dips for big groups."""
    rng = random.Random(seed)
    regions = [f"region{i}" for i in range(8)]
    regional_quality = {r: rng.uniform(0.78, 0.92) for r in regions}
    rows = []
    for g in range(groups):
        u = rng.random()
        schools = 1 if u < 0.50 else rng.randint(2, 5) if u < 0.82 else rng.randint(6, 19) if u < 0.96 else rng.randint(20, 60)
        band = "1" if schools == 1 else "2-5" if schools <= 5 else "6-19" if schools <= 19 else "20+"
        region = rng.choice(regions)
        quality = min(0.99, max(0.3, rng.gauss(regional_quality[region] - 0.05 * (schools >= 20), 0.08)))
        inspected = sum(rng.random() < 0.9 for _ in range(schools))
        good = sum(rng.random() < quality for _ in range(inspected))
        rows.append({
            "group_key": f"TR{g:05d}",
            "stratum": f"{region}|{band}",
            "schools": schools,
            "inspected": inspected,
            "good": good if inspected else None,  # nothing inspected: unknown, counted as 0
            "pupils": sum(int(rng.lognormvariate(5.6, 0.5)) for _ in range(schools)),
        })
    return pl.DataFrame(rows).with_columns(
        # Neyman driver: residual of the main indicator at a typical rate.
        (pl.col("good").fill_null(0) - 0.85 * pl.col("inspected")).alias("good_residual")
    )


@pytest.mark.parametrize("method", ["proportional", "neyman"])
def test_intervals_cover_the_census_value_at_the_nominal_rate(method):
    frame = synthetic_groups()
    assert 20 <= frame["stratum"].n_unique() <= 40
    indicators = [SHARE_GOOD, PUPILS_PER_SCHOOL, SHARE_INSPECTED]
    result = coverage_simulation(
        frame, indicators, n_total=200, draws=300, seed=1000, method=method, sd_column="good_residual"
    )
    assert result["indicator"].to_list() == [i.name for i in indicators]
    for row in result.iter_rows(named=True):
        assert row["draws"] == 300
        assert row["coverage_rate"] >= 0.90, row
        # The variance formula is honest: its average SE is close to the spread of the estimates.
        assert 0.8 < row["mean_standard_error"] / row["empirical_sd_of_estimates"] < 1.25, row
        assert abs(row["relative_bias"]) < 0.01, row


def test_struct_strata_draw_and_estimate_as_their_text_does():
    """The warehouse's strata are structs whose collapsed fields are NULL (sampling.sampling_frame):
    the same groups are drawn, with the same weights and estimates, as when each stratum is its text."""
    text = strata_frame({"multi_academy_trust | 2-5": 40, "local_authority": 12},
                        good=lambda s, i: i % 3, inspected=lambda s, i: 3)
    as_struct = text.with_columns(pl.struct(
        group_kind=pl.col("stratum").str.split(" | ").list.get(0),
        size_band=pl.col("stratum").str.split(" | ").list.get(1, null_on_oob=True)).alias("stratum"))
    assert as_struct["stratum"].to_list()[-1] == {"group_kind": "local_authority", "size_band": None}
    drawn = {}
    for name, frame in (("text", text), ("struct", as_struct)):
        sample = draw(frame, allocate(frame, 10), seed=7)
        result = estimate(sample, frame, [SHARE_GOOD])
        drawn[name] = (sample.select("group_key", "design_weight").rows(), result.drop("strata").rows(),
                       result["strata"].to_list())
    assert drawn["struct"] == drawn["text"]
