"""The sampling assets on a hand-built warehouse: terms, seeded draws, exclusion and carry-over
of the previous term's groups, and estimates beside the census."""

from __future__ import annotations

import random
from datetime import date

import duckdb
import polars as pl
import pytest
from dagster import materialize

from school_groups.sampling.indicators import INDICATORS
from assets.sampling.assets import period_of, sample_draw, sample_estimates
from pipelines.resources import build_resources
from school_groups.settings import load_settings

pytestmark = pytest.mark.slow


def frame(groups: int = 300) -> pl.DataFrame:
    rng = random.Random(3)
    rows = []
    for i in range(groups):
        schools = rng.choice([3, 4, 5, 8, 12, 30])
        judged = schools - rng.randint(0, 1)
        rows.append({"group_key": f"gias:{1000 + i}", "group_name": f"Trust {i}",
                     "display_name": f"Trust {i} (multi-academy trust, region {i % 5})", "group_kind": "multi_academy_trust",
                     # as sampling.sampling_frame gives it: a struct
                     "stratum": {"group_kind": "multi_academy_trust", "size_band": "2-5" if schools <= 5 else "6+",
                                 "phase_mix": "primary", "region": f"region {i % 5}"},
                     "schools": schools, "schools_judged_under_group": judged,
                     "schools_good_or_better_under_group": sum(rng.random() < 0.85 for _ in range(judged)),
                     "schools_judged": judged, "schools_weak": sum(rng.random() < 0.12 for _ in range(judged)),
                     "schools_stale_or_without_evidence": rng.randint(0, 2), "pupils_judged": 300.0 * judged,
                     "pupils_good_or_better": 250.0 * judged, "weak_joiners": rng.randint(0, 3),
                     "weak_joiners_improved": 0, "config_id": "test"})
    return pl.DataFrame(rows).with_columns(pl.min_horizontal("weak_joiners", 1).alias("weak_joiners_improved"))


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    def build(as_at: date, previous_groups: int = -1) -> dict:
        monkeypatch.setenv("SCHOOL_GROUPS_SAMPLE_PREVIOUS_GROUPS", str(previous_groups))
        settings = load_settings(home=tmp_path)
        con = duckdb.connect(str(tmp_path / "w.duckdb"))
        con.execute("create schema if not exists meta; create schema if not exists patterns; "
                    "create schema if not exists sampling")
        con.execute("create or replace table meta.settings (key varchar, value double, description varchar, "
                    "config_id varchar)")
        con.executemany("insert into meta.settings values (?, ?, ?, ?)",
                        [(k, v, t, settings.config_id) for k, (v, t) in settings.thresholds.items()])
        con.execute("create or replace table patterns.school_evidence as select ?::date as as_at", [as_at])
        con.register("f", frame().to_arrow())
        con.execute("create or replace table sampling.sampling_frame as select * from f")
        con.close()
        return build_resources(settings, tmp_path / "w.duckdb")
    return build


def drawn(resources: dict, period: str) -> list[tuple]:
    con = duckdb.connect(resources["warehouse"].database, read_only=True)
    try:
        return con.execute("select group_key, stratum, inclusion_probability, carried_over, excluded_period "
                           "from sampling.sample_draw where period = ? order by group_key", [period]).fetchall()
    finally:
        con.close()


def test_terms_are_labelled_and_ordered_by_their_start():
    assert period_of(date(2026, 10, 31)) == ("2026-autumn", date(2026, 9, 1))
    assert period_of(date(2027, 2, 28)) == ("2027-spring", date(2027, 1, 1))
    assert period_of(date(2027, 6, 30)) == ("2027-summer", date(2027, 5, 1))


def test_each_term_draws_again_leaving_out_last_terms_groups(warehouse):
    autumn = warehouse(date(2026, 10, 31))
    assert materialize([sample_draw, sample_estimates], resources=autumn).success
    first = drawn(autumn, "2026-autumn")
    assert len(first) == 200
    # the same term again: the same draw, replacing its rows
    assert materialize([sample_draw], resources=autumn).success
    assert drawn(autumn, "2026-autumn") == first
    spring = warehouse(date(2027, 2, 28))
    assert materialize([sample_draw, sample_estimates], resources=spring).success
    second = drawn(spring, "2027-spring")
    assert not {r[0] for r in first} & {r[0] for r in second}          # nobody twice in a row
    assert {r[4] for r in second} == {"2026-autumn"}
    assert len(second) == 300 - 200                                   # only 100 groups were left to draw
    assert drawn(spring, "2026-autumn") == first                      # earlier terms are kept


def test_carry_over_keeps_last_terms_groups(warehouse):
    autumn = warehouse(date(2026, 10, 31), previous_groups=1)
    assert materialize([sample_draw], resources=autumn).success
    summer = warehouse(date(2027, 6, 30), previous_groups=1)
    assert materialize([sample_draw, sample_estimates], resources=summer).success
    first, second = drawn(autumn, "2026-autumn"), drawn(summer, "2027-summer")
    assert [r[:3] for r in second] == [r[:3] for r in first] and all(r[3] for r in second)
    con = duckdb.connect(summer["warehouse"].database, read_only=True)
    estimates = con.execute("select indicator, estimate, ci_low, ci_high, census_value, groups_sampled "
                            "from sampling.sample_estimates where period = '2027-summer'").fetchall()
    con.close()
    assert {e[0] for e in estimates} == {i.name for i in INDICATORS}
    assert all(lo <= est <= hi and n == 200 for _, est, lo, hi, _, n in estimates)


def test_a_draw_table_from_before_a_schema_change_is_kept_aside_not_a_failure(warehouse):
    autumn = warehouse(date(2026, 10, 31))
    assert materialize([sample_draw], resources=autumn).success
    # the table as an older version wrote it: stratum as ' | '-joined text, no display_name
    con = duckdb.connect(autumn["warehouse"].database)
    con.execute("create table sampling.old as select * exclude (stratum, display_name), "
                "concat_ws(' | ', stratum.group_kind, stratum.size_band) as stratum from sampling.sample_draw")
    con.execute("drop table sampling.sample_draw; alter table sampling.old rename to sample_draw")
    con.close()
    spring = warehouse(date(2027, 2, 28))
    assert materialize([sample_draw, sample_estimates], resources=spring).success
    # last term's groups were still read (and left out) before the old table was set aside
    assert len(drawn(spring, "2027-spring")) == 300 - 200
    con = duckdb.connect(spring["warehouse"].database, read_only=True)
    kept = con.execute("select count(*), any_value(typeof(stratum)) from sampling.sample_draw_superseded "
                       "where period = '2026-autumn'").fetchall()
    con.close()
    assert kept == [(200, "VARCHAR")]


def test_a_column_added_since_is_null_for_earlier_periods(warehouse):
    autumn = warehouse(date(2026, 10, 31))
    assert materialize([sample_draw], resources=autumn).success
    con = duckdb.connect(autumn["warehouse"].database)
    con.execute("alter table sampling.sample_draw drop column display_name")
    con.close()
    spring = warehouse(date(2027, 2, 28))
    assert materialize([sample_draw], resources=spring).success
    con = duckdb.connect(spring["warehouse"].database, read_only=True)
    names = dict(con.execute("select period, count(display_name) from sampling.sample_draw group by 1").fetchall())
    con.close()
    assert names == {"2026-autumn": 0, "2027-spring": 100}
