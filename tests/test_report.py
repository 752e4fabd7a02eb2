"""The readers' HTML report (assets/report): self-contained, data-driven charts, neutral profiles,
escaping, atomic writes.

The published DuckDB used here is a FIXTURE built by ``make_published_db`` below: small,
hand-made rows in the published contract's shape (schemas patterns, sampling, meta). It is not
pipeline output; an integration test will run the report on the real published file.
"""

from __future__ import annotations

import functools
import hashlib
import html as htmllib
import math
import random
import re
import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from school_groups.report import build_report, load_report_data, render_report
from school_groups.report import charts
from school_groups.report.build import period_sort_key, safe_file_part, weighted_median
from school_groups.report.render import family_changes, kind_label, series_points
from school_groups.report.profiles import GroupFacts, grade_words_in, group_profile

# --------------------------------------------------------------------------- the fixture

AWKWARD_NAME = "Smith’s & Jones <Learning> Trust"
AWKWARD_NAME_2 = "St Mary’s – “Bridge” Catholic Academy Trust"
PERIOD = "2026-autumn"
OLDER_PERIOD = "2026-spring"
OFFICIAL_DATES = [date(2022, 8, 31), date(2023, 8, 31)]                   # Ofsted's official statistics
MI_DATES = [date(2024, 3, 31), date(2024, 8, 31), date(2025, 3, 31), date(2025, 8, 31), date(2026, 3, 31)]
MI_OVERLAP = date(2023, 8, 31)     # MI published for a date the official statistics cover: never read
AS_AT_DATES = OFFICIAL_DATES + MI_DATES
SNAPSHOTS = ([(d, "official_statistics") for d in OFFICIAL_DATES] + [(MI_OVERLAP, "mi_latest")]
             + [(d, "mi_latest") for d in MI_DATES])
OE_END, KJ_START, RC_START = date(2024, 8, 31), date(2024, 9, 1), date(2025, 11, 10)
KINDS = ["multi_academy_trust", "single_academy_trust", "local_authority", "no_responsible_body"]
KEY_JUDGEMENTS = ["quality_of_education", "behaviour_and_attitudes", "personal_development",
                  "leadership_and_management"]
RC_AREAS = ["inclusion", "curriculum_and_teaching", "achievement", "attendance_and_behaviour",
            "personal_development_and_wellbeing", "leadership_and_governance"]
RC_GRADES = ["Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement"]
# The cell in which no school is good or outstanding on overall effectiveness: it has a below_good
# row only, so a pooling that takes its denominator from good_or_outstanding rows would miss it.
ALL_BELOW_GOOD = ("no_responsible_body", "secondary", "London")
ERAS = [
    ("overall_effectiveness", 1, "Overall effectiveness (to 31 Aug 2024)", date(2005, 9, 1), OE_END,
     ["overall_effectiveness"], "good_or_outstanding",
     "From September 2024 Ofsted stopped giving an overall effectiveness grade, so the share of schools judged "
     "good or outstanding overall ends on 31 August 2024."),
    ("key_judgements", 2, "Key judgements (Sept 2024 - Nov 2025)", KJ_START, None, KEY_JUDGEMENTS,
     "good_or_outstanding",
     "Inspections from September 2024 to 9 November 2025 graded each key judgement but gave no overall grade; "
     "Ofsted publishes a good-or-outstanding share for each key judgement, so these lines start in September 2024."),
    ("report_card", 3, "Report cards (from 10 Nov 2025)", RC_START, None, RC_AREAS + ["safeguarding_standards"],
     "each grade on the five-point scale",
     "From 10 November 2025 report cards grade each evaluation area on a five-point scale that Ofsted says cannot "
     "be compared with earlier grades, so report-card lines start afresh."),
]
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
    ("TR01009", "Riverside Academies", "multi_academy_trust", 7, 5, 2, 0, 0, 1, 1),   # the name of TR01005 again
]
# main region of a group, for its display name (core.groups.display_name: name, kind and region)
REGIONS = {"TR01009": "London", "LA201": "London", "LA302": "London"}
KIND_WORDS = {"multi_academy_trust": "multi-academy trust", "single_academy_trust": "single-academy trust",
              "local_authority": "local authority", "no_responsible_body": "no responsible body"}


def display_name(key: str) -> str:
    name, kind = next((g[1], g[2]) for g in GROUPS if g[0] == key)
    return f"{name} ({KIND_WORDS[kind]}, {REGIONS.get(key, 'North West')})"


# a sampling stratum (group_kind, size_band, phase_mix, region: None where collapsed)
STRATA = {"mat-small": ("multi_academy_trust", "2-5", "primary", "North West"),
          "mat-large": ("multi_academy_trust", "26+", "mixed", None),
          "sat": ("single_academy_trust", "1", None, None), "la": ("local_authority", "26+", "primary", "London")}
SAMPLE = {
    PERIOD: [("TR01001", "mat-small"), ("TR01002", "mat-large"), ("TR01003", "mat-small"),
             ("TR01004", "mat-large"), ("TR01006", "mat-small"), ("TR02001", "sat"), ("LA201", "la"),
             ("TR01005", "mat-small"), ("TR01009", "mat-small")],
    OLDER_PERIOD: [("TR01005", "mat-small"), ("TR01007", "mat-large"), ("LA302", "la")],
}

DDL = """
create schema patterns; create schema sampling; create schema meta; create schema core; create schema staging;
create table staging.ofsted_reporting_eras (reporting_era varchar, sort_order integer, label varchar,
    first_inspection date, reported_until date, measures varchar[], outcome_counted varchar, break_reason varchar);
create table patterns.system_trends (as_at date, source_family varchar, group_kind varchar, phase varchar,
    region varchar, view varchar, reporting_era varchar, measure varchar, outcome varchar, schools bigint,
    schools_judged_in_era bigint, schools_with_outcome bigint, share double, config_id varchar);
create table patterns.system_evidence (as_at date, source_family varchar, group_kind varchar, phase varchar,
    region varchar, view varchar, schools bigint, schools_judged bigint, schools_with_evidence bigint,
    schools_without_evidence bigint, judgement_age_median_years double, evidence_age_median_years double,
    share_stale double, schools_latest_judgement_overall_effectiveness bigint,
    schools_latest_judgement_key_judgements bigint, schools_latest_judgement_report_card bigint,
    schools_latest_evidence_overall_effectiveness bigint, schools_latest_evidence_key_judgements bigint,
    schools_latest_evidence_report_card bigint, groups bigint, config_id varchar);
create table patterns.group_outcome_patterns (group_key varchar, group_name varchar, group_kind varchar,
    view varchar, weighting varchar, schools_in_group integer, schools_with_evidence integer, suppressed boolean,
    share_strong double, share_secure double, share_improvement_needed double, share_serious_concern double,
    share_good_or_better double, share_good_or_better_ci_low double, share_good_or_better_ci_high double,
    schools_with_category_of_concern integer, best_band varchar, weakest_band varchar,
    evidence_age_median_years double, share_stale double, schools_latest_evidence_overall_effectiveness bigint,
    schools_latest_evidence_key_judgements bigint, schools_latest_evidence_report_card bigint);
create table patterns.group_era_patterns (group_key varchar, group_name varchar, group_kind varchar, view varchar,
    reporting_era varchar, measure varchar, outcome varchar, schools_in_group bigint, schools_judged_in_era bigint,
    schools_latest_evidence_in_era bigint, suppressed boolean, schools_with_outcome bigint, share double,
    share_ci_low double, share_ci_high double, config_id varchar);
create table patterns.group_improvement (scope varchar, group_key varchar, group_name varchar, group_kind varchar,
    joiners integer, joiners_improved integer, share_improved double, share_improved_ci_low double,
    share_improved_ci_high double, comparison_pairs integer, comparison_share_improved double, effect double,
    effect_ci_low double, effect_ci_high double, eligible boolean, median_years_to_improvement double);
create table patterns.group_profile (group_key varchar, group_name varchar, group_kind varchar, schools integer,
    pupils integer, primary_schools integer, secondary_schools integer, special_schools integer,
    ap_schools integer, other_phase_schools integer, regions_spanned integer, las_spanned integer,
    group_age_years double, growth_1y integer, growth_3y integer, growth_5y integer, converter_schools integer,
    sponsored_schools integer, free_schools integer);
create table patterns.group_signals (group_key varchar, group_name varchar, group_kind varchar, signal varchar,
    signal_type varchar, rule varchar, metric double, threshold double,
    evidence struct(urn integer, inspection_number varchar, detail varchar)[]);
create table sampling.sample_draw (period varchar, group_key varchar, display_name varchar,
    stratum struct(group_kind varchar, size_band varchar, phase_mix varchar, region varchar), population_groups integer,
    sample_groups integer, inclusion_probability double, design_weight double);
create table sampling.sample_estimates (period varchar, indicator varchar, description varchar, estimate double,
    standard_error double, ci_low double, ci_high double, census_value double, census_in_interval boolean,
    groups_sampled integer, groups_in_frame integer);
create table meta.publication (run_id varchar, published_at timestamptz, source_files json, checks json,
    row_counts json, synthetic_data boolean, source_mode varchar, synthetic_generator json);
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


ERA_MIN = 3       # patterns.group_era_patterns: fewer schools judged in the era than this → suppressed
KJ_RATES = (0.55, 0.7, 0.75, 0.6)   # well below overall effectiveness, so pooling eras would show
# Hand-set plans (view -> era -> what): oe = (judged, good), kj = (judged, {measure: good}), rc = judged.
# Oak Trust: 9 last judged before Sept 2024 (8 good or outstanding), 3 in 2024/25, 2 report cards
# (suppressed): pooling eras would give "10 of 12". Riverside: no school good or outstanding before
# Sept 2024 (only below_good rows). Hill Top: every era suppressed. Awkward name: 2 inherited judgements.
OAK_KJ = {"quality_of_education": 2, "behaviour_and_attitudes": 3, "personal_development": 3,
          "leadership_and_management": 2}
ERA_PLANS = {
    "TR01001": {"own_judgements": {"oe": (9, 8), "kj": (3, OAK_KJ), "rc": 2},
                "including_inherited": {"oe": (9, 8), "kj": (3, OAK_KJ), "rc": 2},
                "under_group_only": {"oe": (7, 6), "kj": (3, OAK_KJ), "rc": 2}},
    "TR01005": {v: {"oe": (4, 0), "kj": (0, {}), "rc": 0} for v in ("own_judgements", "including_inherited",
                                                                     "under_group_only")},
    "TR01006": {v: {"oe": (1, 1), "kj": (2, dict.fromkeys(KEY_JUDGEMENTS, 1)), "rc": 0}
                for v in ("own_judgements", "including_inherited", "under_group_only")},
}


def _era_plans(rng: random.Random, key: str, schools: int) -> dict:
    """view -> plan: own_judgements drawn at random; under_group_only a part of it; including_inherited adds an
    inherited judgement (before Sept 2024) for the schools with none of their own."""
    if key in ERA_PLANS:
        return ERA_PLANS[key]
    binom = lambda k, p: sum(rng.random() < p for _ in range(k))       # noqa: E731
    judged = schools - rng.randint(0, schools // 8)
    rc = max(0, round(judged * 0.1 + rng.uniform(-1, 1))) if judged > 1 else 0
    kj = round(judged * 0.25)
    oe = judged - kj - rc
    current = {"oe": (oe, binom(oe, 0.9)), "kj": (kj, {m: binom(kj, p) for m, p in zip(KEY_JUDGEMENTS, KJ_RATES)}),
               "rc": rc}
    oe_u, kj_u = int(oe * 0.6), int(kj * 0.6)
    under = {"oe": (oe_u, min(oe_u, current["oe"][1])), "kj": (kj_u, {m: min(kj_u, g) for m, g in current["kj"][1].items()}),
             "rc": rc}
    extra = schools - judged
    inherited = {"oe": (oe + extra, current["oe"][1] + binom(extra, 0.8)), "kj": current["kj"], "rc": rc}
    return {"own_judgements": current, "under_group_only": under, "including_inherited": inherited}


def era_pattern_rows() -> list[tuple]:
    """patterns.group_era_patterns for every group and view (its own seed, so the other tables are unchanged)."""
    rng = random.Random(424242)
    out = []
    for key, name, kind, schools, *_ in GROUPS:
        plans = _era_plans(rng, key, schools)
        for view in ("own_judgements", "including_inherited", "under_group_only"):
            plan = plans[view]
            measures = []
            oe, oe_good = plan["oe"]
            if oe:
                measures.append(("overall_effectiveness", "overall_effectiveness", oe,
                                 {"good_or_outstanding": oe_good, "below_good": oe - oe_good}))
            kj, kj_good = plan["kj"]
            for m in KEY_JUDGEMENTS if kj else ():
                measures.append(("key_judgements", m, kj, {"good_or_outstanding": kj_good[m],
                                                           "below_good": kj - kj_good[m]}))
            rc = plan["rc"]
            for area in RC_AREAS if rc else ():
                counts = dict.fromkeys(RC_GRADES, 0)
                for _ in range(rc):
                    counts[rng.choices(RC_GRADES, weights=(5, 30, 45, 15, 5))[0]] += 1
                measures.append(("report_card", area, rc, counts))
            if rc:
                not_met = 1 if rc > 8 else 0
                measures.append(("report_card", "safeguarding_standards", rc, {"Met": rc - not_met, "Not met": not_met}))
            for era, measure, judged, counts in measures:
                suppressed = judged < ERA_MIN
                evidence = judged + (oe // 3 if era == "key_judgements" else 0)
                for outcome, k in counts.items():
                    if k <= 0:
                        continue   # the published table has no row for an outcome no school has
                    lo, hi = wilson(k, judged)
                    out.append((key, name, kind, view, era, measure, outcome, schools, judged, evidence, suppressed,
                                None if suppressed else k, None if suppressed else k / judged,
                                None if suppressed else lo, None if suppressed else hi, "cfg-fixture"))
    return out


def make_published_db(path: Path) -> Path:
    """A small published.duckdb in the contract's shape (fixture data, deterministic), at ``path``:
    built once per test process (a few seconds) and copied, so each caller may change its own copy."""
    shutil.copyfile(_built_once(), path)
    return path


@functools.cache
def _built_once() -> Path:
    import tempfile

    return _build_published_db(Path(tempfile.mkdtemp(prefix="report-fixture-")) / "published.duckdb")


def _build_published_db(path: Path) -> Path:
    """Write the fixture publication at ``path``."""
    rng = random.Random(20261120)
    con = duckdb.connect(str(path))
    con.execute(DDL)

    _insert(con, "staging.ofsted_reporting_eras", ERAS)
    trends, evidence = [], []
    for t, (as_at, family) in enumerate(SNAPSHOTS):
        overlap = (as_at, family) == (MI_OVERLAP, "mi_latest")
        for kind in KINDS:
            for phase in ("primary", "secondary"):
                for region in ("London", "North West"):
                    for view in ("own_judgements", "including_inherited"):
                        cell = (as_at, family, kind, phase, region, view)
                        base = {"multi_academy_trust": 400, "single_academy_trust": 60,
                                "local_authority": 500, "no_responsible_body": 8}[kind]
                        schools = max(4, int(base * (1 + 0.05 * t) * (1.4 if phase == "primary" else 0.6)
                                             + rng.randint(-5, 5)))
                        own = 0.85 if view == "own_judgements" else 1.0

                        def add(era, measure, judged, counts):
                            for outcome, k in counts.items():
                                if k > 0:
                                    trends.append((*cell, era, measure, outcome, schools, judged, k, k / judged,
                                                   "cfg-fixture"))

                        if as_at <= OE_END:
                            # judged share and good share differ by phase, so the weights matter
                            judged = max(2, int(schools * (0.95 if phase == "primary" else 0.45) * own))
                            rate = 0.2 if overlap else (0.92 if phase == "primary" else 0.6)
                            good = min(judged, max(0, round(judged * rate) + rng.randint(-2, 2)))
                            if (kind, phase, region) == ALL_BELOW_GOOD:
                                good = 0
                            add("overall_effectiveness", "overall_effectiveness", judged,
                                {"good_or_outstanding": good, "below_good": judged - good})
                        if as_at >= KJ_START:
                            frac = {date(2025, 3, 31): 0.15, date(2025, 8, 31): 0.3}.get(as_at, 0.27)
                            for m, rate in zip(KEY_JUDGEMENTS, (0.84, 0.93, 0.95, 0.88)):
                                judged = max(1, int(schools * frac * own * (1.0 if phase == "primary" else 0.4)))
                                rate = rate if phase == "primary" else rate - 0.15
                                good = min(judged, round(judged * rate))
                                add("key_judgements", m, judged, {"good_or_outstanding": good,
                                                                  "below_good": judged - good})
                        if as_at >= RC_START:
                            judged = max(1, int(schools * 0.05))
                            for area in RC_AREAS:
                                counts = dict.fromkeys(RC_GRADES, 0)
                                for _ in range(judged):
                                    counts[rng.choices(RC_GRADES, weights=(5, 30, 45, 15, 5))[0]] += 1
                                add("report_card", area, judged, counts)
                            not_met = 1 if judged > 10 else 0
                            add("report_card", "safeguarding_standards", judged,
                                {"Met": judged - not_met, "Not met": not_met})

                        judged = int(schools * (0.97 if view == "including_inherited" else 0.85))
                        without = rng.randint(0, 2)
                        stale = rng.randint(0, schools // 4)
                        rc = judged // 20 if as_at >= RC_START else 0
                        kj = judged // 4 if as_at >= KJ_START else 0
                        evidence.append((*cell, schools, judged, schools - without, without,
                                         round(rng.uniform(2.0, 6.5), 2), round(rng.uniform(1.0, 4.5), 2),
                                         stale / schools, judged - kj - rc, kj, rc,
                                         schools - without - kj - rc - 1, kj, rc + 1, max(1, schools // 9),
                                         "cfg-fixture"))
    _insert(con, "patterns.system_trends", trends)
    _insert(con, "patterns.system_evidence", evidence)

    patterns, profiles, improvement = [], [], []
    for key, name, kind, schools, pri, sec, spe, ap, las, regions in GROUPS:
        with_evidence = {"own_judgements": max(0, schools - rng.randint(0, 1)),
                         "including_inherited": schools,
                         "under_group_only": int(schools * 0.6)}
        if key == "TR01001":
            with_evidence["under_group_only"] = 12
        for view, n in with_evidence.items():
            for weighting in ("schools", "pupils"):
                counts = [9, 2, 1, 0] if (key == "TR01001" and view == "under_group_only") else _band_counts(rng, n)
                if key == "TR01002" and view == "own_judgements":
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
                                 bands[-1] if bands and not suppressed else None, age, stale_share,
                                 n - n // 4 - n // 10, n // 4, n // 10))
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
    _insert(con, "patterns.group_era_patterns", era_pattern_rows())
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
            population = {"mat-small": 6, "mat-large": 3, "sat": 3, "la": 3}[stratum]
            sampled = sum(1 for _, s in members if s == stratum)
            draw.append((period, key, display_name(key), dict(zip(("group_kind", "size_band", "phase_mix", "region"),
                                                                  STRATA[stratum])),
                         population, sampled, sampled / population, population / sampled))
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
    # real data (the bundled excerpts): the OGL attribution, no synthetic banner
    con.execute("insert into meta.publication values ('run-fixture-1f2e3d', '2026-11-20 06:15:00+00', '[]', '[]', "
                "'{}', false, 'sample', 'null')")
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


@pytest.fixture(scope="module")
def group_pages(report) -> dict[str, str]:
    """The profile pages written beside the main page (file name -> HTML), the index included."""
    path, _ = report
    return {p.name: p.read_text(encoding="utf-8") for p in (path.parent / f"groups-{PERIOD}").glob("*.html")}


def profile_texts(pages: dict[str, str]) -> list[str]:
    return [t for name, html in sorted(pages.items()) if name != "index.html" for t in walk(html).profiles]


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
    inside = [h for h in hrefs if h.startswith("#")]
    ids = {a["id"] for _, a, _ in w.tags if "id" in a}
    assert inside and all(h[1:] in ids for h in inside), "every in-page link has its target"
    # the rest link to the profile pages written beside it, and nowhere else
    files = [h for h in hrefs if not h.startswith("#")]
    assert files and all(h.startswith(f"groups-{PERIOD}/") and (path.parent / h).is_file() for h in files), files


def figures(html: str) -> list[tuple[str, str]]:
    """(caption text, figure markup) of every figure, in page order."""
    out = []
    for fig in re.findall(r"<figure[^>]*>.*?</figure>", html, re.S):
        cap = re.search(r"<figcaption>(.*?)</figcaption>", fig, re.S).group(1)
        out.append((htmllib.unescape(re.sub(r"<[^>]+>", " ", cap)), wide(fig)))
    return out


def wide(markup: str) -> str:
    """The markup without the compact (phone) drawings: each chart's marks counted once."""
    return re.sub(r'<div class="chart-narrow"><svg.*?</svg></div>', "", markup, flags=re.S)


def trend_figures(html: str, era_title: str, view: str) -> str:
    """The one trend figure of an era ('Overall effectiveness', 'Key judgements', 'Report cards') and view."""
    label = {"own_judgements": "own judgements", "including_inherited": "including inherited judgements"}[view]
    found = [f for cap, f in figures(html) if cap.startswith(era_title + ":") and f", {label}," in cap]
    assert len(found) == 1, (era_title, view, [c for c, _ in figures(html)])
    return found[0]


def points(svg: str) -> list[tuple[str, date, float]]:
    """(series, date, value) of every point drawn."""
    return [(htmllib.unescape(name), date.fromisoformat(d), float(v)) for v, name, d in re.findall(
        r'class="mark point" data-value="([^"]+)" data-series="([^"]*)" data-date="([^"]+)"', svg)]


def lines(svg: str) -> list[tuple[str, list[date]]]:
    """(series, dates joined) of every drawn line segment."""
    return [(htmllib.unescape(name), [date.fromisoformat(x) for x in ds.split(",")]) for name, ds in re.findall(
        r'class="mark series-line"[^>]*data-series="([^"]*)" data-dates="([^"]+)"', svg)]


def break_markers(svg: str) -> list[tuple[date, str]]:
    return [(date.fromisoformat(d), htmllib.unescape(label)) for d, label in re.findall(
        r'class="break-marker" data-break-date="([^"]+)" data-break-label="([^"]*)"', svg)]


def pooled_share(db: Path, as_at: date, family: str, view: str, measure: str, outcome: str,
                 kind: str | None = None) -> tuple[float, int, list[tuple]]:
    """The share an independent reading of the fixture gives: outcome count over schools judged in the era,
    each phase x region cell's judged count taken once (also for cells with no row for the outcome)."""
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select group_kind, phase, region, outcome, schools, schools_judged_in_era, schools_with_outcome, share "
        "from patterns.system_trends where as_at = ? and source_family = ? and view = ? and measure = ?",
        [as_at, family, view, measure]).fetchall()
    con.close()
    rows = [r for r in rows if kind is None or r[0] == kind]
    judged = {(k, ph, rg): j for k, ph, rg, _, _, j, _, _ in rows}
    with_outcome = sum(n for _, _, _, o, _, _, n, _ in rows if o == outcome)
    return with_outcome / sum(judged.values()), sum(judged.values()), rows


def test_every_chart_is_an_svg_figure_with_data_marks(report):
    _, html = report
    w = walk(html)
    # per view: overall effectiveness, key judgements, report cards; then by kind: the three eras, bands +
    # spread, improvement,
    # stale + ages, estimates
    assert len(w.figures) == 15
    for fig in w.figures:     # each chart drawn twice: wide, and compact for phones
        assert fig["svg"] == 2 and fig["title"] >= 2 and fig["figcaption"] == 1
        assert fig["marks"] > 0 and all(v is not None for v in fig["values"])
    svgs = [a for tag, a, _ in w.tags if tag == "svg"]
    assert all(a.get("role") == "img" and a.get("aria-labelledby") and a.get("viewbox") for a in svgs)
    assert html.count("<details>") >= 11         # numbers under the charts (and signal evidence)


def test_marks_follow_the_data(published_db, report):
    _, html = report
    data = load_report_data(published_db)
    for view in ("own_judgements", "including_inherited"):
        # overall effectiveness: one point per (as_at, kind incl. 'All schools'), value = the pooled share
        drawn = {(name, d): v for name, d, v in points(trend_figures(html, "Overall effectiveness", view))}
        expected = {(kind_label(r["group_kind"]), r["as_at"]): r["share"] for r in data.trends
                    if r["view"] == view and r["measure"] == "overall_effectiveness"
                    and r["outcome"] == "good_or_outstanding"}
        assert len(expected) == 4 * 5        # four dates to 31 Aug 2024, four kinds and all schools
        assert drawn.keys() == expected.keys()
        assert all(math.isclose(drawn[k], expected[k], rel_tol=1e-5) for k in expected)
        # key judgements: one line per key judgement, all schools
        kj = points(trend_figures(html, "Key judgements", view))
        assert {name for name, _, _ in kj} == {"Quality of education", "Behaviour and attitudes",
                                               "Personal development", "Leadership and management"}
        assert {d for _, d, _ in kj} == {date(2025, 3, 31), date(2025, 8, 31), date(2026, 3, 31)}
    # stacked bands: the segments of each kind add up to 1
    bands = data.outcomes_by_kind
    band_fig = next(f for cap, f in figures(html) if cap.startswith("Cross-era summary band (a convention): latest judgements"))
    seg_values = [float(v) for v in re.findall(r'class="mark segment"[^>]*data-value="([^"]+)"', band_fig)]
    assert math.isclose(sum(seg_values), sum(1 for r in bands if r["share_strong"] is not None), rel_tol=1e-6)


def test_no_trend_line_crosses_a_framework_break(report):
    _, html = report
    for view in ("own_judgements", "including_inherited"):
        oe = trend_figures(html, "Overall effectiveness", view)
        kj = trend_figures(html, "Key judgements", view)
        oe_points, kj_points = points(oe), points(kj)
        # overall effectiveness stops at 31 Aug 2024, key judgements start after it: both have points there
        assert max(d for _, d, _ in oe_points) == OE_END
        assert min(d for _, d, _ in kj_points) > OE_END
        assert all(d <= OE_END for _, d, _ in oe_points)
        assert all(d >= KJ_START for _, d, _ in kj_points)
        # different series: no name is shared, so no line can run from one framework into the other
        assert {n for n, _, _ in oe_points}.isdisjoint({n for n, _, _ in kj_points})
        for svg in (oe, kj):
            for _, ds in lines(svg):
                assert max(ds) <= OE_END or min(ds) >= KJ_START, ds
        # the breaks are marked where they happen
        assert (OE_END, "Overall effectiveness ends") in break_markers(oe)
        assert {(KJ_START, "Key judgements start"), (RC_START, "Report cards start")} <= set(break_markers(kj))
        # report cards: grade shares on their own five-point scale, never a good/bad share
        rc = trend_figures(html, "Report cards", view)
        assert "good or outstanding" not in rc.lower() and "good_or_outstanding" not in rc
        assert all(g in rc for g in RC_GRADES)
        assert "Safeguarding standards: met at" in rc


def test_rows_outside_their_era_are_never_drawn(published_db, tmp_path):
    db = tmp_path / "published.duckdb"
    shutil.copy(published_db, db)
    con = duckdb.connect(str(db))
    # rows the contract forbids: an overall-effectiveness share after 31 Aug 2024, a key judgement before Sept 2024
    con.execute("""insert into patterns.system_trends values
        ('2025-08-31', 'mi_latest', 'local_authority', 'primary', 'London', 'own_judgements', 'overall_effectiveness',
         'overall_effectiveness', 'good_or_outstanding', 700, 650, 600, 600 / 650, 'cfg-fixture'),
        ('2024-03-31', 'mi_latest', 'local_authority', 'primary', 'London', 'own_judgements', 'key_judgements',
         'quality_of_education', 'good_or_outstanding', 700, 650, 600, 600 / 650, 'cfg-fixture')""")
    con.close()
    data = load_report_data(db)
    assert not [r for r in data.trends if r["reporting_era"] == "overall_effectiveness" and r["as_at"] > OE_END]
    assert not [r for r in data.trends if r["reporting_era"] == "key_judgements" and r["as_at"] < KJ_START]
    html = render_report(data)
    assert all(d <= OE_END for _, d, _ in points(trend_figures(html, "Overall effectiveness", "own_judgements")))
    assert all(d >= KJ_START for _, d, _ in points(trend_figures(html, "Key judgements", "own_judgements")))


def test_no_line_joins_points_across_a_source_change(published_db, report):
    _, html = report
    last_official, first_mi = OFFICIAL_DATES[-1], MI_DATES[0]
    for view in ("own_judgements", "including_inherited"):
        oe = trend_figures(html, "Overall effectiveness", view)
        drawn = {(n, d) for n, d, _ in points(oe)}
        assert ("All schools", last_official) in drawn and ("All schools", first_mi) in drawn
        segments = [ds for name, ds in lines(oe) if name == "All schools"]
        assert segments, "lines are drawn at all"
        for ds in segments:
            assert max(ds) <= last_official or min(ds) >= first_mi, f"a line joins two sources: {ds}"
        assert OFFICIAL_DATES in segments and [first_mi, OE_END] in segments
        assert (first_mi, "Source: management information") in break_markers(oe)
        # where both sources publish a date, only the official statistics are read
        expected, _, _ = pooled_share(published_db, last_official, "official_statistics", view,
                                      "overall_effectiveness", "good_or_outstanding")
        mixed, _, _ = pooled_share(published_db, last_official, "mi_latest", view,
                                   "overall_effectiveness", "good_or_outstanding")
        got = next(v for n, d, v in points(oe) if n == "All schools" and d == last_official)
        assert math.isclose(got, expected, rel_tol=1e-5) and abs(expected - mixed) > 0.3


def test_series_break_where_the_source_changes():
    rows = [{"as_at": date(2023, 8, 31), "source_family": "official_statistics", "share": 0.8},
            {"as_at": date(2022, 8, 31), "source_family": "official_statistics", "share": 0.7},
            {"as_at": date(2024, 3, 31), "source_family": "mi_latest", "share": 0.9}]
    pts = series_points(rows)
    assert pts == [(date(2022, 8, 31), 0.7), (date(2023, 8, 31), 0.8), (date(2024, 3, 31), None),
                   (date(2024, 3, 31), 0.9)]
    svg = charts.line_chart([charts.Series("All", pts)], title="t", desc="d")
    assert [ds for _, ds in lines(svg)] == [[date(2022, 8, 31), date(2023, 8, 31)]]
    assert len(points(svg)) == 3
    assert family_changes(rows) == [(date(2023, 8, 31), date(2024, 3, 31), "official_statistics", "mi_latest")]


def test_why_lines_stop_and_restart_is_explained(published_db, report, tmp_path):
    _, html = report
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", html.split('id="why-breaks"')[1].split("</section>")[0]))
    assert text.startswith(">Why lines stop and restart")
    for era, *_, reason in ERAS:
        assert reason in text, era
    assert ("Up to 31 August 2023 the figures come from Ofsted's official statistics; from 31 March 2024 from "
            "Ofsted's monthly management information, which counts schools slightly differently") in text
    assert "hold no figures" not in text
    # a warehouse with no report cards yet says so, and draws no report-card chart
    db = tmp_path / "published.duckdb"
    shutil.copy(published_db, db)
    con = duckdb.connect(str(db))
    con.execute("delete from patterns.system_trends where reporting_era = 'report_card'")
    con.execute("delete from patterns.group_era_patterns where reporting_era = 'report_card'")
    con.close()
    html2 = render_report(load_report_data(db))
    assert "No figures for report cards are published for groups." in html2
    text2 = htmllib.unescape(re.sub(r"<[^>]+>", "", html2.split('id="why-breaks"')[1]))
    assert "The published data hold no figures for report cards" in text2
    assert "hold no figures for key judgements" not in text2
    assert not [c for c, _ in figures(html2) if c.startswith("Report cards:")]
    assert "No figures for report cards in the view own judgements." in html2


def test_trend_pooling_weights_by_schools_judged_in_era(published_db):
    data = load_report_data(published_db)

    def got(as_at, view, measure, kind):
        return next(r for r in data.trends if r["as_at"] == as_at and r["view"] == view and r["measure"] == measure
                    and r["group_kind"] == kind and r["outcome"] == "good_or_outstanding")

    # overall effectiveness, one kind: its cell with no good-or-outstanding school still counts in the denominator
    expected, judged, rows = pooled_share(published_db, OE_END, "mi_latest", "own_judgements",
                                          "overall_effectiveness", "good_or_outstanding", "no_responsible_body")
    row = got(OE_END, "own_judgements", "overall_effectiveness", "no_responsible_body")
    assert math.isclose(row["share"], expected, rel_tol=1e-12) and row["schools_judged_in_era"] == judged
    good = [r for r in rows if r[3] == "good_or_outstanding"]
    assert len(good) < len({r[1:3] for r in rows}), "the fixture has a cell with no good-or-outstanding school"
    only_good_cells = sum(r[6] for r in good) / sum(r[5] for r in good)
    by_schools = sum(r[7] * r[4] for r in good) / sum(r[4] for r in good)
    assert abs(expected - only_good_cells) > 0.01 and abs(expected - by_schools) > 0.01
    # a key judgement, every kind pooled ('all'): weights are schools judged, not schools listed
    expected, judged, rows = pooled_share(published_db, MI_DATES[-1], "mi_latest", "including_inherited",
                                          "quality_of_education", "good_or_outstanding")
    row = got(MI_DATES[-1], "including_inherited", "quality_of_education", "all")
    assert math.isclose(row["share"], expected, rel_tol=1e-12) and row["schools_judged_in_era"] == judged
    good = [r for r in rows if r[3] == "good_or_outstanding"]
    by_schools = sum(r[7] * r[4] for r in good) / sum(r[4] for r in good)
    judged_per_outcome_row = sum(r[6] for r in good) / sum(r[5] for r in rows)   # each cell counted twice
    assert abs(expected - by_schools) > 0.01 and abs(expected - judged_per_outcome_row) > 0.1


def test_evidence_section_reads_system_evidence(published_db, report):
    data = load_report_data(published_db)
    con = duckdb.connect(str(published_db), read_only=True)
    cells = con.execute("select schools, share_stale, schools_without_evidence from patterns.system_evidence "
                        "where as_at = ? and view = 'including_inherited' and group_kind = 'local_authority'",
                        [MI_DATES[-1]]).fetchall()
    con.close()
    la = next(r for r in data.stale_by_kind if r["group_kind"] == "local_authority")
    assert la["as_at"] == MI_DATES[-1] and la["schools"] == sum(c[0] for c in cells)
    assert math.isclose(la["share_stale"], sum(c[0] * c[1] for c in cells) / sum(c[0] for c in cells), rel_tol=1e-12)
    assert la["schools_without_evidence"] == sum(c[2] for c in cells)
    assert la["judgement_age_median_years"] is not None and la["evidence_age_median_years"] is not None
    _, html = report
    stale_fig = next(f for cap, f in figures(html) if cap.startswith("Share of schools with no inspection evidence"))
    drawn = [float(v) for v in re.findall(r'class="mark bar"[^>]*data-value="([^"]+)"', stale_fig)]
    assert any(math.isclose(v, la["share_stale"], rel_tol=1e-5) for v in drawn)
    assert "Typical age of latest judgement" in stale_fig and "Typical age of latest evidence" in stale_fig
    assert weighted_median([(3.0, 1), (5.0, 10), (1.0, 2)]) == 5.0
    assert weighted_median([(None, 3), (2.0, 0)]) is None


def test_how_to_read_names_each_rule_and_its_source(report):
    _, html = report
    box = htmllib.unescape(html.split('id="methods"')[1].split("</section>")[0])
    rules = re.findall(r'<li id="rule-[^"]+">(.*?)</li>', box, re.S)
    assert len(rules) == 5
    text = [re.sub(r"<[^>]+>", "", r) for r in rules]
    assert "school inspected" in text[0] and "official statistics methodology since 2018" in text[0]
    assert "graded inspections and report cards are judgements" in text[1] and "monitoring visit" in text[1] \
        and "Ofsted's management information" in text[1]
    assert "latest judgement" in text[2] and "latest evidence of any kind" in text[2] and "within 5 years" in text[2]
    assert "31 August 2024" in text[3] and "five-point scale" in text[3] and "“needs attention” is not a fail" \
        in text[3] and "official statistics as at 31 August 2024 and 31 August 2025" in text[3] \
        and "report-card guidance" in text[3]
    assert "predecessor" in text[4] and "(GIAS) links" in text[4] and "never a sibling" in text[4]
    outcomes = htmllib.unescape(html.split('id="outcomes"')[1].split("</section>")[0])
    assert "cross-era summary band, a named convention" in outcomes and "cross_era_band" in outcomes
    assert "not the default view" in outcomes


def test_profiles_are_neutral_and_cover_every_sampled_group(report, group_pages):
    texts = profile_texts(group_pages)
    assert len(texts) == len(SAMPLE[PERIOD])
    names = [name for _, name, *_ in GROUPS]
    for text in texts:
        for name in names:
            text = text.replace(name, "")
        assert grade_words_in(text) == [], text
        for word in ("best", "worst", "outstanding trust", "rank", "top ", "bottom", "league"):
            assert word not in text.lower(), (word, text)
    oak = next(t for t in texts if t.startswith("Oak Trust"))
    assert "Oak Trust runs 14 schools (11 primary, 3 secondary)" in oak
    assert "across 2 local authorities" in oak
    assert "11 of the 12 schools with a judgement made under the trust were judged good or better" in oak
    hill = next(t for t in texts if t.startswith("Hill Top"))
    assert "suppressed" in hill and "good or better (" not in hill
    kingsway = next(t for t in texts if t.startswith("Kingsway"))
    assert "suppressed" in kingsway
    assert all("Coastal Schools Trust" not in t for t in texts), "not sampled in this period"


def test_profile_sentences_from_data():
    facts = GroupFacts(
        "TR9", "Oak Trust", "multi_academy_trust",
        profile={"schools": 14, "pupils": 5200, "primary_schools": 11, "secondary_schools": 3, "special_schools": 0,
                 "ap_schools": 0, "other_phase_schools": 0, "las_spanned": 2, "regions_spanned": 1,
                 "group_age_years": 7.0, "growth_3y": 2},
        patterns={("under_group_only", "schools"): {"schools_with_evidence": 12, "suppressed": False,
                                                    "share_good_or_better": 0.75},
                  ("own_judgements", "schools"): {"schools_with_evidence": 14, "suppressed": False,
                                               "share_good_or_better": 9 / 14, "share_stale": 4 / 14,
                                               "schools_with_category_of_concern": 2,
                                               "evidence_age_median_years": 3.2}},
        improvement={"joiners": 5, "joiners_improved": 3, "share_improved": 0.6, "eligible": True,
                     "comparison_share_improved": 0.4, "effect": 0.2, "effect_ci_low": -0.1, "effect_ci_high": 0.5},
        signals=[{"signal_type": "targeting", "rule": "band rank >= 3 over 0.4", "signal": "stale_evidence",
                  "threshold": 0.4}],
    )
    text = " ".join(group_profile(facts, stale_after_years=5))
    assert "9 of the 12 schools with a judgement made under the trust were judged good or better" in text
    assert "2 schools have a category of concern" in text
    assert "Evidence is old for 4 schools (latest judgement over 5 years old)" in text
    assert "gained 2 schools net" in text and "3 stood in a better band" in text and "40% did" in text
    assert "Worth a closer look because: old or missing inspection evidence." in text
    assert "band rank" not in text and "stale_evidence" not in text      # codes stay in the tables
    assert grade_words_in(text) == []
    small = GroupFacts("TR8", "Tiny Trust", "multi_academy_trust", profile={"schools": 2, "primary_schools": 2},
                       patterns={("under_group_only", "schools"): {"schools_with_evidence": 2, "suppressed": True},
                                 ("own_judgements", "schools"): {"schools_with_evidence": 2, "suppressed": True}})
    small_text = " ".join(group_profile(small, 5))
    assert "suppressed" in small_text and "good or better (" not in small_text


def test_names_are_escaped_and_unicode_survives(report, group_pages):
    path, main = report
    assert "Smith’s &amp; Jones &lt;Learning&gt; Trust" in main          # a signal's link to its group's page
    html = main + "".join(group_pages.values())
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
    assert "31 March 2026" in html                        # as-at: newest snapshot published
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
    older_pages = tmp_path / f"groups-{OLDER_PERIOD}"
    assert "Riverside Academies" in (older_pages / "TR01005.html").read_text(encoding="utf-8")
    assert f'href="groups-{OLDER_PERIOD}/index.html"' in older.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["latest.html", newest.name, older.name,
                                                                 f"groups-{PERIOD}", f"groups-{OLDER_PERIOD}"])
    assert sorted(p.name for p in older_pages.iterdir()) == sorted(["index.html"] + [
        f"{key}.html" for key, _ in SAMPLE[OLDER_PERIOD]])
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
    from school_groups.report.render import ReportData

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
    # break markers: dashed vertical lines with labels; a break outside the data widens the time axis
    pts = [(date(2025, 1, 1), 0.8), (date(2026, 1, 1), 0.9)]
    plain = charts.line_chart([charts.Series("A", pts)], title="t", desc="d")
    marked = charts.line_chart([charts.Series("A", pts)], title="t", desc="d",
                               breaks=[(date(2024, 1, 1), "Framework changes"), (date(2025, 6, 1), "Source & <x>")])
    assert break_markers(plain) == []
    assert break_markers(marked) == [(date(2024, 1, 1), "Framework changes"), (date(2025, 6, 1), "Source & <x>")]
    assert marked.count('stroke-dasharray="5 4"') == 2 and "Source &amp; &lt;x&gt;" in marked

    def first_x(svg):
        return float(re.search(r'<circle cx="([\d.]+)"[^>]*class="mark point"', svg).group(1))
    assert first_x(marked) > first_x(plain)      # the axis now starts at the 2024 break


# --------------------------------------------------------------------------- section 2 and profiles: eras apart

def _section(html: str, anchor: str) -> str:
    return html.split(f'<section id="{anchor}">')[1].split("</section>")[0]


def drawn_bars(svg: str) -> list[tuple[str, str, float]]:
    """(kind heading or '', bar label, value) of every bar drawn, in order."""
    out, heading = [], ""
    for m in re.finditer(r'class="row-heading"[^>]*>([^<]*)<|class="mark bar"[^>]*data-value="([^"]+)"><title>([^<]*)'
                         r'</title>', svg):
        if m.group(1) is not None:
            heading = htmllib.unescape(m.group(1)).split(":")[0]
        else:
            out.append((heading, htmllib.unescape(m.group(3)).split(":")[0], float(m.group(2))))
    return out


def independent_era_shares(db: Path) -> dict[tuple[str, str], dict]:
    """From the fixture rows, view own_judgements, per kind x measure: good-or-outstanding share over groups not
    suppressed in that measure, each group's schools judged in the era counted once."""
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select group_key, group_kind, reporting_era, measure, outcome, schools_judged_in_era, "
                       "suppressed, schools_with_outcome from patterns.group_era_patterns "
                       "where view = 'own_judgements'").fetchall()
    con.close()
    per_group: dict[tuple, dict] = {}
    for key, kind, era, measure, outcome, judged, suppressed, k in rows:
        g = per_group.setdefault((kind, measure, key), {"era": era, "judged": judged, "suppressed": suppressed,
                                                        "good": 0})
        if outcome == "good_or_outstanding" and not suppressed:
            g["good"] = k
    out: dict[tuple[str, str], dict] = {}
    for (kind, measure, _), g in per_group.items():
        o = out.setdefault((kind, measure), {"era": g["era"], "good": 0, "judged": 0, "all_judged": 0,
                                             "groups": 0, "no_good_row": 0})
        o["all_judged"] += g["judged"]
        if not g["suppressed"]:
            o["good"] += g["good"]
            o["judged"] += g["judged"]
            o["groups"] += 1
            o["no_good_row"] += g["good"] == 0
    for o in out.values():
        o["share"] = o["good"] / o["judged"] if o["judged"] else None
    return out


def test_section_two_leads_with_eras_apart_and_bands_come_second(report):
    _, html = report
    section = _section(html, "outcomes")
    caps = [c for c, _ in figures(section)]
    assert [c.split(":")[0] for c in caps[:3]] == ["Overall effectiveness", "Key judgements", "Report cards"], caps
    band = [i for i, c in enumerate(caps) if c.startswith("Cross-era summary band")]
    assert band == [3, 4], caps                   # the band chart and its spread, both after every era figure
    # the secondary heading, and the convention's label, come after the era figures in the page too
    last_era = section.index(re.findall(r"<figure>.*?</figure>", section, re.S)[2])
    assert section.index('id="outcomes-band"') > last_era
    assert section.index("cross-era summary band, a named convention") > last_era
    first_p = htmllib.unescape(re.sub(r"<[^>]+>", "", re.search(r"<p>(.*?)</p>", section, re.S).group(1)))
    assert "own scale" in first_p and "band" not in first_p.lower()
    secondary = htmllib.unescape(section.split('id="outcomes-band"')[1].split("</h3>")[0])
    assert "secondary summary" in secondary and "named convention" in secondary


def test_section_two_never_pools_one_era_with_another(published_db, report):
    _, html = report
    expected = independent_era_shares(published_db)
    data = load_report_data(published_db)
    got = {(r["group_kind"], r["measure"]): r for r in data.era_outcomes_by_kind if r["outcome"] == "good_or_outstanding"}
    for key, e in expected.items():
        if e["era"] == "report_card":
            continue
        r = got[key]
        assert r["schools_reported"] == e["judged"] and r["schools_judged"] == e["all_judged"], key
        assert r["groups_reported"] == e["groups"], key
        assert (r["share"] is None) == (e["share"] is None) and (e["share"] is None or
                                                                 math.isclose(r["share"], e["share"]))
    mat_oe = expected[("multi_academy_trust", "overall_effectiveness")]
    mat_qoe = expected[("multi_academy_trust", "quality_of_education")]
    # the fixture has teeth: a reported group with no good-or-outstanding row, suppressed groups left out,
    # and pooling the two eras would give a clearly different share
    assert mat_oe["no_good_row"] >= 1 and mat_oe["all_judged"] > mat_oe["judged"]
    pooled_eras = (mat_oe["good"] + mat_qoe["good"]) / (mat_oe["judged"] + mat_qoe["judged"])
    assert abs(pooled_eras - mat_oe["share"]) > 0.05 and abs(pooled_eras - mat_qoe["share"]) > 0.05

    section = _section(html, "outcomes")
    oe_fig, kj_fig, rc_fig = [f for _, f in figures(section)[:3]]
    oe_bars = {label: v for _, label, v in drawn_bars(oe_fig)}
    assert math.isclose(oe_bars["Multi-academy trusts"], mat_oe["share"], rel_tol=1e-5)
    for kind in ("local_authority", "no_responsible_body"):
        assert math.isclose(oe_bars[kind_label(kind)], expected[(kind, "overall_effectiveness")]["share"],
                            rel_tol=1e-5)
    assert all(not math.isclose(v, pooled_eras, rel_tol=1e-3) for v in oe_bars.values())
    kj_bars = drawn_bars(kj_fig)
    kj_expected = {(kind_label(k), m): e["share"] for (k, m), e in expected.items()
                   if e["era"] == "key_judgements" and e["share"] is not None}
    assert {(h, lab.lower().replace(" ", "_")) for h, lab, _ in kj_bars} == set(kj_expected)
    for heading, label, v in kj_bars:
        measure = label.lower().replace(" ", "_")
        assert math.isclose(v, kj_expected[(heading, measure)], rel_tol=1e-5), (heading, label)
    assert "Overall effectiveness" not in {lab for _, lab, _ in kj_bars}
    # report cards: grades on their own scale, no good/bad share, and each kind's coverage said
    assert "good or outstanding" not in rc_fig.lower() and all(g in rc_fig for g in RC_GRADES)
    assert "Multi-academy trusts: " in htmllib.unescape(rc_fig) and "with a report card" in rc_fig


def test_section_two_says_how_many_schools_each_era_describes(published_db, report):
    _, html = report
    con = duckdb.connect(str(published_db), read_only=True)
    per_era = dict(con.execute(
        "select reporting_era, sum(judged) from (select group_key, reporting_era, max(schools_judged_in_era) as judged "
        "from patterns.group_era_patterns where view = 'own_judgements' and group_kind = 'local_authority' "
        "group by all) group by all").fetchall())
    schools = con.execute("select sum(schools_in_group) from patterns.group_outcome_patterns where view = "
                          "'own_judgements' and weighting = 'schools' and group_kind = 'local_authority'").fetchone()[0]
    con.close()
    items = re.findall(r"<li>(.*?)</li>", _section(html, "outcomes").split('class="era-coverage">')[1].split("</ul>")[0])
    la = htmllib.unescape(re.sub(r"<[^>]+>", "", next(i for i in items if "Local authorities" in i)))
    assert (f"of the {schools} schools in 3 groups, {per_era['overall_effectiveness']} have their latest judgement "
            f"from before September 2024, {per_era['key_judgements']} from a 2024/25 graded inspection") in la
    assert f"and {per_era['report_card']} have a report card" in la
    rest = schools - sum(per_era.values())
    assert rest > 0 and f"{rest} have no judgement of their current form yet" in la


def test_profiles_lead_with_eras_apart(group_pages):
    texts = profile_texts(group_pages)
    oak = next(t for t in texts if t.startswith("Oak Trust"))
    lead = ("Of its 14 schools, 9 were last judged before September 2024: 8 good or outstanding on overall "
            "effectiveness; 3 were last judged at a 2024/25 graded inspection: quality of education good or "
            "outstanding at 2 of 3, behaviour and attitudes at 3 of 3, personal development at 3 of 3 and leadership "
            "and management at 2 of 3; 2 have report cards: too few to show.")
    assert lead in oak
    assert "10 of 12" not in oak and "of 12 good or outstanding" not in oak      # the two eras pooled
    assert ("Counting only judgements made while each school was part of the trust, 7 were last judged before "
            "September 2024: 6 good or outstanding on overall effectiveness;") in oak
    band = oak.index("On the cross-era summary band (a convention")
    assert oak.index(lead) < band, "the era-separated figures lead; the band comes after, labelled"
    assert oak.index("On the same cross-era summary band, counting every current school") > band
    hill = next(t for t in texts if t.startswith("Hill Top"))
    assert ("Of its 3 schools, 1 was last judged before September 2024: too few to show; 2 were last judged at a "
            "2024/25 graded inspection: too few to show.") in hill
    assert "good or outstanding" not in hill


def _era_row(view, era, measure, outcome, judged, k, suppressed, schools=12):
    return {"view": view, "reporting_era": era, "measure": measure, "outcome": outcome, "schools_in_group": schools,
            "schools_judged_in_era": judged, "suppressed": suppressed, "schools_with_outcome": k}


def test_profile_never_prints_a_suppressed_outcome_count():
    rows = [_era_row("own_judgements", "overall_effectiveness", "overall_effectiveness", "good_or_outstanding", 7, 5, False),
            _era_row("own_judgements", "overall_effectiveness", "overall_effectiveness", "below_good", 7, 2, False)]
    # suppressed rows that (against the contract) still carry their counts: the flag alone must hide them
    for m in KEY_JUDGEMENTS:
        rows += [_era_row("own_judgements", "key_judgements", m, "good_or_outstanding", 2, 1, True),
                 _era_row("own_judgements", "key_judgements", m, "below_good", 2, 1, True)]
    rows += [_era_row("own_judgements", "report_card", "inclusion", "Strong standard", 2, 2, True),
             _era_row("own_judgements", "report_card", "safeguarding_standards", "Met", 2, 2, True)]
    # a row not flagged but with fewer than three schools judged: still too few to show
    rows += [_era_row("under_group_only", "overall_effectiveness", "overall_effectiveness", "good_or_outstanding",
                      2, 2, False)]
    # counting inherited judgements, the one school with none of its own has a predecessor's
    rows += [_era_row("including_inherited", "overall_effectiveness", "overall_effectiveness", "good_or_outstanding",
                      8, 6, False)]
    rows += [dict(r, view="including_inherited") for r in rows if r["view"] == "own_judgements"
             and r["reporting_era"] != "overall_effectiveness"]
    facts = GroupFacts("TR7", "Ash Trust", "multi_academy_trust", profile={"schools": 12, "primary_schools": 12},
                       era_rows=rows)
    text = " ".join(group_profile(facts, 5))
    assert ("Of its 12 schools, 7 were last judged before September 2024: 5 good or outstanding on overall "
            "effectiveness; 2 were last judged at a 2024/25 graded inspection: too few to show; 2 have report "
            "cards: too few to show.") in text
    assert ("Counting only judgements made while each school was part of the trust, 2 were last judged before "
            "September 2024: too few to show.") in text
    assert "The other school has no judgement of its current form yet; it has a predecessor's judgement" in text
    for leak in ("1 of 2", "2 of 2", "at 1 ", "at 2 ", "2 strong standard", "met at", "2 good or outstanding"):
        assert leak not in text, leak
    assert grade_words_in(text) == []
    assert grade_words_in("an outstanding trust") == ["outstanding"]         # only the measure's name is allowed
