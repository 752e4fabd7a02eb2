"""The dashboard without a browser: its reading of the published file (a republication is seen, columns
read by name), its words for codes, its pooling of trends, and every page run headless by Streamlit's
own AppTest on the report's fixture published.duckdb (tests/test_report.py), whose tables lack many
columns a full publication has: the pages must cope."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import group_data, published, trend_data
from dashboards.labels import display_name, ordered_views, stratum_text, view_label
from school_groups.report.queries import TRENDS_SQL
from tests.test_report import make_published_db


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> Path:
    return make_published_db(tmp_path_factory.mktemp("published") / "published.duckdb")


def write_publication(path: Path, run_id: str, extra: str = "") -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema meta; create table meta.publication as select ? as run_id, "
                f"timestamptz '2026-11-20 09:00:00+00' as published_at{extra}", [run_id])
    con.close()
    return path


def test_both_spellings_of_the_own_judgements_view_read_alike():
    assert view_label("all_current") == view_label("own_judgements") == "Own judgements"
    assert view_label("under_group_only") == "Judgements made under the group"
    assert view_label("a_new_view") == "a new view"
    # the data decides which views exist; the usual order, anything unknown last
    assert ordered_views({"under_group_only", "zzz", "own_judgements", "including_inherited"}) == [
        "including_inherited", "own_judgements", "under_group_only", "zzz"]


def test_a_stratum_reads_the_same_as_a_string_or_a_struct():
    as_text = stratum_text("multi_academy_trust | 2-5 | primary | North East")
    as_struct = stratum_text({"group_kind": "multi_academy_trust", "size_band": "2-5", "phase_mix": "primary",
                              "region": "North East"})
    assert as_text == as_struct == "Multi-academy trusts, 2 to 5 schools, mostly primary, North East"
    # a collapsed stratum: its dropped fields are NULL (struct) or absent (string)
    assert stratum_text({"group_kind": "local_authority", "size_band": "26+", "phase_mix": None, "region": None}) \
        == stratum_text("local_authority | 26+") == "Local authorities, 26 or more schools"


def test_a_group_is_named_by_the_tables_display_name_when_there_is_one():
    row = {"group_name": "Oak Trust", "group_kind": "multi_academy_trust", "main_region": "London"}
    assert display_name(row) == "Oak Trust (multi-academy trust, London)"
    assert display_name({**row, "display_name": "Oak Trust (MAT, Camden)"}) == "Oak Trust (MAT, Camden)"
    assert display_name({**row, "group_display_name": "Oak Trust (MAT, Camden)"}) == "Oak Trust (MAT, Camden)"


def test_a_publication_renamed_into_place_is_read_afresh(tmp_path):
    db = write_publication(tmp_path / "published.duckdb", "run-1")
    first = published.read_publication(db)
    before = published.file_identity(db)
    assert (first.run_id, first.published_at, first.source_mode) == ("run-1", "2026-11-20 09:00 UTC", None)
    # the publish step writes beside and renames over: the next read sees the new run and its new columns,
    # even while another session still has the old file open (DuckDB would hand a plain connect that one)
    reader = duckdb.connect(str(db), read_only=True)
    write_publication(tmp_path / "next.duckdb", "run-2", ", 'mirror' as source_mode, true as synthetic_data")
    os.replace(tmp_path / "next.duckdb", db)
    assert published.file_identity(db) != before
    second = published.read_publication(db)
    assert (second.run_id, second.source_mode, second.synthetic_data) == ("run-2", "mirror", True)
    assert published.query(db, "select run_id from meta.publication").item() == "run-2"
    assert reader.execute("select run_id from meta.publication").fetchall() == [("run-1",)]
    reader.close()
    assert published.file_identity(tmp_path / "absent.duckdb") is None


def test_wilson_interval_matches_newcombes_worked_example():
    low, high = trend_data.wilson(81, 263, 1.96)       # Newcombe (1998), Stat Med 17:857, example (81/263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


def test_trends_by_kind_pool_cells_as_the_report_does(fixture_db):
    pub = published.read_publication(fixture_db)
    series = trend_data.Series("oe", (("overall_effectiveness", "good_or_outstanding"),))
    mine = trend_data.shares(pub, "group_kind", "including_inherited", series, 1.96, 0)
    con = duckdb.connect(str(fixture_db), read_only=True)
    theirs = con.sql(TRENDS_SQL).pl().filter(
        (pl.col("view") == "including_inherited") & (pl.col("measure") == "overall_effectiveness")
        & (pl.col("outcome") == "good_or_outstanding") & (pl.col("group_kind") != "all"))
    con.close()
    joined = mine.join(theirs, left_on=["as_at", "category"], right_on=["as_at", "group_kind"], how="full")
    assert joined.height == theirs.height > 10
    assert joined.filter(pl.col("n") != pl.col("schools_judged_in_era")).is_empty()
    assert (joined.get_column("share") - joined.get_column("share_right")).abs().max() < 1e-12
    # overall effectiveness stops at its era's end: no point after 31 Aug 2024
    assert mine.get_column("as_at").max() <= date(2024, 8, 31)
    labels = trend_data.breaks(pub, mine).get_column("label").to_list()
    assert "Source: management information" in labels and "Overall effectiveness end" in labels


def test_small_cells_are_suppressed_with_the_tables_threshold(fixture_db):
    pub = published.read_publication(fixture_db)
    series = trend_data.Series("oe", (("overall_effectiveness", "good_or_outstanding"),))
    rows = trend_data.shares(pub, "group_kind", "including_inherited", series, 1.96, 100)
    small = rows.filter(pl.col("n") < 100)
    assert small.height and small.get_column("suppressed").all() and small.get_column("share").is_null().all()
    assert rows.filter(pl.col("n") >= 100).get_column("share").is_not_null().all()


def test_a_group_is_found_by_name_or_uid_exact_names_first():
    groups = pl.DataFrame({"group_key": ["gias:1", "gias:2", "la:201"], "group_uid": [1, 2, None],
                           "group_name": ["Oak Trust North", "Oak Trust", "City of London"],
                           "label": ["Oak Trust North (x)", "Oak Trust (x)", "City of London (y)"]})
    assert group_data.search(groups, "oak trust").get_column("group_key").to_list() == ["gias:2", "gias:1"]
    assert group_data.search(groups, "2").get_column("group_key").to_list() == ["gias:2"]
    assert group_data.search(groups, "201").get_column("group_key").to_list() == ["la:201"]
    assert group_data.search(groups, "  ").is_empty()


def _page(db: str, module: str, search: str = "") -> None:
    """A dashboard page as a script of its own (what AppTest runs)."""
    import importlib
    from pathlib import Path

    import streamlit as st

    from dashboards.published import read_publication

    if search:
        st.session_state.setdefault("explorer_search", search)
    importlib.import_module(f"dashboards.screens.{module}").render(read_publication(Path(db)))


@pytest.mark.parametrize("module", ["trends", "explorer", "compare", "sample", "provenance"])
def test_every_page_runs_on_a_publication_with_fewer_columns(fixture_db, module):
    app = AppTest.from_function(_page, args=(str(fixture_db), module, "Oak Trust"), default_timeout=30).run()
    assert not app.exception, [e.message for e in app.exception]
    assert app.title and app.title[0].value
    if module == "explorer":
        assert any(m.label == "Weak joiners improved" for m in app.metric)


def test_two_groups_compared_side_by_side_in_alphabetical_order(fixture_db):
    app = AppTest.from_function(_page, args=(str(fixture_db), "compare"), default_timeout=30).run()
    # two trusts share the name Riverside Academies: the search offers both, told apart
    app.text_input(key="compare_search").input("Riverside Academies").run()
    twins = app.multiselect(key="compare_groups").options
    assert len(twins) == len(set(twins)) == 2
    chosen = [twins[1], "Oak Trust (multi-academy trust)"]
    for label in chosen:      # one search each; the first pick stays while the second is searched
        app.text_input(key="compare_search").input(label.split(" (")[0]).run()
        picker = app.multiselect(key="compare_groups")
        assert label in picker.options
        picker.set_value([*picker.value, label]).run()
    assert not app.exception, [e.message for e in app.exception]
    keys = ["TR01001", twins[1].rsplit("[", 1)[1].rstrip("]")]
    con = duckdb.connect(str(fixture_db), read_only=True)
    n = con.execute("select sum(schools_with_evidence) from patterns.group_outcome_patterns where group_key in (?, ?) "
                    "and view = 'including_inherited' and weighting = 'schools'", keys).fetchall()[0][0]
    con.close()
    captions = " ".join(c.value for c in app.caption)
    assert f"n = {n:,} schools with evidence" in captions and "not a ranking" in captions
    table = app.dataframe[0].value
    assert list(table["Group"]) == sorted(chosen)      # alphabetical, whatever order they were picked in


def test_trends_by_local_authority_say_so_when_the_publication_lacks_their_table(fixture_db):
    app = AppTest.from_function(_page, args=(str(fixture_db), "trends"), default_timeout=30).run()
    app.selectbox(key="trends_dim").set_value("local_authority").run()
    assert not app.exception, [e.message for e in app.exception]
    assert any("patterns.area_outcome_shares" in i.value for i in app.info)


def test_pages_read_an_older_publication_and_a_newer_one(fixture_db, tmp_path):
    """Older: the view all_current (now own_judgements), strata as ' | '-joined strings, no source_mode.
    Newer: a display_name for every group in group_profile."""
    import shutil

    old, new = (Path(shutil.copy(fixture_db, tmp_path / f"{name}.duckdb")) for name in ("old", "new"))
    con = duckdb.connect(str(old))
    con.execute("""
        update patterns.group_outcome_patterns set view = 'all_current' where view = 'own_judgements';
        update patterns.group_era_patterns set view = 'all_current' where view = 'own_judgements';
        create or replace table sampling.sample_draw as select * replace (concat_ws(' | ', stratum.group_kind,
            stratum.size_band, stratum.phase_mix, stratum.region) as stratum) from sampling.sample_draw;
        alter table meta.publication drop column source_mode;
    """)
    con.close()
    con = duckdb.connect(str(new))
    con.execute("alter table patterns.group_profile add column display_name varchar; "
                "update patterns.group_profile set display_name = group_name || ' — MAT in Camden'")
    con.close()
    strata = {}
    for db, view, heading in ((old, "all_current", "Oak Trust (multi-academy trust)"),
                              (new, "own_judgements", "Oak Trust — MAT in Camden")):
        explorer = AppTest.from_function(_page, args=(str(db), "explorer", "Oak Trust"), default_timeout=30).run()
        assert not explorer.exception, [e.message for e in explorer.exception]
        assert heading in [h.value for h in explorer.header]
        assert f"Own judgements ({view})" in explorer.selectbox(key="explorer_view").options
        sample = AppTest.from_function(_page, args=(str(db), "sample"), default_timeout=30).run()
        assert not sample.exception, [e.message for e in sample.exception]
        strata[db.stem] = next(list(d.value["Stratum"]) for d in sample.dataframe if "Stratum" in d.value.columns)
        provenance = AppTest.from_function(_page, args=(str(db), "provenance"), default_timeout=30).run()
        assert any(("not recorded" if db == old else "sample") in m.value for m in provenance.markdown
                   if "Source mode" in m.value)
    assert strata["old"] == strata["new"] and all("|" not in s for s in strata["new"])
