"""Quality through time and inspection histories of the synthetic world: each site's latent
quality, the frameworks' grade cut points, and graded, ungraded and monitoring inspections
scheduled the way Ofsted did. A part of ``world.Builder``.
"""

from __future__ import annotations

from datetime import date, timedelta

from . import calibration as cal
from .world_entities import START, Establishment, Inspection, Site, days


class InspectionsMixin:
    """Builder steps that walk every site's life inspecting it."""

    # -- quality and inspections -------------------------------------------------------------
    def quality(self, site: Site, day: date) -> float:
        q = site.base_q + site.walk[min(len(site.walk) - 1, day.year - START.year)]
        la = site.la
        q += la.effect * (min(1.0, max(0.0, (day - date(2017, 9, 1)).days / 900)) if la.pattern else 1.0)
        for sp in site.spells:
            if sp.joined <= day and sp.group.kind in ("06", "10", "01"):
                end = sp.left or day
                ramp = min(1.0, (min(day, end) - sp.joined).days / 900)
                q += sp.group.effect * ramp
        return q

    def grade(self, q: float, day: date) -> int:
        noisy = q + self.rng.gauss(0, 0.3)
        if day >= cal.EIF_START:
            cuts = (1.6, -1.35, -2.0)        # EIF: outstanding rarer, more schools good
        else:
            cuts = (0.95, -1.05, -1.8)
        return 1 if noisy > cuts[0] else 2 if noisy > cuts[1] else 3 if noisy > cuts[2] else 4

    def schedule_day(self, day: date) -> date:
        """Move a date out of August, weekends and the pandemic pause."""
        pause_start, pause_end = cal.COVID_PAUSE
        if pause_start <= day < pause_end:
            day = pause_end + days(self.rng.uniform(0, 700))
        if day.month == 8:
            day = day.replace(day=1) + days(31 + self.rng.uniform(0, 20))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def inspect(self, site: Site) -> None:
        """Walk a site's life inspecting it the way the frameworks did.

        Graded every 4-5 years when good, sooner when weak, monitoring visits after RI and
        inadequate; from 2015 good and outstanding schools get ungraded visits in between;
        outstanding schools were exempt 2012-2020; nothing routine during the pandemic pause;
        a new URN (conversion) gets its first graded inspection within about three years.
        """
        rng = self.rng
        first = site.urns[0]
        born = max(START, first.opened or START)
        next_day = born + days(rng.uniform(60, 365 * 4.5))
        end = min(site.closes or cal.TODAY, cal.TODAY)
        stale = site.la.pattern == "stale_evidence" or any(sp.group.pattern == "stale_evidence" for sp in site.spells)
        graded_urn: int | None = None
        graded_on = START
        need_graded = True
        while True:
            day = self.schedule_day(next_day)
            if day >= end:
                return
            est = site.urn_on(day)
            if est is None:
                return
            if graded_urn is not None and est.urn != graded_urn and day < est.opened + days(365):
                next_day, need_graded = est.opened + days(rng.uniform(365, 365 * 3.2)), True
                continue
            q = self.quality(site, day)
            # Ofsted gives a graded inspection when the last one is over six years old.
            long_gap = (day - graded_on).days > 365 * 6
            if need_graded or long_gap or est.urn != graded_urn or day < date(2015, 9, 1):
                insp = self.graded(est, day, self.grade(q, day))
                site.inspections.append(insp)
            else:
                insp = self.ungraded(est, day, q)
                site.inspections.append(insp)
                if insp.kind == "ungraded":
                    next_on_track = insp.outcome.endswith("S5 Next") or insp.outcome == "Some aspects not as strong"
                    need_graded = next_on_track or rng.random() < 0.5
                    next_day = day + days(rng.uniform(300, 700) if next_on_track else rng.uniform(365 * 3.3, 365 * 4.6))
                    continue
            graded_urn, graded_on = est.urn, day
            next_day, need_graded = self.after_graded(site, est, insp, end, stale)

    def after_graded(self, site: Site, est: Establishment, insp: Inspection, end: date,
                     stale: bool) -> tuple[date, bool]:
        """Follow-up visits after a graded inspection, and when the next routine one falls due."""
        rng, day, g = self.rng, insp.start, insp.grade
        if g == 4:
            for month in (5, 10, 15):
                visit = self.schedule_day(day + days(30 * month + rng.uniform(0, 20)))
                if visit < end:
                    site.inspections.append(self.monitoring(est, visit, insp.category))
            return day + days(rng.uniform(540, 760)), True
        if g == 3:
            visit = self.schedule_day(day + days(rng.uniform(300, 420)))
            if visit < end and day >= date(2012, 9, 1):
                site.inspections.append(self.monitoring(est, visit, ""))
            return day + days(rng.uniform(660, 900)), True
        if g == 1 and cal.EXEMPTION_YEARS[0] <= day < cal.EXEMPTION_YEARS[1]:
            # Exempt from routine inspection; seen again from 2021, the stalest last.
            gap = rng.uniform(365 * 9, 365 * 14) if stale else rng.uniform(365 * 6, 365 * 12)
            return max(day + days(gap), date(2021, 9, 1) + days(rng.uniform(0, 1150))), False
        if stale:
            # Groups whose schools go uninspected far beyond the cycle (and the legal limit): a
            # school judged good or better from 2016 on is not seen again before today.
            if g <= 2 and day >= date(2016, 1, 1):
                return cal.TODAY + days(rng.uniform(30, 400)), True
            return day + days(rng.uniform(365 * 7.5, 365 * 11)), True
        return day + days(rng.uniform(365 * 3.5, 365 * 5)), day < date(2015, 9, 1)

    def graded(self, est: Establishment, day: date, g: int) -> Inspection:
        rng = self.rng
        # Drawn for every inspection (the stream stays as it was); the era without an overall
        # grade replaces them afterwards (calibrate_no_overall_era).
        sub = tuple(max(1, min(4, g + rng.choice([0, 0, 0, 0, 1, -1]))) for _ in range(4))
        category = "" if g < 4 else ("SM" if rng.random() < 0.55 else "SWK")
        return Inspection(self.inspection_number(day), est.urn, day, day + days(rng.uniform(18, 45)), "graded",
                          grade=g, category=category, subgrades=sub)

    def monitoring(self, est: Establishment, day: date, category: str) -> Inspection:
        outcome = self.rng.choice(["Taking effective action", "Taking effective action to tackle the areas requiring improvement ",
                                   "Not taking effective action"]) if category or self.rng.random() < 0.5 else \
            "Taking effective action to tackle the areas requiring improvement "
        return Inspection(self.inspection_number(day), est.urn, day, day + days(self.rng.uniform(14, 35)), "monitoring",
                          category=category, outcome=outcome)

    def ungraded(self, est: Establishment, day: date, q: float) -> Inspection:
        """An ungraded (section 8) visit of a good or outstanding school; may convert to graded."""
        rng = self.rng
        prior = self.last_grade(est)
        g_now = self.grade(q, day)
        if g_now >= 3 and rng.random() < 0.6:
            insp = self.graded(est, day, g_now)
            insp.converted = True
            return insp
        if day >= cal.NO_OVERALL_GRADE_FROM:
            outcome = "Improved significantly" if g_now < prior else \
                "Standards maintained" if g_now <= prior + 1 else "Some aspects not as strong"
        elif g_now > prior:
            outcome = f"School remains {'Outstanding' if prior == 1 else 'Good'} (Concerns) - S5 Next"
        elif g_now < prior:
            outcome = "School remains Good (Improving) - S5 Next"
        else:
            outcome = f"School remains {'Outstanding' if prior == 1 else 'Good'}"
        return Inspection(self.inspection_number(day), est.urn, day, day + days(rng.uniform(18, 40)), "ungraded",
                          outcome=outcome)

    def last_grade(self, est: Establishment) -> int:
        for insp in reversed(est.site.inspections):
            if insp.kind == "graded":
                return insp.grade
        return 2

