"""Rows of the in-year MI file (every inspection published in the academic year to date): the
2024/25 layout with judgements and the previous inspection, and the report-card layout.
"""

from __future__ import annotations

import random
from datetime import date

from . import calibration as cal
from .ofsted_snapshot import (NULL, S5, TYPE_OF_EDUCATION, UNGRADED_TYPE, Snapshotter, dmy, graded_type,
                              monitoring_type, report_card)
from .world_entities import Establishment, Inspection

def academic_year_start(day: date) -> date:
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


def in_year_rows(snap: Snapshotter, day: date, report_cards: bool) -> list[dict]:
    """Every inspection published in the academic year up to ``day``, one row each."""
    rows = []
    rng = random.Random(f"{snap.world.seed}-ytd-{day}")
    since = max(academic_year_start(day), cal.REPORT_CARDS_FROM) if report_cards else academic_year_start(day)
    for site in snap.world.sites:
        history = [i for i in site.inspections if i.published <= day]
        for n, insp in enumerate(history):
            if insp.published < since:
                continue
            if report_cards and not (insp.kind == "graded" and insp.regime == "report_card"):
                continue
            est = snap.world.by_urn[insp.urn]
            row = snap.school(site, est, day, web_link_url=report_cards)
            kind = in_year_type(insp, history[:n], report_cards)
            row.update({"Inspection number": insp.number, "Inspection type": kind[0], "Inspection type grouping": kind[1],
                        "Event type grouping": kind[2], "Inspection start date": dmy(insp.start),
                        "Publication date": dmy(insp.published), "Category of concern": insp.category})
            if report_cards:
                areas = report_card(insp, rng)
                row.update(areas)
                row["Early years (where applicable)"] = areas["Inclusion"] if site.phase in ("Primary", "Nursery") else "Not applicable"
                row["Post-16 provision (where applicable)"] = "Not applicable"
            else:
                row.update(r2_judgements(snap, insp, history[:n], est))
            rows.append(row)
    return rows


def in_year_type(insp: Inspection, before: list[Inspection], report_cards: bool) -> tuple[str, str, str]:
    """The type fields of an in-year row; a monitoring visit is numbered from the last graded inspection."""
    if insp.kind == "graded":
        return S5 if report_cards else graded_type(insp)
    if insp.kind == "ungraded":
        return UNGRADED_TYPE
    visit = 1
    for earlier in reversed(before):
        if earlier.kind == "graded":
            break
        visit += earlier.kind == "monitoring"
    return monitoring_type(insp, visit)


R2_JUDGEMENTS = ("Quality of education", "Behaviour and attitudes", "Personal development",
                 "Effectiveness of leadership and management", "Safeguarding is effective",
                 "Early years provision (where applicable)", "Sixth form provision (where applicable)")


def r2_judgements(snap: Snapshotter, insp: Inspection, before: list[Inspection], est: Establishment) -> dict:
    """Judgement and previous-inspection columns of a 2024/25 in-year row. As in the real file
    (in-year, published by 31 May 2025: monitoring visit 10353864), a row without judgements
    carries 9 in every judgement column; the convert column is empty but for ungraded visits
    ("No", as the latest files write it) and converted ones ("Yes")."""
    converted = "Yes" if insp.converted else "No" if insp.kind == "ungraded" else ""
    out = {"Did the latest ungraded inspection convert to a graded inspection?": converted,
           "Outcomes for ungraded and monitoring inspections": insp.outcome}
    if insp.kind == "graded":
        g = snap.graded_grades(insp)
        site = est.site
        out.update(zip(R2_JUDGEMENTS, (g["qoe"], g["ba"], g["pd"], g["lm"], g["sg"],
                                       g["lm"] if site.phase in ("Primary", "Nursery") else 9,
                                       g["qoe"] if site.phase in ("Secondary", "All-through", "16 plus") else 9)))
    else:
        out.update({c: 9 for c in R2_JUDGEMENTS})
    prev = next((i for i in reversed(before) if i.kind == "graded"), None)
    cols = ["Previous inspection number", "Previous inspection start date", "Previous publication date",
            "Does the previous inspection relate to the school in its current form?", "URN at time of previous inspection",
            "LAESTAB at time of previous inspection", "School name at time of previous inspection",
            "School type at time of previous inspection", "Previous overall effectiveness", "Previous category of concern",
            "Previous quality of education", "Previous behaviour and attitudes", "Previous personal development",
            "Previous effectiveness of leadership and management", "Previous safeguarding is effective?",
            "Previous early years provision (where applicable)", "Previous sixth form provision (where applicable)"]
    if prev is None:
        out.update({c: NULL for c in cols})
        return out
    rel, then = snap.at_time(prev, est)
    g = snap.graded_grades(prev)
    out.update(dict(zip(cols, [prev.number, dmy(prev.start), dmy(prev.published), rel, then.urn,
                               f"{then.site.la.code}{then.est_number}", then.site.name, TYPE_OF_EDUCATION[then.type_code],
                               g["oe"], prev.category, g["qoe"], g["ba"], g["pd"], g["lm"], g["sg"], 9, 9])))
    return out
