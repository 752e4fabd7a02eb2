"""The key findings at the top of the report: every number in each sentence is recomputed here, straight
from the published DuckDB file (not through the report's loader), and must match after rounding; each
sentence links to a chart that exists; a finding follows its table when the table changes."""

from __future__ import annotations

import html as htmllib
import math
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from school_groups.report import build_report
from tests.test_report import OE_END, PERIOD, make_published_db, wilson


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return make_published_db(tmp_path_factory.mktemp("findings") / "published.duckdb")


def findings(page: str) -> list[tuple[str, str]]:
    """(sentence text, link target) of each key finding, in order."""
    box = page.split('id="findings"')[1].split("</section>")[0]
    out = []
    for item in re.findall(r"<li>(.*?)</li>", box, re.S):
        text = htmllib.unescape(re.sub(r"<[^>]+>", "", item))
        out.append((re.sub(r"\s+", " ", text), re.search(r'href="#([^"]+)"', item).group(1)))
    return out


def pct(v: float) -> str:
    return f"{v * 100:.1f}%"


def _query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def pooled(db: Path, era: str, as_at=None) -> dict[str, tuple[int, int]]:
    """measure -> (good or outstanding, judged) at the era's newest snapshot (or ``as_at``), view including
    inherited, every kind: each phase x region cell's schools judged counted once."""
    rows = _query(db, "select as_at, source_family, group_kind, phase, region, measure, outcome, schools_judged_in_era, "
                      "schools_with_outcome from patterns.system_trends where view = 'including_inherited' "
                      "and reporting_era = ?", [era])
    official = {r[0] for r in rows if r[1] == "official_statistics"}
    rows = [r for r in rows if r[1] == "official_statistics" or not official
            or not (min(official) <= r[0] <= max(official))]
    at = as_at or max(r[0] for r in rows)
    out: dict[str, tuple[int, int]] = {}
    for m in {r[5] for r in rows if r[0] == at}:
        mine = [r for r in rows if r[0] == at and r[5] == m]
        judged = sum({(r[2], r[3], r[4]): r[7] for r in mine}.values())
        out[m] = (sum(r[8] for r in mine if r[6] == "good_or_outstanding"), judged)
    return out


def test_every_finding_matches_its_table(db, tmp_path):
    page = build_report(db, tmp_path / "out").read_text(encoding="utf-8")
    found = findings(page)
    assert len(found) == 5
    texts = [t for t, _ in found]

    good, judged = pooled(db, "overall_effectiveness", OE_END)["overall_effectiveness"]
    lo, hi = wilson(good, judged)
    assert (f"{pct(good / judged)} of the {judged:,} schools judged under that framework were good or outstanding "
            f"(95% interval {pct(lo)} to {pct(hi)})") in texts[0]
    assert "31 August 2024" in texts[0]

    kj = pooled(db, "key_judgements")
    measure, (good, judged) = min(kj.items(), key=lambda kv: kv[1][0] / kv[1][1])
    lo, hi = wilson(good, judged)
    assert (f"Of the {judged:,} schools" in texts[1] and f"{pct(good / judged)} were good or outstanding for "
            f"{measure.replace('_', ' ')} (95% interval {pct(lo)} to {pct(hi)}), the lowest share of the "
            f"{len(kj)} key judgements") in texts[1]

    cells = _query(db, "select schools, share_stale, judgement_age_median_years, schools_judged from "
                       "patterns.system_evidence where view = 'including_inherited' and as_at = "
                       "(select max(as_at) from patterns.system_evidence)")
    schools = sum(c[0] for c in cells)
    share = sum(c[0] * c[1] for c in cells) / schools
    lo, hi = wilson(share * schools, schools)
    ages = sorted((c[2], c[3]) for c in cells)
    half, run = sum(w for _, w in ages) / 2, 0
    median = next(a for a, w in ages if (run := run + w) >= half)
    assert (f"{pct(share)} of the {schools:,} schools listed had no inspection evidence of any kind within 5 years "
            f"(95% interval {pct(lo)} to {pct(hi)}); the typical school's latest judgement was {median:.1f} years "
            "old") in texts[2]

    joiners, effect, low, high = _query(db, "select joiners, effect, effect_ci_low, effect_ci_high from "
                                            "patterns.group_improvement where scope = 'group_kind' "
                                            "and group_kind = 'multi_academy_trust'")[0]
    assert (f"Of the {joiners} schools that joined a multi-academy trust soon after a weak judgement" in texts[3]
            and f"{abs(effect) * 100:.1f} percentage points {'higher' if effect > 0 else 'lower'}" in texts[3]
            and f"(95% interval {low * 100:+.1f} to {high * 100:+.1f} points".replace("-", "−") in texts[3])
    assert ("includes no difference" in texts[3]) is (low < 0 < high)

    estimate = _query(db, "select estimate, ci_low, ci_high, census_value, groups_sampled, groups_in_frame from "
                          "sampling.sample_estimates where period = ? order by indicator limit 1", [PERIOD])[0]
    est, low, high, census, sampled, frame = estimate
    assert (f"From a random sample of {sampled} of {frame} groups" in texts[4]
            and f"estimated at {pct(est)} (95% interval {pct(low)} to {pct(high)}); counting every group gives "
                f"{pct(census)}" in texts[4])

    # each sentence says how old its evidence is, and links to the chart it comes from
    for text, anchor in found:
        assert "Evidence:" in text, text
        figure = re.search(rf'<figure id="{anchor}">(.*?)</figure>', page, re.S)
        assert figure, anchor
    assert findings(page)[0][1] == "fig-trend-including_inherited-overall_effectiveness"
    oe_numbers = re.search(r'<figure id="fig-trend-including_inherited-overall_effectiveness">.*?</figure>', page,
                           re.S).group(0)
    good, judged = pooled(db, "overall_effectiveness", OE_END)["overall_effectiveness"]
    assert f"<td class=\"num\">{pct(good / judged)}</td>" in oe_numbers, "the chart's numbers hold the same share"


def test_findings_follow_their_tables(db, tmp_path):
    changed = tmp_path / "changed.duckdb"
    shutil.copy(db, changed)
    con = duckdb.connect(str(changed))
    con.execute("update patterns.group_improvement set effect = -0.061, effect_ci_low = -0.143, effect_ci_high = 0.021 "
                "where scope = 'group_kind' and group_kind = 'multi_academy_trust'")
    con.execute("delete from sampling.sample_estimates")
    con.close()
    texts = [t for t, _ in findings(build_report(changed, tmp_path / "out").read_text(encoding="utf-8"))]
    assert len(texts) == 4, "no estimate published: no sentence about one"
    improvement = next(t for t in texts if "multi-academy trust" in t)
    assert "6.1 percentage points lower" in improvement and "(95% interval −14.3 to +2.1 points" in improvement
    assert "includes no difference" in improvement
    assert not any("random sample" in t for t in texts)
    assert not any(math.isnan(float(x)) for t in texts for x in re.findall(r"\d+\.\d", t))
