"""The thresholds file: one place for every analysis threshold, overridable, recorded by hash."""

import pytest

from school_groups.settings import THRESHOLDS_FILE, load_settings, load_thresholds


def test_every_threshold_has_a_value_and_a_meaning_and_a_change_changes_the_config_id(monkeypatch):
    thresholds = load_thresholds(THRESHOLDS_FILE)
    assert {"weak_band_rank_min", "stale_after_years", "suppress_below_schools", "eligible_min_schools",
            "sample_groups_per_period"} <= set(thresholds)
    assert all(isinstance(v, float) and text for v, text in thresholds.values())
    before = load_settings().config_id
    monkeypatch.setenv("SCHOOL_GROUPS_STALE_AFTER_YEARS", "6")
    after = load_settings()
    assert after.thresholds["stale_after_years"][0] == 6.0 and after.config_id != before


def test_a_bad_value_or_file_is_an_error_naming_the_file_and_key(monkeypatch, tmp_path):
    monkeypatch.setenv("SCHOOL_GROUPS_WEAK_BAND_RANK_MIN", "three")
    with pytest.raises(ValueError, match=r"thresholds.toml: \[weak_band_rank_min\] value 'three' is not a number"):
        load_thresholds(THRESHOLDS_FILE)
    broken = tmp_path / "t.toml"
    broken.write_text("[stale_after_years]\nvalue = 5\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t.toml: \[stale_after_years\] needs a numeric 'value' and a 'meaning'"):
        load_thresholds(broken)
    broken.write_text("[stale_after_years\n", encoding="utf-8")
    with pytest.raises(ValueError, match="t.toml: cannot read the thresholds file"):
        load_thresholds(broken)


def test_every_threshold_the_sql_and_the_checks_name_is_in_the_thresholds_file():
    import re

    from school_groups.specs import SQL_ROOT

    known = set(load_thresholds(THRESHOLDS_FILE))
    used = {}
    for path in sorted(SQL_ROOT.rglob("*.sql")):
        for key in re.findall(r"setting\('([^']*)'\)", path.read_text(encoding="utf-8")):
            used.setdefault(key, path.name)
    for path in sorted(SQL_ROOT.rglob("*.yml")):
        for key in re.findall(r"\{([a-z_]+)\}", path.read_text(encoding="utf-8")):
            used.setdefault(key, path.name)
    assert len(used) >= 30, "the scan found too few thresholds: has the macro been renamed?"
    unknown = {k: where for k, where in used.items() if k not in known}
    assert not unknown, f"thresholds used but not in thresholds.toml: {unknown}"
    # no model reads meta.settings around the macro (it would read a misspelt key as NULL)
    for path in sorted(SQL_ROOT.rglob("*.sql")):
        assert "key = '" not in path.read_text(encoding="utf-8"), path


def test_the_setting_macro_fails_loudly_on_an_unknown_key():
    import duckdb

    from school_groups.sql_runner import create_macros

    con = duckdb.connect()
    con.execute("create schema meta; create table meta.settings as select 'stale_after_years' as key, 5.0 as value, "
                "'' as description, 'c' as config_id")
    create_macros(con)
    assert con.execute("select setting('stale_after_years')").fetchall()[0][0] == 5
    with pytest.raises(duckdb.Error, match='threshold "stale_after_yaers" is not in meta.settings'):
        con.execute("select setting('stale_after_yaers')").fetchall()


def test_one_vocabulary_read_by_the_sql_the_checks_and_the_report():
    from school_groups import vocabulary
    from school_groups.data_dictionary import build_empty
    from school_groups.quality import resolve
    from school_groups.report.labels import BANDS

    con = build_empty(load_thresholds(THRESHOLDS_FILE))
    try:
        # the SQL: band ranks come from the vocabulary's order, and the seed tables use its terms
        assert [con.execute("select band_rank(?)", [b]).fetchall()[0][0] for b in vocabulary.BANDS] == [1, 2, 3, 4]
        assert con.execute("select band_rank('not_graded')").fetchall()[0][0] is None
        assert [con.execute(f"select rank_band({r})").fetchall()[0][0] for r in (1, 2, 3, 4)] == list(vocabulary.BANDS)
        eras = [r[0] for r in con.execute("select reporting_era from staging.ofsted_reporting_eras order by sort_order")
                .fetchall()]
        assert eras == list(vocabulary.REPORTING_ERAS)
        kinds = {r[0] for r in con.execute("select inspection_kind from staging.ofsted_inspection_kinds").fetchall()}
        assert kinds == set(vocabulary.INSPECTION_KINDS)
        bands = {r[0] for r in con.execute("select distinct band from staging.ofsted_outcome_bands").fetchall()}
        assert bands <= set(vocabulary.VOCABULARY["bands_and_not_graded"])
        # the checks: a value set named in a spec is the vocabulary's list
        assert resolve({"vocabulary": "bands", "or_null": True}, con, {}, "t") == [*vocabulary.BANDS, None]
        with pytest.raises(KeyError, match="not a vocabulary list"):
            resolve({"vocabulary": "bandz"}, con, {}, "t")
    finally:
        con.close()
    # the report: its band labels follow the vocabulary's order
    assert list(BANDS) == list(vocabulary.BANDS)
