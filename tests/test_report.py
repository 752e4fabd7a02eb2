"""The readers' HTML report (assets/report): self-contained, data-driven charts, neutral profiles,
escaping, atomic writes.

The published DuckDB used here is a FIXTURE built by ``make_published_db`` below: small,
hand-made rows in the published contract's shape (schemas patterns, sampling, meta). It is not
pipeline output; an integration test will run the report on the real published file.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from assets.report import build_report, load_report_data, render_report
from assets.report import charts
from assets.report.build import period_sort_key, safe_file_part
from assets.report.profiles import GroupFacts, grade_words_in, group_profile

# --------------------------------------------------------------------------- the fixture

AWKWARD_NAME = "Smith’s & Jones <Learning> Trust"
AWKWARD_NAME_2 = "St Mary’s – “Bridge” Catholic Academy Trust"
PERIOD = "2026-autumn"
OLDER_PERIOD = "2026-spring"
AS_AT_DATES = [date(2024, 8, 31), date(2025, 3, 31), date(2025, 8, 31), date(2026, 3, 31)]
MIN_SCHOOLS = 5   # the fixture's suppression rule: fewer schools with evidence than this → suppressed

# key, name, kind, schools, primary, secondary, special, ap, las, regions
GROUPS = [
    ("TR01001", "Oak Trust", "multi_academy_trust", 14, 11, 3, 0, 0, 2, 1),
    ("TR01002", AWKWARD_NAME, "multi_academy_trust", 22, 15, 5, 1, 1, 4, 2),
    ("TR01003", AWKWARD_NAME_2, "multi_academy_trust", 9, 7, 2, 0, 0, 1, 1),
    ("TR01004", "Northern Lights Education Partnership", "multi_academy_trust", 35, 24, 9, 2, 0, 6, 2),
    ("TR01005", "Riverside Academies", "multi_academy_trust", 6, 4, 2, 0, 0, 1, 1),
    ("TR01006", "Hill Top Learning Trust", "multi_academy_trust", 3, 3, 0, 0, 0, 1, 1),
    ("TR01007", "Coastal Schools Trust", "multi_academy_trust", 18, 12, 6, 0, 0, 3, 1),
    ("TR01008", "Meadow Federation Trust", "multi_academy_trust", 11, 9, 2, 0, 0, 2, 1),
    ("TR02001", "Kingsway Academy", "single_academy_trust", 1, 0, 1, 0, 0, 1, 1),
    ("TR02002", "Elm Park School", "single_academy_trust", 1, 1, 0, 0, 0, 1, 1),
    ("TR02003", "Beacon High", "single_academy_trust", 1, 0, 1, 0, 0, 1, 1),
    ("LA201", "Camden", "local_authority", 40, 30, 6, 3, 1, 1, 1),
    ("LA302", "Barnet", "local_authority", 55, 44, 8, 2, 1, 1, 1),
    ("LA888", "Lancashire", "local_authority", 300, 250, 40, 8, 2, 1, 1),
    ("NRB", "Schools with no responsible body", "no_responsible_body", 6, 2, 2, 0, 2, 3, 2),
]
SAMPLE = {
    PERIOD: [("TR01001", "mat-small"), ("TR01002", "mat-large"), ("TR01003", "mat-small"),
             ("TR01004", "mat-large"), ("TR01006", "mat-small"), ("TR02001", "sat"), ("LA201", "la")],
    OLDER_PERIOD: [("TR01005", "mat-small"), ("TR01007", "mat-large"), ("LA302", "la")],
}

DDL = """
create schema patterns; create schema sampling; create schema meta; create schema core;
create table patterns.system_trends (as_at date, group_kind varchar, phase varchar, region varchar, view varchar,
    schools integer, schools_graded integer, n_strong integer, n_secure integer, n_improvement_needed integer,
    n_serious_concern integer, share_good_or_better double, evidence_age_median_years double, share_stale double,
    groups integer);
create table patterns.group_outcome_patterns (group_key varchar, group_name varchar, group_kind varchar,
    view varchar, weighting varchar, schools_in_group integer, schools_with_evidence integer, suppressed boolean,
    share_strong double, share_secure double, share_improvement_needed double, share_serious_concern double,
    share_good_or_better double, share_good_or_better_ci_low double, share_good_or_better_ci_high double,
    schools_with_category_of_concern integer, best_band varchar, weakest_band varchar,
    evidence_age_median_years double, share_stale double);
create table patterns.group_improvement (scope varchar, group_key varchar, group_name varchar, group_kind varchar,
    joiners integer, joiners_improved integer, share_improved double, share_improved_ci_low double,
    share_improved_ci_high double, comparison_schools integer, comparison_share_improved double, effect double,
    effect_ci_low double, effect_ci_high double, eligible boolean, median_years_to_improvement double);
create table patterns.group_profile (group_key varchar, group_name varchar, group_kind varchar, schools integer,
    pupils integer, primary_schools integer, secondary_schools integer, special_schools integer,
    ap_schools integer, other_phase_schools integer, regions_spanned integer, las_spanned integer,
    group_age_years double, growth_1y integer, growth_3y integer, growth_5y integer, converter_schools integer,
    sponsored_schools integer, free_schools integer);
create table patterns.group_signals (group_key varchar, group_name varchar, group_kind varchar, signal varchar,
    signal_type varchar, rule varchar, metric double, threshold double,
    evidence struct(urn integer, inspection_number varchar, detail varchar)[]);
create table sampling.sample_draw (period varchar, group_key varchar, stratum varchar, population_groups integer,
    sample_groups integer, inclusion_probability double, design_weight double);
create table sampling.sample_estimates (period varchar, indicator varchar, description varchar, estimate double,
    standard_error double, ci_low double, ci_high double, census_value double, census_in_interval boolean,
    groups_sampled integer, groups_in_frame integer);
create table meta.publication (run_id varchar, published_at timestamptz);
create table meta.settings (key varchar, value double, description varchar);
create table core.schools (urn integer);
"""


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _band_counts(rng: random.Random, n: int) -> list[int]:
    counts = [0, 0, 0, 0]
    for _ in range(n):
        counts[rng.choices(range(4), weights=(16, 64, 15, 5))[0]] += 1
    return counts


def _insert(con, table: str, rows: list[tuple]) -> None:
    if rows:
        con.executemany(f"insert into {table} values ({', '.join('?' * len(rows[0]))})", rows)


def make_published_db(path: Path) -> Path:
    """A small published.duckdb in the contract's shape (fixture data, deterministic)."""
    rng = random.Random(20261120)
    con = duckdb.connect(str(path))
    con.execute(DDL)

    trends = []
    kinds = ["multi_academy_trust", "single_academy_trust", "local_authority", "no_responsible_body"]
    for t, as_at in enumerate(AS_AT_DATES):
        for kind in kinds:
            for phase in ("primary", "secondary"):
                for region in ("London", "North West"):
                    for view in ("own_judgements", "including_inherited"):
                        base = {"multi_academy_trust": 400, "single_academy_trust": 60,
                                "local_authority": 500, "no_responsible_body": 8}[kind]
                        schools = max(0, int(base * (1 + 0.05 * t) * (1.4 if phase == "primary" else 0.6)
                                             + rng.randint(-5, 5)))
                        graded = int(schools * (0.82 if view == "own_judgements" else 0.97))
                        if kind == "no_responsible_body" and phase == "secondary" and region == "London":
                            graded = 0
                        s, se, ri, sc = _band_counts(rng, graded)
                        share = (s + se) / graded if graded else None
                        trends.append((as_at, kind, phase, region, view, schools, graded, s, se, ri, sc, share,
                                       round(rng.uniform(2.0, 6.5), 2), round(rng.uniform(0.05, 0.35), 3),
                                       max(1, schools // 9)))
    _insert(con, "patterns.system_trends", trends)

    patterns, profiles, improvement = [], [], []
    for key, name, kind, schools, pri, sec, spe, ap, las, regions in GROUPS:
        with_evidence = {"all_current": max(0, schools - rng.randint(0, 1)),
                         "including_inherited": schools,
                         "under_group_only": int(schools * 0.6)}
        if key == "TR01001":
            with_evidence["under_group_only"] = 12
        for view, n in with_evidence.items():
            for weighting in ("schools", "pupils"):
                counts = [9, 2, 1, 0] if (key == "TR01001" and view == "under_group_only") else _band_counts(rng, n)
                if key == "TR01002" and view == "all_current":
                    counts = [3, 14, 3, 2]   # two schools in serious concern
                n = sum(counts)
                suppressed = n < MIN_SCHOOLS
                shares = [c / n for c in counts] if n and not suppressed else [None] * 4
                gob = (counts[0] + counts[1]) / n if n and not suppressed else None
                lo, hi = wilson(counts[0] + counts[1], n) if n and not suppressed else (None, None)
                if weighting == "pupils" and gob is not None:
                    gob = min(1.0, gob + rng.uniform(-0.04, 0.04))
                bands = [b for b, c in zip(("strong", "secure", "improvement_needed", "serious_concern"), counts) if c]
                stale_share = None if suppressed else round(rng.choice((0.0, 0.1, 0.18, 0.25, 0.32)), 2)
                age = None if suppressed else round(rng.uniform(1.5, 7.5), 1)
                patterns.append((key, name, kind, view, weighting, schools, n, suppressed, *shares, gob, lo, hi,
                                 None if suppressed else counts[3], bands[0] if bands and not suppressed else None,
                                 bands[-1] if bands and not suppressed else None, age, stale_share))
        pupils = schools * (230 if pri >= sec else 900) + rng.randint(0, 200)
        trust = kind in ("multi_academy_trust", "single_academy_trust")
        profiles.append((key, name, kind, schools, pupils, pri, sec, spe, ap, schools - pri - sec - spe - ap,
                         regions, las, round(rng.uniform(2, 12), 1) if trust else None,
                         rng.randint(-1, 2), rng.randint(-2, 5), rng.randint(0, 8),
                         int(schools * 0.6) if trust else 0, int(schools * 0.3) if trust else 0,
                         1 if trust and schools > 10 else 0))
        if kind == "multi_academy_trust":
            joiners = {"TR01001": 5, "TR01006": 1, "TR01003": 0}.get(key, rng.randint(3, 8))
            improved = min(joiners, round(joiners * 0.6))
            eligible = joiners >= 3
            share = improved / joiners if eligible else None
            lo, hi = wilson(improved, joiners) if eligible else (None, None)
            comp = 0.42 if eligible else None
            effect = share - comp if eligible else None
            improvement.append(("group", key, name, kind, joiners, improved if eligible else None, share, lo, hi,
                                60 if eligible else None, comp, effect,
                                effect - 0.3 if eligible else None, effect + 0.3 if eligible else None,
                                eligible, 2.1 if eligible else None))
    improvement += [
        ("group_kind", None, None, "multi_academy_trust", 210, 124, 0.59, 0.52, 0.66, 1800, 0.47, 0.12, 0.02, 0.22,
         True, 2.3),
        ("group_kind", None, None, "single_academy_trust", 2, None, None, None, None, 40, 0.45, None, None, None,
         False, None),
        ("group_kind", None, None, "local_authority", 48, 22, 0.46, 0.32, 0.60, 900, 0.49, -0.03, -0.17, 0.11,
         True, 2.8),
    ]
    _insert(con, "patterns.group_outcome_patterns", patterns)
    _insert(con, "patterns.group_profile", profiles)
    _insert(con, "patterns.group_improvement", improvement)
    _insert(con, "patterns.group_signals", [
        ("TR01002", AWKWARD_NAME, "multi_academy_trust", "stale_evidence", "targeting",
         "More than a quarter of schools have a latest judgement over 5 years old", 0.32, 0.25,
         [{"urn": 100001, "inspection_number": "10012345", "detail": "Last inspected 2019 – “good”"},
          {"urn": 100002, "inspection_number": "10012346", "detail": "Last inspected 2018 & <not since>"}]),
        ("TR01002", AWKWARD_NAME, "multi_academy_trust", "category_of_concern", "targeting",
         "At least one school has a category of concern", 2.0, 1.0,
         [{"urn": 100003, "inspection_number": "10023456", "detail": "Serious weaknesses, 2025"}]),
        ("TR01004", "Northern Lights Education Partnership", "multi_academy_trust", "weak_joiners_improve",
         "effective_practice",
         "Schools that joined after a weak judgement improved more often than similar schools, by 15 points or more",
         0.21, 0.15, []),
        ("TR01007", "Coastal Schools Trust", "multi_academy_trust", "stale_evidence", "targeting",
         "More than a quarter of schools have a latest judgement over 5 years old", 0.3, 0.25, []),
    ])
    draw = []
    for period, members in SAMPLE.items():
        for key, stratum in members:
            population = {"mat-small": 5, "mat-large": 3, "sat": 3, "la": 3}[stratum]
            sampled = sum(1 for _, s in members if s == stratum)
            draw.append((period, key, stratum, population, sampled, sampled / population, population / sampled))
    _insert(con, "sampling.sample_draw", draw)
    _insert(con, "sampling.sample_estimates", [
        (PERIOD, "share_good_or_better_under_group", "Share of judgements under the group that were good or better",
         0.81, 0.03, 0.75, 0.87, 0.83, True, 7, 15),
        (PERIOD, "share_stale", "Share of schools with stale evidence", 0.18, 0.03, 0.12, 0.24, 0.26, False, 7, 15),
        (PERIOD, "share_category_of_concern", "Share of schools with a category of concern", 0.04, 0.012, 0.016,
         0.064, 0.05, True, 7, 15),
        (PERIOD, "share_joiners_improved", "Share of weak joiners that improved", 0.58, 0.07, 0.44, 0.72, 0.55,
         True, 7, 15),
        (OLDER_PERIOD, "share_stale", "Share of schools with stale evidence", 0.22, 0.04, 0.14, 0.30, 0.25, True,
         3, 15),
    ])
    con.execute("insert into meta.publication values ('run-fixture-1f2e3d', '2026-11-20 06:15:00+00')")
    _insert(con, "meta.settings", [
        ("inspection_cycle_years", 4.0, "Routine inspection cycle; older evidence is beyond the cycle"),
        ("stale_after_years", 5.0, "Evidence older than this is stale"),
        ("min_schools_to_report", float(MIN_SCHOOLS), "Fewer schools with evidence than this: shares suppressed"),
    ])
    con.close()
    return path


@pytest.fixture(scope="module")
def published_db(tmp_path_factory) -> Path:
    return make_published_db(tmp_path_factory.mktemp("published") / "published.duckdb")


@pytest.fixture(scope="module")
def report(published_db, tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("reports")
    path = build_report(published_db, out)
    return path, path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- a small HTML walker

class Walker(HTMLParser):
    """Collects tags (with their ancestry) and the text of profile paragraphs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.tags: list[tuple[str, dict, tuple[str, ...]]] = []
        self.figures: list[dict] = []
        self.profiles: list[str] = []
        self._profile: list[str] | None = None

    VOID = {"meta", "br", "img", "input", "link", "hr", "col", "area", "base", "source", "wbr"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        ancestry = tuple(t for t, _ in self.stack)
        self.tags.append((tag, a, ancestry))
        if tag == "figure":
            self.figures.append({"svg": 0, "title": 0, "marks": 0, "figcaption": 0, "values": []})
        if self.figures and "figure" in ancestry + (tag,):
            fig = self.figures[-1]
            if tag == "svg":
                fig["svg"] += 1
            if tag == "title" and "svg" in ancestry:
                fig["title"] += 1
            if tag == "figcaption":
                fig["figcaption"] += 1
            if "mark" in (a.get("class") or "").split():
                fig["marks"] += 1
                fig["values"].append(a.get("data-value"))
        if tag == "p" and "profile-text" in (a.get("class") or ""):
            self._profile = []
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "p" and self._profile is not None:
            self.profiles.append("".join(self._profile))
            self._profile = None
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self._profile is not None:
            self._profile.append(data)


def walk(html: str) -> Walker:
    w = Walker()
    w.feed(html)
    w.close()
    return w


# --------------------------------------------------------------------------- tests

def test_report_is_self_contained(report):
    path, html = report
    assert path.name == f"report-{PERIOD}.html"
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(?:src|href|xlink:href)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)""", html, re.I), \
        "a src/href points outside the page"
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", html, re.I)
    assert "<script" not in html.lower(), "the report needs no JavaScript"
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"@import|@font-face|url\s*\(", html, re.I)
    assert not re.search(r"<(?:img|iframe|object|embed|video|audio)\b", html, re.I)
    w = walk(html)
    hrefs = [a["href"] for tag, a, _ in w.tags if "href" in a]
    assert hrefs and all(h.startswith("#") for h in hrefs)


def test_every_chart_is_an_svg_figure_with_data_marks(report):
    _, html = report
    w = walk(html)
    assert len(w.figures) == 8     # 2 trend views, bands + spread, improvement, stale + ages, estimates
    for fig in w.figures:
        assert fig["svg"] == 1 and fig["title"] >= 1 and fig["figcaption"] == 1
        assert fig["marks"] > 0 and all(v is not None for v in fig["values"])
    svgs = [a for tag, a, _ in w.tags if tag == "svg"]
    assert all(a.get("role") == "img" and a.get("aria-labelledby") and a.get("viewbox") for a in svgs)
    assert html.count("<details>") >= 7          # numbers under the charts (and signal evidence)


def test_marks_follow_the_data(published_db, report):
    _, html = report
    data = load_report_data(published_db)
    w = walk(html)
    # trend charts: one point per (as_at, kind incl. 'all') with a share, per view
    for fig, view in zip(w.figures[:2], ("own_judgements", "including_inherited")):
        points = [r for r in data.trends if r["view"] == view and r["share_good_or_better"] is not None]
        drawn = [float(v) for v in fig["values"] if v and "," not in v]
        assert len(points) == len(AS_AT_DATES) * 5
        assert {round(float(p["share_good_or_better"]), 4) for p in points} <= {round(v, 4) for v in drawn}
    # stacked bands: the segments of each kind add up to 1
    bands = data.outcomes_by_kind
    seg_values = [float(v) for v in w.figures[2]["values"]]
    assert math.isclose(sum(seg_values), sum(1 for r in bands if r["share_strong"] is not None), rel_tol=1e-6)


def test_trend_pooling_weights_by_schools_graded(published_db):
    con = duckdb.connect(str(published_db), read_only=True)
    rows = con.execute("select schools_graded, share_good_or_better from patterns.system_trends "
                       "where as_at = ? and group_kind = 'no_responsible_body' and view = 'own_judgements'",
                       [AS_AT_DATES[-1]]).fetchall()
    con.close()
    graded = [(g, s) for g, s in rows if s is not None]
    expected = sum(g * s for g, s in graded) / sum(g for g, _ in graded)
    data = load_report_data(published_db)
    got = next(r for r in data.trends if r["as_at"] == AS_AT_DATES[-1] and r["view"] == "own_judgements"
               and r["group_kind"] == "no_responsible_body")
    assert math.isclose(got["share_good_or_better"], expected, rel_tol=1e-9)
    assert any(s is None for _, s in rows), "the fixture has a row with no graded school"


def test_profiles_are_neutral_and_cover_every_sampled_group(report):
    _, html = report
    w = walk(html)
    assert len(w.profiles) == len(SAMPLE[PERIOD])
    names = [name for _, name, *_ in GROUPS]
    for text in w.profiles:
        for name in names:
            text = text.replace(name, "")
        assert grade_words_in(text) == [], text
        for word in ("best", "worst", "outstanding trust", "rank", "top ", "bottom", "league"):
            assert word not in text.lower(), (word, text)
    oak = next(t for t in w.profiles if t.startswith("Oak Trust"))
    assert "Oak Trust runs 14 schools (11 primary, 3 secondary)" in oak
    assert "across 2 local authorities" in oak
    assert "11 of the 12 schools with a judgement made under the trust were judged good or better" in oak
    hill = next(t for t in w.profiles if t.startswith("Hill Top"))
    assert "suppressed" in hill and "good or better (" not in hill
    kingsway = next(t for t in w.profiles if t.startswith("Kingsway"))
    assert "suppressed" in kingsway
    assert all("Coastal Schools Trust" not in t for t in w.profiles), "not sampled in this period"


def test_profile_sentences_from_data():
    facts = GroupFacts(
        "TR9", "Oak Trust", "multi_academy_trust",
        profile={"schools": 14, "pupils": 5200, "primary_schools": 11, "secondary_schools": 3, "special_schools": 0,
                 "ap_schools": 0, "other_phase_schools": 0, "las_spanned": 2, "regions_spanned": 1,
                 "group_age_years": 7.0, "growth_3y": 2},
        patterns={("under_group_only", "schools"): {"schools_with_evidence": 12, "suppressed": False,
                                                    "share_good_or_better": 0.75},
                  ("all_current", "schools"): {"schools_with_evidence": 14, "suppressed": False,
                                               "share_good_or_better": 9 / 14, "share_stale": 4 / 14,
                                               "schools_with_category_of_concern": 2,
                                               "evidence_age_median_years": 3.2}},
        improvement={"joiners": 5, "joiners_improved": 3, "share_improved": 0.6, "eligible": True,
                     "comparison_share_improved": 0.4, "effect": 0.2, "effect_ci_low": -0.1, "effect_ci_high": 0.5},
        signals=[{"signal_type": "targeting", "rule": "Many schools have old evidence", "signal": "stale"}],
    )
    text = " ".join(group_profile(facts, stale_after_years=5))
    assert "9 of the 12 schools with a judgement made under the trust were judged good or better" in text
    assert "2 schools have a category of concern" in text
    assert "Evidence is old for 4 schools (latest judgement over 5 years old)" in text
    assert "gained 2 schools net" in text and "3 improved" in text and "40% improved" in text
    assert "Many schools have old evidence" in text
    assert grade_words_in(text) == []
    small = GroupFacts("TR8", "Tiny Trust", "multi_academy_trust", profile={"schools": 2, "primary_schools": 2},
                       patterns={("under_group_only", "schools"): {"schools_with_evidence": 2, "suppressed": True},
                                 ("all_current", "schools"): {"schools_with_evidence": 2, "suppressed": True}})
    small_text = " ".join(group_profile(small, 5))
    assert "suppressed" in small_text and "good or better (" not in small_text


def test_names_are_escaped_and_unicode_survives(report):
    path, html = report
    raw = path.read_bytes()
    raw.decode("utf-8")                                   # strictly UTF-8
    assert re.match(rb'<!DOCTYPE html>\s*<html[^>]*><head><meta charset="utf-8">', raw)
    assert "<Learning>" not in html
    assert "Smith’s &amp; Jones &lt;Learning&gt; Trust" in html
    assert "St Mary’s – “Bridge” Catholic Academy Trust" in html
    assert "&lt;not since&gt;" in html and "2019 – “good”" in html
    for mojibake in ("â€™", "â€“", "â€œ", "Ã"):
        assert mojibake not in html
    # inside SVG too: the chart text is escaped the same way
    svg = charts.bar_chart([charts.BarRow("A & B <C> ’–“”", 0.5)], title="T & <t>", desc="d")
    assert "A &amp; B &lt;C&gt; ’–“”" in svg and "T &amp; &lt;t&gt;" in svg and "<C>" not in svg


def test_header_and_sections(report):
    _, html = report
    assert f"How schools in groups are doing: {PERIOD}" in html
    assert "31 March 2026" in html                        # as-at: newest system_trends snapshot
    assert "run-fixture-1f2e3d" in html and "2026-11-20 06:15 UTC" in html
    for anchor in ("how-to-read", "trends", "outcomes", "improvement", "evidence", "estimates", "profiles",
                   "signals", "thresholds"):
        assert f'id="{anchor}"' in html
    assert "More than a quarter of schools have a latest judgement over 5 years old" in html
    assert "Coastal Schools Trust" not in html.split('id="signals"')[1]    # not sampled: no signal row
    assert "stale_after_years" in html


def test_build_writes_atomically_and_keeps_latest_newest(published_db, tmp_path):
    before = hashlib.sha256(published_db.read_bytes()).hexdigest()
    newest = build_report(published_db, tmp_path)
    latest = tmp_path / "latest.html"
    assert newest == tmp_path / f"report-{PERIOD}.html"
    assert latest.read_bytes() == newest.read_bytes()
    older = build_report(published_db, tmp_path, period=OLDER_PERIOD)
    assert older.name == f"report-{OLDER_PERIOD}.html"
    assert latest.read_bytes() == newest.read_bytes(), "an older period must not replace latest.html"
    first = newest.read_bytes()
    assert build_report(published_db, tmp_path).read_bytes() == first, "same data, same bytes"
    assert "Riverside Academies" in older.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["latest.html", newest.name, older.name])
    assert hashlib.sha256(published_db.read_bytes()).hexdigest() == before
    with pytest.raises(ValueError, match="2026-spring, 2026-autumn"):
        build_report(published_db, tmp_path, period="2019-winter")


def test_missing_inputs_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="published"):
        build_report(tmp_path / "nope.duckdb", tmp_path)
    db = tmp_path / "published.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema patterns; create table patterns.system_trends (as_at date)")
    con.close()
    with pytest.raises(ValueError, match="patterns.group_outcome_patterns"):
        build_report(db, tmp_path / "out")


def test_period_order_and_file_names():
    periods = ["2026-autumn", "2025-autumn", "2026-spring", "2026-summer"]
    assert sorted(periods, key=period_sort_key) == ["2025-autumn", "2026-spring", "2026-summer", "2026-autumn"]
    assert safe_file_part("2026/autumn <x>") == "2026_autumn_x"


def test_empty_sections_render_without_figures():
    from assets.report.render import ReportData

    html = render_report(ReportData(period="2026-autumn"))
    assert "<figure" not in html and "No sample estimates are published" in html
    assert "No groups were sampled" in html


def test_chart_builders():
    line = charts.line_chart([charts.Series("A", [(date(2025, 1, 1), 0.8), (date(2025, 6, 1), None),
                                                  (date(2026, 1, 1), 0.9)])], title="t", desc="d")
    assert line.count('class="mark point"') == 2 and "series-line" not in line   # a NULL breaks the line
    single = charts.line_chart([charts.Series("A", [(date(2025, 1, 1), 0.8)])], title="t", desc="d")
    assert single.count('class="mark point"') == 1
    hist = charts.histogram([0.5, 1.2, 1.7, 6.1], title="t", desc="d", marker=5, marker_label="5 years")
    assert sum(int(v) for v in re.findall(r'class="mark bin"[^>]*data-value="(\d+)"', hist)) == 4
    forest = charts.forest_plot([charts.ForestRow("x", 12.0, 10.0, 14.0, 13.0),
                                 charts.ForestRow("y", 0.4, 0.3, 0.5, 0.45)], title="t", desc="d",
                                style=charts.ForestStyle(percent=False, per_row_scale=True))
    assert forest.count('class="mark estimate"') == 2 and forest.count('class="mark reference"') == 2
    assert charts.nice_ticks(0, 1, 4) == [0, 0.25, 0.5, 0.75, 1.0]
