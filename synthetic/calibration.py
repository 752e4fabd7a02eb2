"""The national figures the synthetic world is calibrated to, with where each comes from.

Sources are the developers' shared REFERENCE_FIGURES.md (Ofsted official statistics, DfE
statistics, parliamentary answers) and GIAS documentation; each constant names its source.
Scales multiply the school counts; proportions stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Scale:
    name: str
    open_schools: int            # open state-funded schools in England at the latest date
    local_authorities: int
    gias_snapshots: tuple[date, ...]
    latest_mi: tuple[date, ...]          # "latest inspections as at" files
    official_stats: tuple[date, ...]     # CIF-era official statistics files
    in_year_mi: tuple[date, ...]         # "year to date published by" files


TODAY = date(2026, 11, 20)   # the generated world's "now": files are dated up to here

SCALES = {
    # ~24,000 open state-funded schools; "nearly 22,000" inspected schools in Ofsted's
    # official statistics (Dec 2024, Aug 2025) + nurseries, PRUs and new schools not yet counted.
    "national": Scale(
        "national", open_schools=24_000, local_authorities=152,
        gias_snapshots=(date(2024, 9, 2), date(2025, 9, 1), TODAY),
        latest_mi=(date(2022, 8, 31), date(2023, 8, 31), date(2024, 8, 31), date(2025, 8, 31),
                   date(2026, 6, 30), date(2026, 10, 31)),
        official_stats=(date(2017, 12, 31), date(2018, 8, 31), date(2019, 8, 31)),
        in_year_mi=(date(2025, 8, 31), date(2026, 8, 31), date(2026, 10, 31)),
    ),
    "small": Scale(
        "small", open_schools=900, local_authorities=6,
        gias_snapshots=(date(2025, 9, 1), TODAY),
        latest_mi=(date(2024, 8, 31), date(2026, 6, 30)),
        official_stats=(date(2018, 8, 31),),
        in_year_mi=(date(2025, 8, 31), date(2026, 10, 31)),
    ),
}

# Phase mix of open state-funded schools (GIAS, 2024-25: ~16.7k primary, ~3.5k secondary,
# ~1.1k special, ~350 PRU/AP, ~380 nursery, ~180 all-through, ~90 16 plus).
PHASE_SHARES = {
    "Primary": 0.695, "Secondary": 0.145, "Special": 0.046, "Alternative provision": 0.015,
    "Nursery": 0.016, "All-through": 0.008, "16 plus": 0.004,
}

# Academies and free schools were 52% of schools at 31 Aug 2025 (Ofsted main findings);
# 82-89% of academies are in multi-academy trusts (Ofsted 2019; government figures 2024).
ACADEMY_SHARE = {"Primary": 0.44, "Secondary": 0.81, "Special": 0.50, "Alternative provision": 0.55,
                 "Nursery": 0.02, "All-through": 0.75, "16 plus": 0.90}
SAT_SHARE_OF_ACADEMIES = 0.16             # ~1,000 SATs (PQ answer, Jan 2024), some later join MATs
FREE_SCHOOL_SHARE_OF_ACADEMIES = 0.06     # ~700-800 free schools, UTCs and studio schools
SPONSORED_SHARE_OF_CONVERSIONS = 0.28     # 1,575 of 5,170 in 2016; later years mostly converters

# 1,321 MATs running more than one school and 9,603 academies in MATs (Dec 2023): mean ~7.3.
MAT_COUNT_PER_1000_SCHOOLS = 1321 / 22_000 * 1000 / 1000
SINGLE_ACADEMY_MATS_SHARE = 0.12          # MATs with one academy (about a quarter in 2016, fewer now)

FEDERATIONS_PER_1000_MAINTAINED = 55      # ~600-700 federations of maintained schools
SPONSORS_PER_1000_SCHOOLS = 38            # 739 approved sponsors (2015) for ~20k schools

# Grades (Ofsted official statistics): 86% good/outstanding at 31 Aug 2018 (21% outstanding,
# 65% good, 11% RI, 4% inadequate); 90% G/O at 31 Aug 2024 with outstanding down to ~14-17%
# after the outstanding exemption ended (2020) and the EIF made outstanding harder.
TARGET_GO_2018 = 0.86
TARGET_OUTSTANDING_2018 = 0.21
TARGET_GO_2024 = 0.90
TARGET_OUTSTANDING_2024 = 0.155

# 2024/25, the year graded inspections had key judgements but no overall grade (Ofsted
# official statistics, main findings as at 31 Aug 2025): share of graded inspections judged
# good or outstanding in each key judgement, and share of ungraded inspections whose outcome
# was "Standards maintained" or "Improved significantly" (the rest "Some aspects not as
# strong"). The world applies them to every academic year of that era (Sept 2024 - 9 Nov 2025).
TARGET_KEY_JUDGEMENTS_2024_25 = {"qoe": 0.83, "ba": 0.94, "pd": 0.96, "lm": 0.88}
TARGET_UNGRADED_MAINTAINED_OR_IMPROVED_2024_25 = 0.95

# Framework dates.
EIF_START = date(2019, 9, 1)
NO_OVERALL_GRADE_FROM = date(2024, 9, 1)
REPORT_CARDS_FROM = date(2025, 11, 10)
COVID_PAUSE = (date(2020, 3, 17), date(2021, 9, 1))
EXEMPTION_YEARS = (date(2012, 9, 1), date(2020, 11, 1))   # outstanding schools exempt from routine inspection
