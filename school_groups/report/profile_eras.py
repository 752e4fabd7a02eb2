"""The lead of a group profile: its schools' latest judgements one reporting era at a time, each on its
own scale (``patterns.group_era_patterns``), for every current school and for judgements made while part
of the group, and how many schools have only a predecessor's (inherited) judgement."""

from __future__ import annotations

from dataclasses import dataclass

from .profile_facts import GroupFacts, _num, join_words, plural

ERA_ORDER = ("overall_effectiveness", "key_judgements", "report_card")
GOOD = "good_or_outstanding"
# Fewer schools judged in an era than this and nothing is shown, whatever the row says (the published
# rule, suppress_below_schools, is at least this; ``suppressed`` is always honoured as well).
SUPPRESS_FLOOR = 3
MEASURE_WORDS = {
    "overall_effectiveness": "overall effectiveness",
    "quality_of_education": "quality of education",
    "behaviour_and_attitudes": "behaviour and attitudes",
    "personal_development": "personal development",
    "leadership_and_management": "leadership and management",
    "inclusion": "inclusion",
    "curriculum_and_teaching": "curriculum and teaching",
    "achievement": "achievement",
    "attendance_and_behaviour": "attendance and behaviour",
    "personal_development_and_wellbeing": "personal development and well-being",
    "leadership_and_governance": "leadership and governance",
    "safeguarding_standards": "safeguarding standards",
}
MEASURE_ORDER = tuple(MEASURE_WORDS)
REPORT_CARD_SCALE = ("Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement")
TOO_FEW = "too few to show"


@dataclass
class MeasureFacts:
    judged: int
    suppressed: bool
    counts: dict[str, int]          # outcome -> schools; empty when suppressed (never read then)


def era_facts(rows: list[dict], view: str) -> dict[str, dict[str, MeasureFacts]]:
    """One view's rows as era -> measure -> facts. A measure is suppressed when any of its rows says so, a
    count is missing, or fewer than SUPPRESS_FLOOR schools were judged; its counts are then dropped."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        if r.get("view") == view and r.get("reporting_era") and r.get("measure"):
            grouped.setdefault((r["reporting_era"], r["measure"]), []).append(r)
    out: dict[str, dict[str, MeasureFacts]] = {}
    for (era, measure), rs in grouped.items():
        judged = max((int(r["schools_judged_in_era"]) for r in rs if _num(r.get("schools_judged_in_era"))),
                     default=0)
        hidden = (judged < SUPPRESS_FLOOR or any(r.get("suppressed") is not False for r in rs)
                  or any(not _num(r.get("schools_with_outcome")) for r in rs))
        counts = {} if hidden else {r["outcome"]: int(r["schools_with_outcome"]) for r in rs}
        out.setdefault(era, {})[measure] = MeasureFacts(judged, hidden, counts)
    return out


def era_judged(facts: dict[str, dict[str, MeasureFacts]], era: str) -> int:
    """Schools whose counted judgement is in ``era``: the most judged on any one of its measures."""
    return max((m.judged for m in facts.get(era, {}).values()), default=0)


def _ordered(measures: dict[str, MeasureFacts]) -> list[tuple[str, MeasureFacts]]:
    rank = {m: i for i, m in enumerate(MEASURE_ORDER)}
    return sorted(measures.items(), key=lambda kv: (rank.get(kv[0], 99), kv[0]))


def _words(measure: str) -> str:
    return MEASURE_WORDS.get(measure, measure.replace("_", " "))


def _era_detail(era: str, measures: dict[str, MeasureFacts]) -> str:
    """What the schools judged in one era show, on that era's own scale; "too few to show" when suppressed."""
    if all(m.suppressed for m in measures.values()):
        return TOO_FEW
    parts = []
    if era == "report_card":
        for measure, m in _ordered(measures):
            if m.suppressed:
                parts.append(f"{_words(measure)} {TOO_FEW}")
            elif set(m.counts) <= {"Met", "Not met"}:
                parts.append(f"{_words(measure)} met at {m.counts.get('Met', 0):,} of {m.judged:,}")
            else:
                scale = list(REPORT_CARD_SCALE) + sorted(set(m.counts) - set(REPORT_CARD_SCALE))
                grades = [f"{m.counts[g]:,} {g.lower()}" for g in scale if m.counts.get(g)]
                parts.append(f"{_words(measure)} {join_words(grades)}")
        return "; ".join(parts)
    said = False       # "good or outstanding" is said once, at the first measure shown
    for measure, m in _ordered(measures):
        if m.suppressed:
            parts.append(f"{_words(measure)} {TOO_FEW}")
        elif era == "overall_effectiveness" and len(measures) == 1:
            good = m.counts.get(GOOD, 0)
            return f"{good:,} good or outstanding on {_words(measure)}" if good else \
                f"none good or outstanding on {_words(measure)}"
        else:
            what = "" if said else " good or outstanding"
            parts.append(f"{_words(measure)}{what} at {m.counts.get(GOOD, 0):,} of {m.judged:,}")
            said = True
    return join_words(parts)


def _era_clauses(facts: dict[str, dict[str, MeasureFacts]]) -> list[str]:
    clauses = []
    for era in list(ERA_ORDER) + sorted(set(facts) - set(ERA_ORDER)):
        k = era_judged(facts, era)
        if not k:
            continue
        were = "was" if k == 1 else "were"
        head = {"overall_effectiveness": f"{k:,} {were} last judged before September 2024",
                "key_judgements": f"{k:,} {were} last judged at a 2024/25 graded inspection",
                "report_card": f"{k:,} {'has a report card' if k == 1 else 'have report cards'}"}.get(
            era, f"{k:,} {were} last judged in the era {era}")
        clauses.append(f"{head}: {_era_detail(era, facts[era])}")
    return clauses


def _eras(f: GroupFacts, the: str) -> list[str]:
    """The group's judgements one era at a time (views own_judgements, then under_group_only and
    including_inherited): the profile's lead on outcomes."""
    if not f.era_rows:
        return []
    out: list[str] = []
    current = era_facts(f.era_rows, "own_judgements")
    sizes = [int(r["schools_in_group"]) for r in f.era_rows
             if r.get("view") == "own_judgements" and _num(r.get("schools_in_group"))]
    schools = max(sizes) if sizes else (int(f.profile["schools"]) if f.profile and _num(f.profile.get("schools"))
                                        else None)
    judged = sum(era_judged(current, e) for e in current)
    clauses = _era_clauses(current)
    if clauses:
        lead = ("Of its schools, " if not schools else "Of its single school, " if schools == 1
                else f"Of its {schools:,} schools, ")
        out.append(lead + "; ".join(clauses) + ".")
    else:
        out.append("None of its schools has a judgement of its current form yet.")
    inherited = era_facts(f.era_rows, "including_inherited")
    extra = max(0, sum(era_judged(inherited, e) for e in inherited) - judged)
    rest = schools - judged if schools and clauses else 0
    why = ("a predecessor's judgement (for example, from before becoming an academy), which Ofsted's official "
           "statistics count until the school is inspected itself")
    if rest > 0:
        text = ("The other school has no judgement of its current form yet" if rest == 1
                else f"The other {rest:,} have no judgement of their current form yet")
        if 0 < extra <= rest:
            text += (f"; it has {why}" if rest == 1 else
                     f"; {'all' if extra == rest else f'{extra:,}'} of them {'has' if extra == 1 else 'have'} {why}")
            extra = 0
        out.append(text + ".")
    if extra > 0:
        out.append(f"{plural(extra, 'school has', 'schools have')} only {why}; not counted above.")
    under = era_facts(f.era_rows, "under_group_only")
    under_clauses = _era_clauses(under)
    if under_clauses and under_clauses == clauses:
        out.append(f"Every one of these judgements was made while the school was part of {the}.")
    elif under_clauses:
        out.append(f"Counting only judgements made while each school was part of {the}, "
                   + "; ".join(under_clauses) + ".")
    elif any(r.get("view") == "under_group_only" for r in f.era_rows) or clauses:
        out.append(f"None of its schools has yet had a judgement made while part of {the}.")
    return out
