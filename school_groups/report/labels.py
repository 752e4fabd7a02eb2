"""The words and orders the page uses: labels for kinds of group, views, outcome bands, measures, data
sources and signal types; the order and colour of each kind of group; the reporting eras in order."""

from __future__ import annotations

import math
from datetime import date

from .. import vocabulary
from ..vocabulary import LABELS
from . import charts
from .report_data import ReportData

KIND_ORDER = ("multi_academy_trust", "single_academy_trust", "local_authority", "no_responsible_body")
KIND_LABELS = {
    "multi_academy_trust": "Multi-academy trusts",
    "single_academy_trust": "Single-academy trusts",
    "local_authority": "Local authorities",
    "no_responsible_body": "No responsible body",
    "federation": "Federations",
    "school_sponsor": "School sponsors",
    "all": "All schools",
}
VIEW_LABELS = {
    "own_judgements": "Own judgements",
    "including_inherited": "Including inherited judgements",
}
VIEW_EXPLAINED = {
    "own_judgements": "each school's own judgements only (a school that reopened under a new URN, for "
                      "example on becoming an academy, counts only once it has been inspected again)",
    "including_inherited": "judgements of a school's predecessor are carried over until the school "
                           "is inspected again",
}
# The cross-era bands in their order, labelled from the shared vocabulary.
BANDS = {band: LABELS[band] for band in vocabulary.BANDS}
MEASURE_LABELS = {
    "overall_effectiveness": "Overall effectiveness",
    "quality_of_education": "Quality of education",
    "behaviour_and_attitudes": "Behaviour and attitudes",
    "personal_development": "Personal development",
    "leadership_and_management": "Leadership and management",
    "inclusion": "Inclusion",
    "curriculum_and_teaching": "Curriculum and teaching",
    "achievement": "Achievement",
    "attendance_and_behaviour": "Attendance and behaviour",
    "personal_development_and_wellbeing": "Personal development and well-being",
    "leadership_and_governance": "Leadership and governance",
    "safeguarding_standards": "Safeguarding standards",
}
# The report-card scale, in Ofsted's order; never converted to good/bad.
REPORT_CARD_GRADES = ("Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement")
SAFEGUARDING_OUTCOMES = ("Met", "Not met")
FAMILY_LABELS = {
    "official_statistics": "Ofsted's official statistics",
    "mi_latest": "Ofsted's monthly management information",
}
FAMILY_SHORT = {"official_statistics": "official statistics", "mi_latest": "management information"}
GOOD = "good_or_outstanding"


def kind_label(kind: str | None) -> str:
    if kind is None:
        return "Unknown"
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


PHASE_MIX_WORDS = {"primary": "mostly primary", "secondary": "mostly secondary", "mixed": "mixed phases",
                   "specialist": "mostly special or alternative provision"}


def size_band_words(band: str) -> str:
    """'1' -> '1 school', '2-5' -> '2 to 5 schools', '26+' -> '26 or more schools'."""
    band = str(band)
    if band == "1":
        return "1 school"
    if band.endswith("+"):
        return f"{band[:-1]} or more schools"
    return band.replace("-", " to ") + " schools"


def stratum_label(stratum) -> str:
    """A sampling stratum (a struct: group kind, size band, phase mix, region; NULL where collapsed)
    in words: "Multi-academy trusts, 2 to 5 schools, mostly primary, East Midlands"."""
    if not isinstance(stratum, dict):
        return "" if stratum is None else str(stratum)
    parts = [kind_label(stratum.get("group_kind"))]
    if stratum.get("size_band"):
        parts.append(size_band_words(stratum["size_band"]))
    if stratum.get("phase_mix"):
        parts.append(PHASE_MIX_WORDS.get(stratum["phase_mix"], str(stratum["phase_mix"]).replace("_", " ")))
    if stratum.get("region"):
        parts.append("region unknown" if stratum["region"] == "Unknown" else str(stratum["region"]))
    return ", ".join(parts)


def kind_sort_key(kind: str | None) -> tuple:
    if kind == "all":
        return (2, 0, "")
    return (0, KIND_ORDER.index(kind), "") if kind in KIND_ORDER else (1, 0, kind or "")


def kind_colour(kind: str, kinds: list[str]) -> str:
    if kind == "all":
        return "#000000"
    ordered = [k for k in KIND_ORDER] + sorted(k for k in kinds if k not in KIND_ORDER and k != "all")
    return charts.PALETTE[ordered.index(kind) % (len(charts.PALETTE) - 1)] if kind in ordered else "#666666"


def measure_label(measure: str | None) -> str:
    return MEASURE_LABELS.get(measure or "", (measure or "unknown").replace("_", " ").capitalize())


def long_date(d: date | None) -> str:
    return d.strftime("%d %B %Y").lstrip("0") if isinstance(d, date) else "an unknown date"


def family_label(family: str | None) -> str:
    return FAMILY_LABELS.get(family or "", f"the source {family}")


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v))


def _sorted_eras(d: ReportData) -> list[dict]:
    return sorted(d.eras, key=lambda e: (e.get("sort_order") or 0, e.get("reporting_era") or ""))


def _era_short(era: dict) -> str:
    """'Key judgements (Sept 2024 - Nov 2025)' -> 'Key judgements'."""
    return str(era.get("label") or era.get("reporting_era") or "").split(" (")[0]


def _era_measures(era: dict, rows: list[dict]) -> list[str]:
    listed = [m for m in (era.get("measures") or [])]
    return listed + sorted({r["measure"] for r in rows} - set(listed))
