"""What a group profile is written from, and the small helpers its sentences use: :class:`GroupFacts`
(one group's published rows), the nouns for each kind of group, and counts, shares and lists in words."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

KIND_NOUN = {
    "multi_academy_trust": "trust",
    "single_academy_trust": "trust",
    "local_authority": "local authority",
    "no_responsible_body": "group",
}
KIND_SINGULAR = {
    "multi_academy_trust": "multi-academy trust",
    "single_academy_trust": "single-academy trust",
    "local_authority": "local authority (maintained schools)",
    "no_responsible_body": "schools with no responsible body",
}


@dataclass
class GroupFacts:
    """Everything published about one group that a profile may use (rows as dicts; None if absent)."""

    group_key: str
    group_name: str
    group_kind: str
    profile: dict | None = None
    patterns: dict[tuple[str, str], dict] = field(default_factory=dict)   # (view, weighting) -> row
    improvement: dict | None = None
    signals: list[dict] = field(default_factory=list)
    era_rows: list[dict] = field(default_factory=list)   # patterns.group_era_patterns rows, every view
    display_name: str | None = None    # unique among groups (name, kind, region): the heading readers see

    @property
    def heading(self) -> str:
        return self.display_name or self.group_name


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v))


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def pct(v: float) -> str:
    return f"{v * 100:.0f}%"


def count_from_share(share: float, n: int) -> int:
    return int(round(share * n))


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def noun(kind: str) -> str:
    return KIND_NOUN.get(kind, "group")
