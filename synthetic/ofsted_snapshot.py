"""How Ofsted's files write things (codes, dates, inspection types, report-card areas) and the
``Snapshotter`` that answers what Ofsted knew about a school on a given day; shared by the row
builders of every Ofsted file (ofsted_latest_rows, ofsted_in_year_rows, ofsted_files).
"""

from __future__ import annotations

import random
from datetime import date

from . import calibration as cal
from .world_entities import Establishment, Inspection, Site, World

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


def report_card(insp: Inspection, rng: random.Random) -> dict:
    base = {1: 0.6, 2: 1.5, 3: 2.5, 4: 3.4}[insp.grade]
    areas = {a: REPORT_SCALE[max(0, min(4, round(base + rng.uniform(-0.6, 0.6))))] for a in AREAS}
    areas["Safeguarding standards"] = "Not met" if insp.category == "SM" else "Met"
    return areas
