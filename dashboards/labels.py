"""Plain words for the codes in the tables: the report's labels (school_groups/report/labels.py,
imported, not copied) plus what the dashboard needs beyond them: every spelling of the views (the
``all_current`` view is being renamed ``own_judgements``), one group's kind in the singular, a
group's display name and a sampling stratum in words."""

from __future__ import annotations

from school_groups.report import labels as report_labels
from school_groups.report.formatting import fmt_num, fmt_pct
from school_groups.report.profile_facts import KIND_SINGULAR as REPORT_KIND_SINGULAR

kind_label = report_labels.kind_label
measure_label = report_labels.measure_label

# Both spellings of the current school's own judgements, so old and new publications read alike.
VIEW_LABELS = {
    **report_labels.VIEW_LABELS,
    "own_judgements": "Own judgements",
    "all_current": "Own judgements",
    "including_inherited": "Including inherited judgements",
    "under_group_only": "Judgements made under the group",
}
# The order views are offered in; a view the data has and this list lacks goes last.
VIEW_ORDER = ("including_inherited", "own_judgements", "all_current", "under_group_only")

# The report's singular nouns; an LA is named plainly after a group's name. Other kinds read as their code.
KIND_SINGULAR = {**REPORT_KIND_SINGULAR, "local_authority": "local authority"}
OUTCOME_LABELS = {
    "good_or_outstanding": "good or outstanding",
    "below_good": "below good",
}
BAND_LABELS = report_labels.BANDS
RELATION_LABELS = {
    "under_group": "made under the group",
    "before_joining": "made before joining",
    "inherited_from_predecessor": "inherited from a predecessor",
}


def view_label(view: str | None) -> str:
    return VIEW_LABELS.get(view or "", (view or "unknown view").replace("_", " "))


def ordered_views(views) -> list[str]:
    """The views the data has, in the usual order (never a hard-coded list: the data decides)."""
    known = [v for v in VIEW_ORDER if v in views]
    return known + sorted(v for v in views if v not in VIEW_ORDER and v is not None)


def outcome_label(outcome: str | None) -> str:
    return OUTCOME_LABELS.get(outcome or "", outcome or "unknown")


def kind_singular(kind: str | None) -> str:
    return KIND_SINGULAR.get(kind or "", (kind or "group").replace("_", " "))


def words(code: object) -> str:
    """A code in plain words: 'multi_academy_trust' -> 'multi academy trust'."""
    return str(code).replace("_", " ")


def display_name(row: dict) -> str:
    """The table's own unique display name when it has one, else name (kind, main region)."""
    given = row.get("display_name") or row.get("group_display_name")
    if given:
        return str(given)
    place = row.get("main_region") or row.get("la_name")
    detail = kind_singular(row.get("group_kind")) + (f", {place}" if place else "")
    return f"{row.get('group_name') or row.get('group_key')} ({detail})"


STRATUM_FIELDS = ("group_kind", "size_band", "phase_mix", "region")


def stratum_text(stratum: object) -> str:
    """A stratum in the report's words, whether the table gives a STRUCT (a dict) or, as older
    publications do, the same fields joined with ' | '."""
    if stratum is None:
        return "none"
    if not isinstance(stratum, dict):
        parts = [p.strip() or None for p in str(stratum).split("|")]
        stratum = dict(zip(STRATUM_FIELDS, parts))
    return report_labels.stratum_label(stratum)


def share_with_interval(share, low, high, digits: int = 0) -> str:
    """'72% (65% to 78%)'; 'n/a' without a share."""
    if share is None:
        return "n/a"
    text = fmt_pct(share, digits)
    if low is not None and high is not None:
        text += f" ({fmt_pct(low, digits)} to {fmt_pct(high, digits)})"
    return text


def years(value) -> str:
    return "n/a" if value is None else f"{fmt_num(value, 1)} years"
