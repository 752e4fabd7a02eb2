"""The thresholds file: one place for every analysis threshold, overridable, recorded by hash."""

import pytest

from pipelines.settings import THRESHOLDS_FILE, load_settings, load_thresholds


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
