"""The signals of ``patterns.group_signals`` in plain words: a short name for each and its rule written
out with the threshold it was built with, so readers meet neither snake_case names nor "band rank >= 3".
The codes and the warehouse's own rule text stay in the "numbers" tables.
"""

from __future__ import annotations

from .labels import _num

SIGNAL_NAMES = {
    "decline_after_joining": "Schools judged lower after joining",
    "high_share_of_concerns": "A high share of schools judged below good",
    "rapid_growth_falling_outcomes": "Fast growth while judgements fell",
    "stale_evidence": "Old or missing inspection evidence",
    "effective_practice": "Weak schools improved more often after joining",
}
# {t}: the signal's threshold, as a share or in percentage points; the rest from the settings
SIGNAL_RULES = {
    "decline_after_joining": "Of its schools judged both before joining and since, at least {t} were judged in a lower "
                             "band since joining, clearly more than across England.",
    "high_share_of_concerns": "At least {t} of its schools with a judgement were judged below good (Ofsted's "
                              "“requires improvement” or “inadequate”, or “urgent improvement” on a report card), "
                              "clearly more than across England.",
    "rapid_growth_falling_outcomes": "It grew by at least {t} of its size in three years, and more of its schools "
                                     "were judged lower than higher since joining.",
    "stale_evidence": "At least {t} of its open schools have no judgement, or no inspection of any kind within "
                      "{stale}, clearly more than across England.",
    "effective_practice": "Schools that joined soon after a weak judgement improved at least {t} more often than "
                          "similar schools that did not join, with the interval above zero.",
}
SIGNAL_TYPES = {"targeting": "Worth a closer look", "effective_practice": "Possible effective practice"}


def signal_name(signal: str | None) -> str:
    return SIGNAL_NAMES.get(signal or "", (signal or "a signal").replace("_", " ").capitalize())


def signal_rule(row: dict, stale_after_years: float | None = None) -> str:
    """The rule that fired, in words, with its threshold; an unknown signal keeps its published rule."""
    template = SIGNAL_RULES.get(row.get("signal") or "")
    t = row.get("threshold")
    if template is None or not _num(t):
        return str(row.get("rule") or "")
    points = row.get("signal") == "effective_practice"
    threshold = f"{t * 100:g} percentage points" if points else f"{t * 100:g}%"
    stale = f"{stale_after_years:g} years" if _num(stale_after_years) else "the stale limit"
    return template.format(t=threshold, stale=stale)


def signal_type(kind: str | None) -> str:
    return SIGNAL_TYPES.get(kind or "", (kind or "").replace("_", " "))
