"""Rows of the latest-inspections MI file: the 74-column EIF layout (to Aug 2025) with its latest
and previous graded blocks, and the 85-column report-card layout (from 10 Nov 2025) with its
report-card, OEIF and ungraded blocks.
"""

from __future__ import annotations

import random
from datetime import date

from .ofsted_snapshot import AREAS, NULL, TYPE_OF_EDUCATION, Snapshotter, dmy, graded_type, report_card
from .world_entities import Establishment, Inspection

def latest_rows_r1(snap: Snapshotter, day: date) -> list[dict]:
    """74-column latest-inspections file (EIF layout, to Aug 2024; Aug 2025 with 'Not judged')."""
    rows = []
    for site, est in snap.open_schools(day):
        row = snap.school(site, est, day, web_link_url=False)
        seen = snap.published(site, day)
        graded = [i for i in seen if i.kind == "graded"]
        latest, previous = (graded[-1] if graded else None), (graded[-2] if len(graded) > 1 else None)
        after = [i for i in seen if latest is None or i.start > latest.start]
        ungraded = [i for i in after if i.kind == "ungraded"]
        monitoring = [i for i in after if i.kind == "monitoring"]
        if ungraded:
            u = ungraded[-1]
            rel, then = snap.at_time(u, est)
            row.update({
                "Latest ungraded inspection number since last graded inspection": u.number,
                "Does the ungraded inspection relate to the URN of the current school?": rel,
                "URN at time of the ungraded inspection": then.urn,
                "LAESTAB at time of the ungraded inspection": f"{then.site.la.code}{then.est_number}",
                "School name at time of the ungraded inspection": then.site.name,
                "School type at time of the ungraded inspection": TYPE_OF_EDUCATION[then.type_code],
                "Number of ungraded inspections since the last graded inspection": len(ungraded),
                "Date of latest ungraded inspection": dmy(u.start), "Ungraded inspection publication date": dmy(u.published),
                "Did the latest ungraded inspection convert to a graded inspection?": "No",
                "Ungraded inspection overall outcome": u.outcome})
        else:
            row.update({k: NULL for k in (
                "Latest ungraded inspection number since last graded inspection",
                "Does the ungraded inspection relate to the URN of the current school?",
                "URN at time of the ungraded inspection", "LAESTAB at time of the ungraded inspection",
                "School name at time of the ungraded inspection", "School type at time of the ungraded inspection",
                "Number of ungraded inspections since the last graded inspection", "Date of latest ungraded inspection",
                "Ungraded inspection publication date", "Ungraded inspection overall outcome")})
            row["Did the latest ungraded inspection convert to a graded inspection?"] = ""
        row["Number of monitoring and urgent inspections since last graded inspection"] = len(monitoring) or NULL
        row.update(graded_block(snap, latest, est, ""))
        row.update(graded_block(snap, previous, est, "Previous "))
        rows.append(row)
    return rows


def graded_block(snap: Snapshotter, insp: Inspection | None, est: Establishment, prefix: str) -> dict:
    """The latest (prefix '') or previous (prefix 'Previous ') graded inspection columns of R1."""
    p = prefix
    names = {
        "number": "Inspection number of latest graded inspection" if not p else "Previous graded inspection number",
        "start": "Inspection start date" if not p else "Previous inspection start date",
        "pub": "Publication date" if not p else "Previous publication date",
        "rel": f"Does the {'latest' if not p else 'previous'} graded inspection relate to the URN of the current school?",
        "urn": f"URN at time of {'latest' if not p else 'previous'} graded inspection",
        "laestab": f"LAESTAB at time of {'latest' if not p else 'previous'} graded inspection",
        "name": f"School name at time of {'latest' if not p else 'previous'} graded inspection",
        "type": f"School type at time of {'latest' if not p else 'previous'} graded inspection",
        "oe": "Overall effectiveness" if not p else "Previous graded inspection overall effectiveness",
        "cat": f"{p}Category of concern" if not p else "Previous category of concern",
        "qoe": f"{p}Quality of education" if not p else "Previous quality of education",
        "ba": "Behaviour and attitudes" if not p else "Previous behaviour and attitudes",
        "pd": "Personal development" if not p else "Previous personal development",
        "lm": "Effectiveness of leadership and management" if not p else "Previous effectiveness of leadership and management",
        "sg": "Safeguarding is effective?" if not p else "Previous safeguarding is effective?",
        "ey": "Early years provision (where applicable)" if not p else "Previous early years provision (where applicable)",
        "sf": "Sixth form provision (where applicable)" if not p else "Previous sixth form provision (where applicable)",
    }
    if insp is None:
        out = {col: NULL for col in names.values()}
        if not p:
            out.update({"Inspection type": NULL, "Inspection type grouping": NULL, "Event type grouping": NULL})
        return out
    rel, then = snap.at_time(insp, est)
    g = snap.graded_grades(insp)
    sixth = then.site.phase in ("Secondary", "All-through", "16 plus")
    out = {names["number"]: insp.number, names["start"]: dmy(insp.start), names["pub"]: dmy(insp.published),
           names["rel"]: rel, names["urn"]: then.urn, names["laestab"]: f"{then.site.la.code}{then.est_number}",
           names["name"]: then.site.name, names["type"]: TYPE_OF_EDUCATION[then.type_code],
           names["oe"]: g["oe"], names["cat"]: insp.category, names["qoe"]: g["qoe"], names["ba"]: g["ba"],
           names["pd"]: g["pd"], names["lm"]: g["lm"], names["sg"]: g["sg"],
           names["ey"]: g["lm"] if then.site.phase in ("Primary", "Nursery") and insp.regime != "cif" else 9,
           names["sf"]: g["qoe"] if sixth and insp.regime != "cif" else 9}
    if not p:
        out.update(zip(("Inspection type", "Inspection type grouping", "Event type grouping"), graded_type(insp)))
    return out


def latest_rows_r3(snap: Snapshotter, day: date) -> list[dict]:
    """85-column latest-inspections file (report cards, OEIF and ungraded blocks)."""
    rows = []
    rng = random.Random(f"{snap.world.seed}-rc")
    for site, est in snap.open_schools(day):
        row = snap.school(site, est, day, web_link_url=False)
        seen = snap.published(site, day)
        full = [i for i in seen if i.kind == "graded" and i.regime == "report_card"]
        oeif = [i for i in seen if i.kind == "graded" and i.regime in ("eif", "eif_no_overall")]
        ungraded = [i for i in seen if i.kind == "ungraded"]
        row.update(report_card_block(snap, full[-1] if full else None, est, rng))
        row.update(oeif_block(snap, oeif[-1] if oeif else None, est))
        if ungraded:
            u = ungraded[-1]
            rel, then = snap.at_time(u, est)
            row.update({"Latest ungraded inspection number": u.number, "Date of latest ungraded inspection": dmy(u.start),
                        "Ungraded inspection publication date": dmy(u.published),
                        "Does the ungraded inspection relate to the URN of the current school?": rel,
                        "URN at time of the ungraded inspection": then.urn,
                        "LAESTAB at time of the ungraded inspection": f"{then.site.la.code}{then.est_number}",
                        "School name at time of the ungraded inspection": then.site.name,
                        "School type at time of the ungraded inspection": TYPE_OF_EDUCATION[then.type_code],
                        "Ungraded inspection overall outcome": u.outcome})
        else:
            for col in ("Latest ungraded inspection number", "Date of latest ungraded inspection",
                        "Ungraded inspection publication date",
                        "Does the ungraded inspection relate to the URN of the current school?",
                        "URN at time of the ungraded inspection", "LAESTAB at time of the ungraded inspection",
                        "School name at time of the ungraded inspection", "School type at time of the ungraded inspection",
                        "Ungraded inspection overall outcome"):
                row[col] = NULL
        concern = next((i.category for i in reversed(seen) if i.category), "")
        row["Most recent category of concern"] = concern if concern else ("" if seen else NULL)
        rows.append(row)
    return rows


def report_card_block(snap: Snapshotter, insp: Inspection | None, est: Establishment, rng: random.Random) -> dict:
    cols = ["Inspection number of latest full inspection", "Inspection type", "Inspection type grouping",
            "Event type grouping", "Inspection start date", "Publication date",
            "Does the latest full inspection relate to the URN of the current school?",
            "URN at time of latest full inspection", "LAESTAB at time of latest full inspection",
            "School name at time of latest full inspection", "School type at time of latest full inspection",
            "Category of concern"]
    grade_cols = ["Safeguarding standards", *AREAS[:5], "Early years (where applicable)", "Post-16 provision (where applicable)",
                  "Leadership and governance"]
    date_cols = ["Safeguarding standards - date of grade", *[f"{a} - date of grade" for a in AREAS[:5]],
                 "Early years - date of grade", "Post-16 provision - date of grade", "Leadership and governance - date of grade"]
    if insp is None:
        return {c: NULL for c in cols + grade_cols + date_cols}
    rel, then = snap.at_time(insp, est)
    areas = report_card(insp, rng)
    out = dict(zip(cols, [insp.number, "S5 Inspection", "S5 Inspection", "Schools - S5", dmy(insp.start),
                          dmy(insp.published), rel, then.urn, f"{then.site.la.code}{then.est_number}", then.site.name,
                          TYPE_OF_EDUCATION[then.type_code], insp.category]))
    out.update({a: areas[a] for a in ["Safeguarding standards", *AREAS]})
    out["Early years (where applicable)"] = areas["Inclusion"] if then.site.phase in ("Primary", "Nursery") else "Not applicable"
    out["Post-16 provision (where applicable)"] = areas["Achievement"] if then.site.phase in ("Secondary", "16 plus") else "Not applicable"
    out.update({c: dmy(insp.start) for c in date_cols})
    return out


def oeif_block(snap: Snapshotter, insp: Inspection | None, est: Establishment) -> dict:
    cols = ["Inspection number of latest OEIF graded inspection", "Inspection type of latest OEIF graded inspection",
            "Inspection type grouping of latest OEIF graded inspection", "Event type grouping of latest OEIF graded inspection",
            "Inspection start date of latest OEIF graded inspection", "Publication date of latest OEIF graded inspection",
            "Does the latest OEIF graded inspection relate to the URN of the current school?",
            "URN at time of latest OEIF graded inspection", "LAESTAB at time of latest OEIF graded inspection",
            "School name at time of latest OEIF graded inspection", "School type at time of latest OEIF graded inspection",
            "Latest OEIF category of concern", "Latest OEIF overall effectiveness", "Latest OEIF quality of education",
            "Latest OEIF behaviour and attitudes", "Latest OEIF personal development",
            "Latest OEIF effectiveness of leadership and management", "Latest OEIF  safeguarding is effective?",
            "Latest OEIF early years provision (where applicable)", "Latest OEIF sixth form provision (where applicable)"]
    if insp is None:
        return {c: NULL for c in cols}
    rel, then = snap.at_time(insp, est)
    g = snap.graded_grades(insp)
    return dict(zip(cols, [insp.number, *graded_type(insp), dmy(insp.start),
                           dmy(insp.published), rel, then.urn, f"{then.site.la.code}{then.est_number}", then.site.name,
                           TYPE_OF_EDUCATION[then.type_code], insp.category, g["oe"], g["qoe"], g["ba"], g["pd"],
                           g["lm"], g["sg"], 9, 9]))
