"""The simulation study's harness (studies/improvement_simulation.py) on the national mirror's
warehouse: it runs the real SQL models on drawn worlds, a null world looks null and planted
improvers stand out. A few worlds only; the study itself (hundreds of worlds) is recorded in
studies/results/ and the README. Worlds are drawn from hashes, so these numbers are fixed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "studies"))
import improvement_simulation as study  # noqa: E402

pytestmark = pytest.mark.national


@pytest.fixture(scope="module")
def world(national_run):
    con = study.load(national_run.home / "warehouse.duckdb")
    yield con, study.planted_groups(con, national_run.truth)
    con.close()


def test_the_same_seed_draws_the_same_world_and_another_seed_another(world):
    con, _ = world
    bands = []
    for seed in (7, 7, 8):
        study.draw_world(con, seed, {}, 0.0, False)
        bands.append(con.execute("select list(outcome_band order by inspection_number) "
                                 "from core.inspections_in_context").fetchall()[0][0])
    assert bands[0] == bands[1] and bands[0] != bands[2]
    # the draws keep every inspection and only re-draw standings (monitoring visits keep theirs)
    assert con.execute("select count(*) from core.inspections_in_context").fetchall() == \
        con.execute("select count(*) from core.inspections_in_context_as_built").fetchall()


def test_null_worlds_flag_few_trusts_and_cover_zero(world):
    con, _ = world
    result = study.null_world(con, range(1, 4))
    assert result["mean_share_of_eligible_groups_flagged"] <= 0.10
    assert result["system_interval_covers_zero"] >= 2 / 3
    assert abs(result["system_effect_mean"]) < 0.05


def test_planted_improvers_stand_out_and_the_study_sends_weak_schools_to_sponsors(world):
    con, (improvers, generator_decliners, decliners) = world
    # every trust with six joiners that is not planted otherwise: 13 on seed 42
    assert len(improvers) == 9 and 10 <= len(decliners) <= len(generator_decliners)
    result = study.planted_world(con, range(1001, 1003), improvers, generator_decliners, decliners)
    # a random trust would put 0.9 of 9 in the top decile
    assert result["improvers_in_top_decile_mean"] >= 4
    assert result["other_groups_of_their_size_flag_rate"] <= 0.10
    # the whole signal chain ran on the drawn worlds: planted decliners raise decline signals, others rarely
    assert result["decliners_signalled_rate"] >= 0.6 and result["other_groups_signalled_rate"] <= 0.15
    before = con.execute("select count(*) from core.memberships_as_built").fetchall()[0][0]
    study.draw_world(con, 1, {}, 0.0, True)
    sent = con.execute("select count(*) from core.group_memberships").fetchall()[0][0] - before
    assert sent > 100, "the selection world sends every worst-band school that never joined a trust to a sponsor"
