"""Write Ofsted MI and official-statistics CSVs of the synthetic world, regime by regime.

Headers are the real ones (``school_groups/sources/headers``). Conventions as published: dates
dd/mm/yyyy, grades 1-4 with 9 = not applicable, the literal ``NULL`` for blocks that do not
apply, ``Not judged`` for overall effectiveness from Sept 2024, report-card areas on their
five-point scale from 10 Nov 2025, predecessor inspections carried with "URN at time of".
Files up to 2024 are Windows-1252 (with Ofsted's en dashes), later ones UTF-8; CRLF.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from school_groups.sources.registry import get_source

from . import calibration as cal
from .ofsted_in_year_rows import in_year_rows
from .ofsted_latest_rows import latest_rows_r1, latest_rows_r3
from .ofsted_snapshot import NULL, S5, SHORT, Snapshotter, dmy   # generate.py takes Snapshotter from here


def write_mi_csv(path: Path, header: tuple[str, ...], rows: list[dict], encoding: str) -> None:
    frame = pl.DataFrame({h: pl.Series(h, [str(r.get(h, "")) for r in rows], pl.String) for h in header})
    path.write_bytes(frame.write_csv(line_terminator="\r\n").encode(encoding))


def official_stats_rows(snap: Snapshotter, day: date) -> list[dict]:
    """CIF-era official statistics: latest graded inspection per open school, predecessor's if none."""
    rows = []
    for site, est in snap.open_schools(day):
        row = snap.school(site, est, day, web_link_url=True)
        row["Web Link"] = f"http://www.ofsted.gov.uk/inspection-reports/find-inspection-report/provider/ELS/{est.urn}"
        row["Organisation ID"] = 1_000_000 + est.urn
        row["Number of warning notices issued in 2017/18 academic year"] = ""
        graded = [i for i in snap.published(site, day) if i.kind == "graded"]
        latest, previous = (graded[-1] if graded else None), (graded[-2] if len(graded) > 1 else None)
        row["Predecessor URN"] = latest.urn if latest and latest.urn != est.urn else NULL
        for prefix, insp in (("", latest), ("Previous ", previous)):
            cap = (lambda s: s[0].upper() + s[1:]) if not prefix else (lambda s: s)
            keys = ["inspection number", "inspection start date", "inspection end date", "publication date",
                    "overall effectiveness", "category of concern", "outcomes for pupils",
                    "quality of teaching, learning and assessment", "effectiveness of leadership and management",
                    "personal development, behaviour and welfare", "early years provision (where applicable)",
                    "16 - 19 study programmes"]
            if insp is None:
                row.update({cap(prefix + k): NULL for k in keys})
                continue
            lm = insp.subgrades[3]
            values = [insp.number, dmy(insp.start), dmy(insp.start), dmy(insp.published), insp.grade, insp.category,
                      insp.subgrades[0], insp.subgrades[1], lm, insp.subgrades[2] if insp.start.year >= 2015 else 9,
                      (8 if site.id % 40 == 0 else lm) if site.phase == "Primary" else 9, 9]
            row.update({cap(prefix + k): v for k, v in zip(keys, values)})
        if latest:
            row["Inspection type"], row["Inspection type grouping"], row["Event type grouping"] = (
                (SHORT, "Short inspection – converted", "Schools - Short inspection Conversion") if latest.converted else S5)
        else:
            row.update({"Inspection type": NULL, "Inspection type grouping": NULL, "Event type grouping": NULL})
        row.update({"Provider open date - QA": dmy(est.opened), "Provider open reason - QA": "Academy Converter"
                    if est.type_code == "34" else "Not recorded", "Provider closed date - QA": NULL,
                    "Provider closed reason - QA": "Not recorded", "OB number on Roll": NULL,
                    "Withdrawn date": NULL, "Previous withdrawn date": NULL})
        rows.append(row)
    return rows


MONTH = {1: "Jan", 2: "Feb", 3: "Mar", 4: "Apr", 5: "May", 6: "June", 7: "July", 8: "Aug", 9: "Sep", 10: "Oct",
         11: "Nov", 12: "Dec"}
LONG_MONTH = {1: "January", 2: "February", 3: "March", 4: "April", 5: "May", 6: "June", 7: "July", 8: "August",
              9: "September", 10: "October", 11: "November", 12: "December"}


def write_latest(snap: Snapshotter, day: date, out: Path) -> Path:
    source = get_source("ofsted_mi_latest")
    r3 = day >= cal.REPORT_CARDS_FROM
    rows = latest_rows_r3(snap, day) if r3 else latest_rows_r1(snap, day)
    header = source.eras[0 if r3 else 1].columns
    path = out / f"Management_information_-_state-funded_schools_-_latest_inspections_as_at_{day.day}_{MONTH[day.month]}_{day.year}.csv"
    write_mi_csv(path, header, rows, "utf-8" if day.year >= 2025 else "cp1252")
    return path


def write_in_year(snap: Snapshotter, day: date, out: Path) -> Path:
    source = get_source("ofsted_mi_in_year")
    r3 = day >= cal.REPORT_CARDS_FROM
    rows = in_year_rows(snap, day, report_cards=r3)
    path = out / ("Management_information_-_state-funded_schools_-_all_inspections_-_year_to_date_published_by_"
                  f"{day.day}_{MONTH[day.month]}_{day.year}.csv")
    write_mi_csv(path, source.eras[0 if r3 else 1].columns, rows, "utf-8")
    return path


def write_official_stats(snap: Snapshotter, day: date, out: Path) -> Path:
    source = get_source("ofsted_official_stats")
    name = "Maintained_schools_and_academies" if day.year < 2018 else "State_funded_schools"
    path = out / f"{name}_inspections_and_outcomes_as_at_{day.day}_{LONG_MONTH[day.month]}_{day.year}.csv"
    write_mi_csv(path, source.eras[0].columns, official_stats_rows(snap, day), "cp1252")
    return path
