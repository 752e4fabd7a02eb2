"""Calibration of the era without an overall grade (Sept 2024 - 9 Nov 2025): key judgements and
ungraded outcomes set to Ofsted's published 2024/25 shares after the simulation, from generators
seeded by the world seed and the inspection number. A part of ``world.Builder``.
"""

from __future__ import annotations

import random
from datetime import date

from . import calibration as cal
from .world_entities import Inspection


class NoOverallEraMixin:
    """Builder steps that calibrate the 2024/25 era once every inspection history is simulated."""

    # -- the era without an overall grade (Sept 2024 - 9 Nov 2025) -----------------------------
    def calibrate_no_overall_era(self) -> None:
        """Key judgements and ungraded outcomes of the era with no overall grade, set to Ofsted's
        published 2024/25 shares (calibration.TARGET_KEY_JUDGEMENTS_2024_25 and
        TARGET_UNGRADED_MAINTAINED_OR_IMPROVED_2024_25), academic year by academic year.

        Runs after the simulation and draws only from generators seeded by the world seed and
        the inspection number, never from ``self.rng``: the inspection histories, every
        underlying grade and every other era's sub-judgements are exactly as simulated.
        """
        graded: dict[date, list[Inspection]] = {}
        ungraded: dict[date, list[Inspection]] = {}
        for site in self.sites:
            for insp in site.inspections:
                if insp.regime != "eif_no_overall":
                    continue
                year = date(insp.start.year if insp.start.month >= 9 else insp.start.year - 1, 9, 1)
                if insp.kind == "graded":
                    graded.setdefault(year, []).append(insp)
                elif insp.kind == "ungraded":
                    ungraded.setdefault(year, []).append(insp)
        for year in sorted(graded):
            self.key_judgements(graded[year])
        for year in sorted(ungraded):
            self.ungraded_outcomes(ungraded[year])

    def key_judgements(self, inspections: list[Inspection]) -> None:
        """Quality of education, behaviour and attitudes, personal development, leadership and
        management for one academic year of graded inspections without an overall grade.

        Each judgement has a quota of grades below good, (1 - target) of the year's inspections.
        The quotas go to inspections whose underlying grade is 3 or 4, so that every such
        inspection keeps at least one judgement below good while the quotas allow and no
        inspection of a good or outstanding school gets one: the worst key judgement still
        tells good from not good, as the overall grade did. Inadequate schools come first
        (quality of education, then leadership and management for special measures), then
        each school requiring improvement gets one weak judgement, quality of education first.
        Judgements of good or outstanding schools are 1 or 2. If a quota exceeds the weak
        inspections (not so at national scale), good schools make up the rest at grade 3.
        """
        names = ("qoe", "ba", "pd", "lm")
        targets = cal.TARGET_KEY_JUDGEMENTS_2024_25
        n = len(inspections)
        draws = {}
        for insp in inspections:
            rng = random.Random(f"{self.seed}-key-judgements-{insp.number}")
            draws[insp.number] = (rng.random(), [rng.random() for _ in names])
        weak_pool = sorted((i for i in inspections if i.grade >= 3),
                           key=lambda i: (-i.grade, i.category != "SM", draws[i.number][0], i.number))
        quota = {j: round((1 - targets[j]) * n) for j in names}
        capacity = {j: min(quota[j], len(weak_pool)) for j in names}
        weak: dict[str, set[str]] = {i.number: set() for i in inspections}

        def take(insp: Inspection, prefer: tuple[str, ...]) -> bool:
            for j in prefer:
                if capacity[j] > 0 and j not in weak[insp.number]:
                    capacity[j] -= 1
                    weak[insp.number].add(j)
                    return True
            return False

        inadequate = [i for i in weak_pool if i.grade == 4]
        improving = [i for i in weak_pool if i.grade == 3]
        for insp in inadequate:                                   # one weak judgement each
            take(insp, ("qoe", "lm", "ba", "pd"))
        spare = sum(capacity.values()) - len(improving)           # beyond one each for grade 3
        for j in ("lm", "ba", "pd"):                              # second and third weak judgements
            for insp in inadequate:
                if spare <= 0:
                    break
                if (j != "lm" or insp.category == "SM") and take(insp, (j,)):
                    spare -= 1
        for insp in improving:
            take(insp, ("qoe", "lm", "ba", "pd"))
        for j in names:                                           # what is left, worst schools first
            for insp in weak_pool:
                if capacity[j] > 0:
                    take(insp, (j,))
        good = sorted((i for i in inspections if i.grade == 2), key=lambda i: (draws[i.number][0], i.number))
        for j in names:                                           # quota beyond the weak inspections
            for insp in good[: quota[j] - min(quota[j], len(weak_pool))]:
                weak[insp.number].add(j)

        # chance of an outstanding judgement for an outstanding / a good school
        p_one = {1: {"qoe": 0.9, "ba": 0.85, "pd": 0.9, "lm": 0.9}, 2: {"qoe": 0.03, "ba": 0.12, "pd": 0.15, "lm": 0.06}}
        for insp in inspections:
            g, (_, u) = insp.grade, draws[insp.number]
            sub = []
            for j, uj in zip(names, u):
                if j in weak[insp.number]:
                    if g <= 2:
                        sub.append(3)
                    elif j in ("qoe", "lm"):
                        sub.append(4 if g == 4 and (j == "qoe" or insp.category == "SM") else 3)
                    else:
                        sub.append(4 if g == 4 and insp.category == "SM" and uj < 0.5 else 3)
                elif g >= 3:
                    sub.append(2)
                else:
                    sub.append(1 if uj < p_one[g][j] else 2)
            insp.subgrades = tuple(sub)

    def ungraded_outcomes(self, inspections: list[Inspection]) -> None:
        """One academic year of ungraded outcomes (no overall grade era): exactly the published
        share (rounded) is "Some aspects not as strong", the rest keep "Standards maintained" or
        "Improved significantly". Simulated "not as strong" outcomes are kept first, then
        "Standards maintained" ones change, chosen by a draw seeded by the inspection number;
        a simulated "not as strong" beyond the quota becomes "Standards maintained". The
        simulation's scheduling (an early graded inspection after "not as strong") is kept.
        """
        weak_text = "Some aspects not as strong"
        share = 1 - cal.TARGET_UNGRADED_MAINTAINED_OR_IMPROVED_2024_25
        want = round(share * len(inspections))
        rank = {weak_text: 0, "Standards maintained": 1}
        ordered = sorted(inspections, key=lambda i: (rank.get(i.outcome, 2),
                                                     random.Random(f"{self.seed}-ungraded-{i.number}").random(), i.number))
        for k, insp in enumerate(ordered):
            if k < want:
                insp.outcome = weak_text
            elif insp.outcome == weak_text:
                insp.outcome = "Standards maintained"

