"""One short, plain-English pattern profile per sampled group, written from its published data.

A profile describes patterns across a group's schools: size and make-up, then, first of all, its
schools' latest judgements one reporting era at a time, each on its own scale
(``patterns.group_era_patterns``: overall effectiveness before September 2024, each 2024/25 key
judgement, report-card grades), for every current school and for judgements made while part of
the group, and how many schools only have a predecessor's (inherited) judgement; after that, and
labelled as such, the cross-era summary band (a named convention), categories of concern, how
schools that joined after a weak judgement fared, and how old the evidence is. It never grades
the group, ranks it or calls anything "best" or "worst"; when too few schools were judged in an
era for its figures to be published (``suppressed``), the profile says "too few to show" and
gives no outcome count, whatever else the row holds.

Pure functions: dicts (one published row each) in, a list of sentences out. The caller escapes.

The facts and word helpers are in ``profile_facts``, the era-separated lead in ``profile_eras``.
"""

from __future__ import annotations

from .profile_eras import _eras
from .profile_facts import KIND_SINGULAR, GroupFacts, _num, count_from_share, join_words, noun, pct, plural
from .signal_words import signal_name

__all__ = ["GRADE_WORDS", "KIND_SINGULAR", "GroupFacts", "grade_words_in", "group_profile", "join_words"]

# Words a profile must never contain (checked by the tests, and by ``assert_neutral``).
GRADE_WORDS = ("best", "worst", "outstanding", "inadequate", "failing", "ranked", "ranking",
               "top-performing", "league table", "requires improvement")


def _scale(f: GroupFacts, the: str) -> list[str]:
    p = f.profile
    if not p or not _num(p.get("schools")):
        return [f"{f.group_name}: no profile of its schools is published for this period."]
    schools = int(p["schools"])
    phases = [(p.get("primary_schools"), "primary"), (p.get("secondary_schools"), "secondary"),
              (p.get("special_schools"), "special"), (p.get("ap_schools"), "alternative provision"),
              (p.get("other_phase_schools"), "other phase")]
    parts = [f"{int(n):,} {label}" for n, label in phases if _num(n) and n > 0]
    verb = {"local_authority": "maintains", "no_responsible_body": "covers"}.get(f.group_kind, "runs")
    sentence = f"{f.group_name} {verb} {plural(schools, 'school')}"
    if parts:
        sentence += f" ({', '.join(parts)})"
    if _num(p.get("pupils")) and p["pupils"] > 0:
        sentence += f" with about {int(p['pupils']):,} pupils"
    las, regions = p.get("las_spanned"), p.get("regions_spanned")
    if f.group_kind != "local_authority" and _num(las) and las > 0:
        sentence += f" across {plural(int(las), 'local authority', 'local authorities')}"
        if _num(regions) and regions > 0:
            sentence += f" in {plural(int(regions), 'region')}"
    sentences = [sentence + "."]

    history = []
    if f.group_kind in ("multi_academy_trust", "single_academy_trust") and _num(p.get("group_age_years")):
        history.append(f"{the.capitalize()} has existed for {p['group_age_years']:.1f} years")
    g3 = p.get("growth_3y")
    if _num(g3):
        g3 = int(g3)
        if g3 > 0:
            history.append(f"it has gained {plural(g3, 'school')} net over the last three years")
        elif g3 < 0:
            history.append(f"it has {plural(-g3, 'school')} fewer than three years ago")
        else:
            history.append("its number of schools is the same as three years ago")
    if history:
        text = "; ".join(history)
        sentences.append(text[0].upper() + text[1:] + ".")
    routes = [(p.get("converter_schools"), "converted to academy status", "converted to academy status"),
              (p.get("sponsored_schools"), "joined as a sponsored academy", "joined as sponsored academies"),
              (p.get("free_schools"), "is a free school", "are free schools")]
    routes = [(int(n), one if int(n) == 1 else many) for n, one, many in routes if _num(n) and n > 0]
    if routes:
        sentences.append("Of its schools, " + join_words(
            [f"{n:,} {text}" for n, text in routes]) + ".")
    return sentences


BAND = "the cross-era summary band (a convention that reads every framework on one scale)"


def _judgements(f: GroupFacts, the: str) -> list[str]:
    out: list[str] = []
    band = BAND
    under = f.patterns.get(("under_group_only", "schools"))
    n_under = int(under["schools_with_evidence"]) if under and _num(under.get("schools_with_evidence")) else 0
    if not under or n_under == 0:
        if not f.era_rows:     # the era sentences already say so
            out.append(f"None of its schools has yet had a judgement made while part of {the}.")
    elif under.get("suppressed") or not _num(under.get("share_good_or_better")):
        out.append(f"On {band}, {plural(n_under, 'school has', 'schools have')} had a judgement made while part "
                   f"of {the}; that is too few to publish shares, so they are suppressed for this small group.")
        band = "the same cross-era summary band"
    else:
        good = count_from_share(under["share_good_or_better"], n_under)
        text = (f"On {band}, {good:,} of the {plural(n_under, 'school')} with a judgement made under {the} "
                f"{'was' if n_under == 1 else 'were'} judged good or better")
        lo, hi = under.get("share_good_or_better_ci_low"), under.get("share_good_or_better_ci_high")
        if _num(lo) and _num(hi):
            text += f" ({pct(under['share_good_or_better'])}; 95% interval {pct(lo)} to {pct(hi)})"
        out.append(text + ".")
        band = "the same cross-era summary band"

    current = f.patterns.get(("own_judgements", "schools"))
    if current and _num(current.get("schools_with_evidence")) and current["schools_with_evidence"] > 0:
        n_cur = int(current["schools_with_evidence"])
        if current.get("suppressed") or not _num(current.get("share_good_or_better")):
            out.append(f"On {band}, shares across every current school's latest judgement are suppressed: only "
                       f"{plural(n_cur, 'school has', 'schools have')} a judgement, too few to publish.")
        else:
            good = count_from_share(current["share_good_or_better"], n_cur)
            text = (f"On {band}, counting every current school's latest judgement, whenever it was made, "
                    f"{good:,} of {n_cur:,} {'is' if n_cur == 1 else 'are'} good or better")
            pupils = f.patterns.get(("own_judgements", "pupils"))
            if pupils and not pupils.get("suppressed") and _num(pupils.get("share_good_or_better")):
                text += f" ({pct(pupils['share_good_or_better'])} when each school is weighted by its pupils)"
            out.append(text + ".")
    if current and _num(current.get("schools_with_category_of_concern")):
        coc = int(current["schools_with_category_of_concern"])
        if coc == 0:
            out.append("No school currently has a category of concern.")
        else:
            out.append(f"{plural(coc, 'school has', 'schools have')} a category of concern.")
    return out


def _improvement(f: GroupFacts, the: str) -> list[str]:
    imp = f.improvement
    if not imp:
        return []
    joiners = int(imp["joiners"]) if _num(imp.get("joiners")) else 0
    years = int(imp["horizon_years"]) if _num(imp.get("horizon_years")) else None
    by = f"{years} years after the weak judgement" if years else "by the horizon"
    if joiners == 0:
        return [f"No school joined {the} soon after a weak judgement long enough ago to see its standing {by}."]
    if not imp.get("eligible") or not _num(imp.get("share_improved")):
        return [f"{plural(joiners, 'school')} joined {the} soon after a weak judgement: too few to compare with "
                f"similar schools, so the share that improved is not published."]
    improved = int(imp["joiners_improved"]) if _num(imp.get("joiners_improved")) else \
        count_from_share(imp["share_improved"], joiners)
    text = (f"Of the {plural(joiners, 'school')} that joined {the} soon after a weak judgement, {improved:,} "
            f"stood in a better band {by}")
    if _num(imp.get("share_not_yet_judged")) and imp["share_not_yet_judged"] > 0:
        text += f" ({pct(imp['share_not_yet_judged'])} not yet judged again)"
    if _num(imp.get("comparison_share_improved")):
        text += (f"; among similar schools that had not joined a trust by the same time, "
                 f"{pct(imp['comparison_share_improved'])} did")
        if _num(imp.get("effect")):
            sign = "+" if imp["effect"] >= 0 else "−"
            text += f" (a difference of {sign}{abs(imp['effect']) * 100:.0f} percentage points"
            if _num(imp.get("effect_ci_low")) and _num(imp.get("effect_ci_high")):
                text += (f", 95% interval {imp['effect_ci_low'] * 100:+.0f} to "
                         f"{imp['effect_ci_high'] * 100:+.0f}").replace("-", "−")
            text += ")"
    text += "."
    out = [text]
    if _num(imp.get("median_years_to_improvement")):
        out.append(f"Those that improved did so after a median of {imp['median_years_to_improvement']:.1f} years.")
    return out


def _evidence(f: GroupFacts, stale_after_years: float | None) -> list[str]:
    current = f.patterns.get(("own_judgements", "schools"))
    if not current:
        return []
    limit = f"over {stale_after_years:g} years old" if _num(stale_after_years) else "older than the report's limit"
    n = int(current["schools_with_evidence"]) if _num(current.get("schools_with_evidence")) else 0
    parts = []
    if n and _num(current.get("share_stale")):
        stale = count_from_share(current["share_stale"], n)
        if stale == 0:
            parts.append(f"No school's latest judgement is {limit}")
        else:
            parts.append(f"Evidence is old for {plural(stale, 'school')} (latest judgement {limit})")
    elif n and current.get("suppressed"):
        parts.append("How many schools have old evidence is suppressed for this small group")
    if _num(current.get("evidence_age_median_years")):
        median = (f"the median age of its schools' latest judgements is "
                  f"{current['evidence_age_median_years']:.1f} years")
        parts.append(median if parts else median[0].upper() + median[1:])
    return ["; ".join(parts) + "."] if parts else []


def _signals(f: GroupFacts) -> list[str]:
    # the signals' plain names only: their rules, in words, are on the profile page under the text
    out = []
    targeting = [s for s in f.signals if s.get("signal_type") == "targeting"]
    practice = [s for s in f.signals if s.get("signal_type") == "effective_practice"]
    if targeting:
        out.append("Worth a closer look because: " + "; ".join(signal_name(s.get("signal")).lower()
                                                             for s in targeting) + ".")
    if practice:
        out.append("A pattern others may learn from: " + "; ".join(signal_name(s.get("signal")).lower()
                                                                  for s in practice) + ".")
    return out


def group_profile(facts: GroupFacts, stale_after_years: float | None = None) -> list[str]:
    """The profile's sentences, in reading order."""
    the = f"the {noun(facts.group_kind)}"
    scale = _scale(facts, the)
    # the era-separated figures lead, straight after the group's size; the cross-era band comes later
    sentences = (scale[:1] + _eras(facts, the) + scale[1:] + _judgements(facts, the) + _improvement(facts, the)
                 + _evidence(facts, stale_after_years) + _signals(facts))
    return sentences


# Ofsted's own names for an era's measure, quoted as measures of schools, not words about the group.
MEASURE_PHRASES = ("good or outstanding",)


def grade_words_in(text: str) -> list[str]:
    """Grade or ranking words found in ``text`` (whole words, case-insensitive), outside the names of
    Ofsted's measures ("good or outstanding", the share each era up to Nov 2025 publishes)."""
    import re

    for phrase in MEASURE_PHRASES:
        text = re.sub(rf"\b{re.escape(phrase)}\b", " ", text, flags=re.IGNORECASE)
    return [w for w in GRADE_WORDS if re.search(rf"\b{re.escape(w)}\b", text, flags=re.IGNORECASE)]
