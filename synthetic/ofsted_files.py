"""Write Ofsted MI and official-statistics CSVs of the synthetic world, regime by regime.

Headers are the real ones (``school_groups/sources/headers``). Conventions as published: dates
dd/mm/yyyy, grades 1-4 with 9 = not applicable, the literal ``NULL`` for blocks that do not
apply, ``Not judged`` for overall effectiveness from Sept 2024, report-card areas on their
five-point scale from 10 Nov 2025, predecessor inspections carried with "URN at time of".
Files up to 2024 are Windows-1252 (with Ofsted's en dashes), later ones UTF-8; CRLF.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import polars as pl

from school_groups.sources.registry import get_source

from . import calibration as cal
from .world import Establishment, Inspection, Site, World

NULL = "NULL"
PHASE = {"Primary": "Primary", "Secondary": "Secondary", "Special": "Special", "Alternative provision": "PRU",
         "Nursery": "Nursery", "All-through": "All-through", "16 plus": "Secondary"}
TYPE_OF_EDUCATION = {"01": "Community School", "02": "Voluntary Aided School", "03": "Voluntary Controlled School",
                     "05": "Foundation School", "07": "Community Special School", "14": "Pupil Referral Unit",
                     "15": "LA Nursery School", "28": "Academy Sponsor Led", "33": "Academy Special Sponsor Led",
                     "34": "Academy Converter", "35": "Free School", "36": "Free School Special",
                     "38": "Free School Alternative Provision", "39": "Free School 16-19",
                     "42": "Academy Alternative Provision Converter", "43": "Academy Alternative Provision Sponsor Led",
                     "44": "Academy Special Converter", "45": "Academy 16-19 Converter", "46": "Academy 16-19 Sponsor Led"}
REPORT_SCALE = ["Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement"]
AREAS = ["Inclusion", "Curriculum and teaching", "Achievement", "Attendance and behaviour",
         "Personal development and wellbeing", "Leadership and governance"]


def dmy(day: date | None) -> str:
    return NULL if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


# Inspection type, Inspection type grouping, Event type grouping as the real files write them.
# Seen in real files: "S5 Inspection" (graded; all MI samples); "Maintained Academy and School
# Short inspection" / "Section 8 conversion" / "Schools – Section 8 conversion" (an ungraded
# visit converted to graded; latest inspections as at 31 Aug 2024); "Requires Improvement
# monitoring Visit 1" / "Requires Improvement monitoring Visit" / "Schools - S8" (a monitoring
# visit; in-year file published by 31 May 2025); "Schools into Special Measures Visit N" (the
# type of a special-measures monitoring visit; official statistics as at 31 Dec 2017) and the
# CIF-era "Short inspection – converted" / "Schools - Short inspection Conversion".
# Not seen in a real file, inferred from those: the grouping of a special-measures or
# serious-weaknesses monitoring visit and the names for serious weaknesses, and the grouping
# of an ungraded visit that did not convert ("Section 8 ungraded inspection").
S5 = ("S5 Inspection", "S5 Inspection", "Schools - S5")
SHORT = "Maintained Academy and School Short inspection"
UNGRADED_TYPE = (SHORT, "Section 8 ungraded inspection", "Schools - S8")


def graded_type(insp: Inspection) -> tuple[str, str, str]:
    if insp.converted:
        return SHORT, "Section 8 conversion", "Schools – Section 8 conversion"
    return S5


def monitoring_type(insp: Inspection, visit: int) -> tuple[str, str, str]:
    if insp.category == "SM":
        return f"Schools into Special Measures Visit {visit}", "Special Measures monitoring Visit", "Schools - S8"
    if insp.category == "SWK":
        return f"Serious Weaknesses monitoring Visit {visit}", "Serious Weaknesses monitoring Visit", "Schools - S8"
    return f"Requires Improvement monitoring Visit {visit}", "Requires Improvement monitoring Visit", "Schools - S8"


def write_mi_csv(path: Path, header: tuple[str, ...], rows: list[dict], encoding: str) -> None:
    frame = pl.DataFrame({h: pl.Series(h, [str(r.get(h, "")) for r in rows], pl.String) for h in header})
    path.write_bytes(frame.write_csv(line_terminator="\r\n").encode(encoding))


class Snapshotter:
    """Answers "what did Ofsted know about this school on day D" for the file writers."""

    def __init__(self, world: World):
        self.world = world
        self.rng = random.Random(f"{world.seed}-ofsted")
        for site in world.sites:
            site.inspections.sort(key=lambda i: (i.start, i.number))
        self.idaci = {site.id: 1 + site.id % 5 for site in world.sites}

    def open_schools(self, day: date):
        """(site, URN open that day) for every school open on ``day``, in a fixed order."""
        for site in self.world.sites:
            est = site.urn_on(day)
            if est is not None:
                yield site, est

    # -- school descriptors ---------------------------------------------------------------------
    def school(self, site: Site, est: Establishment, day: date, web_link_url: bool) -> dict:
        mat = next((sp.group for sp in site.spells if sp.urn == est.urn and sp.group.kind in ("06", "10")
                    and sp.active(day)), None)
        sponsor = next((sp.group for sp in site.spells if sp.urn == est.urn and sp.group.kind == "05"
                        and sp.active(day)), None)
        phase = PHASE[site.phase]
        if phase == "PRU" and day >= cal.REPORT_CARDS_FROM:
            phase = "Alternative provision"
        academy = est.type_code not in ("01", "02", "03", "05", "07", "14", "15")
        link = f"http://www.ofsted.gov.uk/inspection-reports/find-inspection-report/provider/{est.urn}"
        return {
            "URN": est.urn, "LAESTAB": f"{site.la.code}{est.est_number}", "School name": site.name,
            "Web link": link if web_link_url else est.urn,
            "Web Link (opens in new window)": link if web_link_url else est.urn,
            "Ofsted phase": phase, "Phase of education": phase,
            "Type of education": TYPE_OF_EDUCATION[est.type_code],
            "School open date": dmy(est.opened) if academy else NULL,
            "Admissions policy": "Non-selective" if site.phase == "Secondary" else "Not applicable",
            "Sixth form": "Has a sixth form" if site.phase in ("Secondary", "All-through", "16 plus") else "Does not have a sixth form",
            "Designated religious character": "Church of England" if site.faith else "Does not apply",
            "Religious ethos": "Does not apply", "Faith grouping": "Christian" if site.faith else "Non-faith",
            "Ofsted region": site.la.region, "Region": site.la.region, "Local authority": site.la.name,
            "Parliamentary constituency": f"{site.la.name} Central", "Postcode": site.postcode,
            "Multi-academy trust UID": mat.uid if mat else NULL, "Multi-academy trust name": mat.name.upper() if mat else NULL,
            "Academy sponsor UID": sponsor.uid if sponsor else NULL,
            "Academy sponsor name": sponsor.name if sponsor else NULL,
            "Academy Sponsor Name": sponsor.name if sponsor else NULL,
            "The income deprivation affecting children index (IDACI) quintile": self.idaci[site.id],
            "Deprivation index": self.idaci[site.id],
            "Total number of pupils": site.pupils,
            "Statutory lowest age": {"Nursery": 2, "Primary": 4, "Secondary": 11}.get(site.phase, 5),
            "Statutory highest age": {"Nursery": 5, "Primary": 11}.get(site.phase, 16),
        }

    def at_time(self, insp: Inspection, est_now: Establishment) -> tuple[str, Establishment]:
        then = self.world.by_urn[insp.urn]
        return ("Yes" if then.urn == est_now.urn else "No"), then

    # -- inspections as of a date ---------------------------------------------------------------
    @staticmethod
    def published(site: Site, day: date) -> list[Inspection]:
        return [i for i in site.inspections if i.published <= day]

    @staticmethod
    def graded_grades(insp: Inspection) -> dict:
        """EIF-shaped judgements; pre-EIF inspections carry 9 for what did not exist."""
        q, b, p, lm = insp.subgrades
        if insp.regime == "cif":
            return {"oe": insp.grade, "qoe": 9, "ba": 9, "pd": 9, "lm": lm,
                    "sg": "Yes" if insp.start.year >= 2015 else 9}
        return {"oe": insp.grade if insp.regime == "eif" else "Not judged", "qoe": q, "ba": b, "pd": p, "lm": lm,
                "sg": "No" if insp.category == "SM" and insp.grade == 4 and lm == 4 else "Yes"}


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


def report_card(insp: Inspection, rng: random.Random) -> dict:
    base = {1: 0.6, 2: 1.5, 3: 2.5, 4: 3.4}[insp.grade]
    areas = {a: REPORT_SCALE[max(0, min(4, round(base + rng.uniform(-0.6, 0.6))))] for a in AREAS}
    areas["Safeguarding standards"] = "Not met" if insp.category == "SM" else "Met"
    return areas


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
