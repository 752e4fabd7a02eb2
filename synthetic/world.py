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
from datetime import date

from . import calibration as cal
from . import names
# The entities are re-exported: callers import them from here (synthetic.world.Site, ...).
from .world_entities import (LA, REGIONS, START, Establishment, Group, Inspection, Site, Spell,  # noqa: F401
                             World, days)
from .world_inspections import InspectionsMixin
from .world_no_overall_era import NoOverallEraMixin
from .world_patterns import PlantedPatternsMixin
from .world_trusts import AcademiesAndTrustsMixin


class Builder(AcademiesAndTrustsMixin, PlantedPatternsMixin, InspectionsMixin, NoOverallEraMixin):
    """Simulates the world step by step (``build``); the steps live in the mixins: academies and
    trusts (world_trusts), planted patterns and ground truth (world_patterns), inspection
    histories (world_inspections) and the 2024/25 calibration (world_no_overall_era)."""

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


def build_world(scale: str, seed: int) -> World:
    return Builder(cal.SCALES[scale], seed).build()
