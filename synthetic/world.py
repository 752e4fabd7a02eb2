"""A synthetic England of schools, groups and inspections, deterministic from a seed.

The world is simulated once (sites, URNs, group spells, quality through time, inspection
histories); the file writers then take snapshots of it at the publication dates. Everything
iterates in a fixed order over lists, and the simulation's randomness comes from one
``random.Random``; the calibration of the 2024/25 era that follows it draws from generators
seeded by the world seed and the inspection number (``Builder.calibrate_no_overall_era``).

Vocabulary: a *site* is a school as a place and community; it has one URN per legal
incarnation (maintained school → academy converter → ...), linked predecessor/successor.
A *spell* is a URN's membership of a group between two dates.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import calibration as cal
from . import names

REGIONS = [("A", "North East", 0.045), ("B", "North West", 0.135), ("D", "Yorkshire and the Humber", 0.10),
           ("E", "East Midlands", 0.09), ("F", "West Midlands", 0.11), ("G", "East of England", 0.115),
           ("H", "London", 0.115), ("J", "South East", 0.165), ("K", "South West", 0.125)]
START = date(2005, 9, 1)


def days(n: float) -> timedelta:
    return timedelta(days=int(n))


@dataclass(eq=False)
class LA:
    code: str
    name: str
    region_code: str
    region: str
    effect: float = 0.0
    pattern: str | None = None


@dataclass(eq=False)
class Group:
    uid: int
    kind: str                     # GIAS group type code: 01 federation, 02 trust, 05 sponsor, 06 MAT, 10 SAT
    name: str
    region: str
    opened: date
    closed: date | None = None
    group_id: str = ""
    companies_house: str = ""
    effect: float = 0.0
    pattern: str | None = None
    close_reason: str = ""

    @property
    def kind_name(self) -> str:
        return {"01": "Federation", "02": "Trust", "05": "School sponsor", "06": "Multi-academy trust",
                "10": "Single-academy trust"}[self.kind]


@dataclass(eq=False)
class Establishment:
    urn: int
    site: "Site"
    type_code: str
    opened: date | None
    closed: date | None = None
    reason_opened: str = "00"
    reason_closed: str = "00"
    est_number: str = ""

    def open_on(self, day: date) -> bool:
        return (self.opened is None or self.opened <= day) and (self.closed is None or self.closed > day)


@dataclass(eq=False)
class Spell:
    group: Group
    urn: int
    joined: date
    left: date | None = None
    how: str = ""                 # converter, sponsored, free school, transfer, founding, federation

    def active(self, day: date) -> bool:
        return self.joined <= day and (self.left is None or self.left > day)


@dataclass(eq=False)
class Inspection:
    number: str
    urn: int
    start: date
    published: date
    kind: str                     # graded | ungraded | monitoring
    grade: int | None = None      # 1-4 underlying judgement (also for report cards and R2)
    category: str = ""            # SM / SWK
    outcome: str = ""             # ungraded or monitoring outcome text
    subgrades: tuple[int, ...] = ()
    converted: bool = False       # an ungraded inspection that became graded

    @property
    def regime(self) -> str:
        if self.start >= cal.REPORT_CARDS_FROM:
            return "report_card"
        if self.start >= cal.NO_OVERALL_GRADE_FROM:
            return "eif_no_overall"
        if self.start >= cal.EIF_START:
            return "eif"
        return "cif"


@dataclass(eq=False)
class Site:
    id: int
    la: LA
    phase: str
    name: str
    town: str
    base_q: float
    faith: bool
    pupils: int
    capacity: int
    fsm: float
    postcode: str
    gender: str = "Mixed"
    urns: list[Establishment] = field(default_factory=list)
    spells: list[Spell] = field(default_factory=list)
    inspections: list[Inspection] = field(default_factory=list)
    walk: list[float] = field(default_factory=list)       # yearly quality drift from 2005
    closes: date | None = None

    def urn_on(self, day: date) -> Establishment | None:
        for est in self.urns:
            if est.open_on(day):
                return est
        return None

    @property
    def current(self) -> Establishment:
        return self.urns[-1]


@dataclass
class World:
    seed: int
    scale: cal.Scale
    las: list[LA]
    sites: list[Site]
    groups: list[Group]
    by_urn: dict[int, Establishment]
    truth: dict


class Builder:
    def __init__(self, scale: cal.Scale, seed: int):
        self.scale, self.seed = scale, seed
        self.rng = random.Random(seed)
        self.next_urn = 100_000
        self.next_uid = 1_000
        self.next_inspection = 10_000_000
        self.next_its = 200_000
        self.groups: list[Group] = []
        self.by_urn: dict[int, Establishment] = {}

    # -- identifiers ---------------------------------------------------------------------
    def urn(self) -> int:
        self.next_urn += self.rng.randint(1, 3)
        return self.next_urn

    def uid(self) -> int:
        self.next_uid += self.rng.randint(1, 4)
        return self.next_uid

    def inspection_number(self, day: date) -> str:
        if day < date(2015, 9, 1):
            self.next_its += self.rng.randint(1, 20)
            return f"ITS{self.next_its}"
        self.next_inspection += self.rng.randint(1, 30)
        return str(self.next_inspection)

    # -- the world -----------------------------------------------------------------------
    def build(self) -> World:
        self.make_las()
        self.make_sites()
        self.academise()
        self.make_federations()
        self.plant_patterns()
        for site in self.sites:
            self.inspect(site)
        self.calibrate_no_overall_era()
        truth = self.ground_truth()
        return World(self.seed, self.scale, self.las, self.sites, self.groups, self.by_urn, truth)

    def make_las(self) -> None:
        n = self.scale.local_authorities
        codes = sorted(self.rng.sample(range(201, 941), n))
        weights = [w for _, _, w in REGIONS]
        self.las = []
        used = set()
        for code in codes:
            rc, region, _ = self.rng.choices(REGIONS, weights)[0]
            name = names.place(self.rng)
            while name in used:
                name = names.place(self.rng) + self.rng.choice([" City", " Borough", "shire"])
            used.add(name)
            self.las.append(LA(f"{code:03d}", name, rc, region, effect=self.rng.gauss(0, 0.15)))

    def make_sites(self) -> None:
        open_n = self.scale.open_schools
        closed_n = int(open_n * 0.10)       # closed without successor since 2005 (amalgamations, falling rolls)
        phases = list(cal.PHASE_SHARES)
        weights = list(cal.PHASE_SHARES.values())
        la_weights = [self.rng.uniform(0.4, 1.6) for _ in self.las]
        self.sites = []
        for i in range(open_n + closed_n):
            la = self.rng.choices(self.las, la_weights)[0]
            phase = self.rng.choices(phases, weights)[0]
            faith = phase in ("Primary", "Secondary") and self.rng.random() < (0.35 if phase == "Primary" else 0.18)
            town = names.place(self.rng)
            pupils = {"Primary": 280, "Secondary": 1000, "Special": 120, "Alternative provision": 50,
                      "Nursery": 100, "All-through": 1300, "16 plus": 700}[phase]
            pupils = max(12, int(self.rng.lognormvariate(math.log(pupils), 0.45)))
            site = Site(i, la, phase, names.school_name(self.rng, town, phase, faith), town,
                        base_q=self.rng.gauss(0, 0.95), faith=faith, pupils=pupils,
                        capacity=int(pupils * self.rng.uniform(1.0, 1.3)),
                        fsm=round(min(80.0, max(1.0, self.rng.lognormvariate(math.log(22), 0.5))), 1),
                        postcode=names.postcode(self.rng))
            site.walk = self.drift()
            if i >= open_n:
                site.closes = START + days(self.rng.uniform(300, (cal.TODAY - START).days - 30))
            type_code = {"Special": "07", "Alternative provision": "14", "Nursery": "15"}.get(
                phase, self.rng.choices(["01", "02", "03", "05"], [0.62, 0.2, 0.1, 0.08] if faith else [0.85, 0.0, 0.0, 0.15])[0])
            opened = None if self.rng.random() < 0.7 else date(1900, 1, 1) if self.rng.random() < 0.1 else \
                START - days(self.rng.uniform(0, 365 * 30))
            est = self.establish(site, type_code, opened, "00" if opened is None else "99")
            est.closed = site.closes
            if site.closes:
                est.reason_closed = self.rng.choice(["01", "11", "04"])   # result of amalgamation, other, ...
            self.sites.append(site)

    def drift(self) -> list[float]:
        level, out = 0.0, []
        for _ in range(START.year, cal.TODAY.year + 2):
            level += self.rng.gauss(0, 0.12)
            out.append(level)
        return out

    def establish(self, site: Site, type_code: str, opened: date | None, reason: str) -> Establishment:
        est = Establishment(self.urn(), site, type_code, opened, reason_opened=reason,
                            est_number=f"{self.rng.randint(1000, 7999)}")
        site.urns.append(est)
        self.by_urn[est.urn] = est
        return est

    def new_group(self, kind: str, name: str, region: str, opened: date) -> Group:
        uid = self.uid()
        prefix = {"06": "TR", "10": "TR", "05": "SP", "02": "TR"}.get(kind, "")
        group = Group(uid, kind, name, region, opened,
                      group_id=f"{prefix}{uid % 100000:05d}" if prefix else "",
                      companies_house=f"{self.rng.randint(6_000_000, 15_999_999):08d}" if kind in ("06", "10", "02") else "")
        self.groups.append(group)
        return group

    # -- academies and trusts ------------------------------------------------------------
    def conversion_date(self, phase: str) -> date:
        # Secondary conversions peaked in 2011-2013; primaries convert steadily since.
        if phase == "Secondary" and self.rng.random() < 0.55:
            return date(2010, 9, 1) + days(self.rng.uniform(0, 365 * 3))
        return date(2011, 1, 1) + days(self.rng.triangular(0, (cal.TODAY - date(2011, 1, 1)).days - 20, 365 * 5))

    def academise(self) -> None:
        rng = self.rng
        open_sites = [s for s in self.sites if s.closes is None]
        academies: list[tuple[date, Site, str]] = []
        for site in open_sites:
            if rng.random() >= cal.ACADEMY_SHARE[site.phase]:
                continue
            if rng.random() < cal.FREE_SCHOOL_SHARE_OF_ACADEMIES and site.phase not in ("Nursery",):
                when = date(2011, 9, 1) + days(rng.uniform(0, (cal.TODAY - date(2011, 9, 1)).days - 30))
                academies.append((when, site, "free school"))
                continue
            when = self.conversion_date(site.phase)
            # Weak schools were far more often made sponsored academies.
            p_sponsored = 0.65 if site.base_q < -0.8 else 0.22
            academies.append((when, site, "sponsored" if rng.random() < p_sponsored else "converter"))
        academies.sort(key=lambda a: (a[0], a[1].id))

        for when, site, how in academies:
            old = site.current
            if how == "free school":
                # A free school is a new site: it has no maintained past.
                site.urns.clear()
                del self.by_urn[old.urn]
                type_code = {"Special": "36", "Alternative provision": "38", "16 plus": "39"}.get(site.phase, "35")
                self.establish(site, type_code, when, "10")
                site.base_q += 0.15
            else:
                old.closed, old.reason_closed = when, "10" if how == "converter" else "11"
                type_code = {
                    ("Special", "converter"): "44", ("Special", "sponsored"): "33",
                    ("Alternative provision", "converter"): "42", ("Alternative provision", "sponsored"): "43",
                    ("16 plus", "converter"): "45", ("16 plus", "sponsored"): "46",
                }.get((site.phase, how), "34" if how == "converter" else "28")
                self.establish(site, type_code, when, "10" if how == "converter" else "11")
        self.assign_trusts([(w, s, h) for w, s, h in academies])

    def assign_trusts(self, academies: list[tuple[date, Site, str]]) -> None:
        rng = self.rng
        sat_n = int(len(academies) * cal.SAT_SHARE_OF_ACADEMIES)
        sat_sites = {id(s) for _, s, h in rng.sample(academies, sat_n) if h == "converter"}
        mat_members = [(w, s, h) for w, s, h in academies if id(s) not in sat_sites]
        # Heavy-tailed MAT sizes: many of 2-5, a few of 40+ (1,321 MATs for ~9.6k academies).
        sizes: list[int] = []
        remaining = len(mat_members)
        while remaining > 0:
            size = 1 if rng.random() < cal.SINGLE_ACADEMY_MATS_SHARE else \
                min(80, max(2, int(rng.paretovariate(1.3) * 2.6)))
            size = min(size, remaining)
            sizes.append(size)
            remaining -= size
        by_region: dict[str, list] = {}
        for item in mat_members:
            by_region.setdefault(item[1].la.region, []).append(item)
        pools = {r: items for r, items in by_region.items()}
        self.mats: list[Group] = []
        region_order = [r for _, r, _ in REGIONS if r in pools]
        for size in sorted(sizes, reverse=True):
            home = max(region_order, key=lambda r: (len(pools[r]), r)) if size >= 25 else \
                rng.choices(region_order, [len(pools[r]) + 0.01 for r in region_order])[0]
            members = []
            for _ in range(size):
                region = home if pools[home] and (size < 25 or rng.random() < 0.75) else \
                    max(region_order, key=lambda r: (len(pools[r]), r))
                if not pools[region]:
                    break
                members.append(pools[region].pop(rng.randrange(len(pools[region]))))
            if not members:
                continue
            members.sort(key=lambda m: (m[0], m[1].id))
            mat = self.new_group("06", names.trust_name(rng, members[0][1].la.name), home, members[0][0])
            mat.effect = rng.gauss(0.05, 0.25)
            self.mats.append(mat)
            for when, site, how in members:
                site.spells.append(Spell(mat, site.current.urn, when, how=how))
        for when, site, how in academies:
            if id(site) in sat_sites:
                sat = self.new_group("10", f"{site.name} Academy Trust", site.la.region, when)
                sat.effect = rng.gauss(0.05, 0.2)
                site.spells.append(Spell(sat, site.current.urn, when, how=how))
        self.make_sponsors(academies)
        self.rebroker()

    def make_sponsors(self, academies) -> None:
        """Sponsored academies link to a sponsor: usually their trust's own sponsor record."""
        rng = self.rng
        sponsor_of: dict[int, Group] = {}
        independent = [self.new_group("05", f"{names.place(rng)} {rng.choice(['University', 'Diocese', 'College', 'Foundation'])}",
                                      rng.choice(REGIONS)[1], date(2009, 1, 1) + days(rng.uniform(0, 2000)))
                       for _ in range(max(2, int(len(self.sites) * 0.004)))]
        for when, site, how in academies:
            if how != "sponsored" or not site.spells:
                continue
            trust = site.spells[0].group
            if rng.random() < 0.45 and trust.kind == "06":
                sponsor = sponsor_of.get(trust.uid)
                if sponsor is None:
                    sponsor = self.new_group("05", trust.name.replace(" Trust", ""), trust.region, trust.opened)
                    sponsor_of[trust.uid] = sponsor
            else:
                sponsor = rng.choice(independent)
            site.spells.append(Spell(sponsor, site.current.urn, when, how="sponsored"))

    def rebroker(self) -> None:
        """Transfers between trusts, trust closures and mergers, SATs joining MATs."""
        rng = self.rng
        mats = self.mats
        for site in self.sites:
            trust_spells = [sp for sp in site.spells if sp.group.kind in ("06", "10")]
            if not trust_spells:
                continue
            spell = trust_spells[-1]
            p = 0.15 if spell.group.kind == "10" else 0.05
            if rng.random() < p:
                move = spell.joined + days(rng.uniform(365, 365 * 8))
                if move >= cal.TODAY - timedelta(days=60):
                    continue
                regional = [m for m in mats if m.region == site.la.region and m.opened < move and m is not spell.group]
                if not regional:
                    continue
                target = rng.choice(regional)
                self.transfer(site, spell, target, move)
        # Closures and mergers: a few MATs close and hand every school to one other trust.
        for mat in rng.sample(mats, max(1, len(mats) // 25)):
            members = [(s, sp) for s in self.sites for sp in s.spells if sp.group is mat and sp.left is None]
            if not members:
                continue
            when = max(sp.joined for _, sp in members) + days(rng.uniform(200, 1500))
            if when >= cal.TODAY - timedelta(days=60):
                continue
            target = rng.choice([m for m in mats if m is not mat and m.opened < when and m.closed is None] or [None])
            if target is None:
                continue
            mat.closed, mat.close_reason = when, "merged" if len(members) > 2 else "closed"
            for site, spell in members:
                self.transfer(site, spell, target, when)

    def transfer(self, site: Site, spell: Spell, target: Group, when: date) -> None:
        spell.left = when
        site.spells.append(Spell(target, site.current.urn, when, how="transfer"))
        if spell.group.kind == "10":
            spell.group.closed, spell.group.close_reason = when, "joined a multi-academy trust"

    def make_federations(self) -> None:
        rng = self.rng
        maintained = [s for s in self.sites if not s.spells and s.closes is None and s.phase in ("Primary", "Nursery")]
        by_la: dict[str, list[Site]] = {}
        for s in maintained:
            by_la.setdefault(s.la.code, []).append(s)
        target = int(len(maintained) * cal.FEDERATIONS_PER_1000_MAINTAINED / 1000)
        made = 0
        for code in sorted(by_la):
            pool = by_la[code]
            rng.shuffle(pool)
            while made < target * (self.las.index(next(la for la in self.las if la.code == code)) + 1) / len(self.las) \
                    and len(pool) >= 2:
                members = [pool.pop() for _ in range(min(len(pool), rng.choice([2, 2, 2, 3])))]
                opened = date(2008, 1, 1) + days(rng.uniform(0, 365 * 13))
                fed = self.new_group("01", f"The {members[0].town} Federation", members[0].la.region, opened)
                fed.effect = rng.gauss(0, 0.15)
                for site in members:
                    site.spells.append(Spell(fed, site.current.urn, opened, how="federation"))
                made += 1

    # -- planted patterns ------------------------------------------------------------------
    def plant_patterns(self) -> None:
        """Give chosen groups a known effect; recorded in the ground truth."""
        rng = self.rng
        members = self.members_by_group()
        sized = [m for m in self.mats if len(members.get(m.uid, [])) >= 4]
        rng.shuffle(sized)
        k = max(2, len(sized) // 60)
        # Improvers are trusts that took on weak schools (sponsored academies of weak
        # predecessors), as real sponsor trusts do: a trust with no weak joiners cannot show it.
        def weak_joiners(mat: Group) -> int:
            return sum(1 for site in members.get(mat.uid, []) if site.base_q < -0.8
                       for sp in site.spells if sp.group is mat and sp.how == "sponsored")
        # A handful, as in the real system, each with enough weak joiners to tell from luck.
        improvers = [m for m in sized if weak_joiners(m) >= 6][:max(2, len(sized) // 100)]
        sized = improvers + [m for m in sized if m not in improvers]
        for mat in improvers:
            mat.pattern, mat.effect = "improves_weak_joiners", 1.4
        for mat in sized[k:2 * k]:
            mat.pattern, mat.effect = "declines_after_joining", -1.2
        # Fast growth: a trust that takes on many schools in 2021-2024, outcomes falling.
        growers = [m for m in sized[2 * k:] if m.closed is None][: max(1, k // 2)]
        spare = [s for s in self.sites if any(sp.group.kind == "10" and sp.left is None for sp in s.spells)]
        for mat in growers:
            mat.pattern, mat.effect = "fast_growth_falling_outcomes", -0.9
            for site in spare[: max(6, len(members.get(mat.uid, [])) * 2)]:
                spell = next(sp for sp in site.spells if sp.group.kind == "10" and sp.left is None)
                self.transfer(site, spell, mat, date(2021, 9, 1) + days(rng.uniform(0, 365 * 3)))
            spare = spare[max(6, len(members.get(mat.uid, [])) * 2):]
        # Stale evidence: trusts and LAs whose schools were outstanding and exempt for years.
        for mat in sized[2 * k + len(growers): 3 * k + len(growers)]:
            mat.pattern = "stale_evidence"
        federations = [g for g in self.groups if g.kind == "01" and len(members.get(g.uid, [])) >= 2]
        for fed in federations[: max(1, len(federations) // 100)]:
            fed.pattern, fed.effect = "declines_after_joining", -1.2
        for fed in federations[len(federations) // 100 + 1: len(federations) // 100 + 2]:
            fed.pattern = "stale_evidence"
        las = sorted(self.las, key=lambda la: la.code)
        las[0].pattern, las[0].effect = "improving_local_authority", 0.8
        las[-1].pattern = "stale_evidence"

    def members_by_group(self) -> dict[int, list[Site]]:
        out: dict[int, list[Site]] = {}
        for site in self.sites:
            for sp in site.spells:
                out.setdefault(sp.group.uid, []).append(site)
        return out

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

    def last_grade(self, est: Establishment) -> int:
        for insp in reversed(est.site.inspections):
            if insp.kind == "graded":
                return insp.grade
        return 2

    # -- truth ---------------------------------------------------------------------------
    def ground_truth(self) -> dict:
        members = self.members_by_group()
        patterned = []
        for g in self.groups:
            if g.pattern:
                urns = sorted({sp.urn for s in members.get(g.uid, []) for sp in s.spells if sp.group is g})
                patterned.append({"group_kind": g.kind_name, "group_uid": g.uid, "name": g.name,
                                  "pattern": g.pattern, "effect": round(g.effect, 3), "member_urns": urns})
        for la in self.las:
            if la.pattern:
                patterned.append({"group_kind": "Local authority", "la_code": la.code, "name": la.name,
                                  "pattern": la.pattern, "effect": round(la.effect, 3)})
        return {"patterns": patterned}


def build_world(scale: str, seed: int) -> World:
    return Builder(cal.SCALES[scale], seed).build()
