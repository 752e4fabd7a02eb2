"""The things the synthetic world is made of: local authorities, groups, establishments (URNs),
group spells, inspections and sites, and the ``World`` that holds them. Plain data; the
simulation that fills them in is ``world.Builder``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from . import calibration as cal

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

