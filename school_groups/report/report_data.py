"""What the page shows: :class:`ReportData` (the published rows each section draws, already pooled
by ``loader``) and :class:`SampledGroup` (one sampled group: its facts and design weights)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .profile_facts import GroupFacts
from .provenance import Provenance


@dataclass
class SampledGroup:
    facts: GroupFacts
    stratum: str | None = None
    inclusion_probability: float | None = None
    design_weight: float | None = None
    population_groups: int | None = None
    sample_groups: int | None = None


@dataclass
class ReportData:
    """What the page shows; every list holds published rows (dicts) already aggregated as drawn."""

    period: str
    as_at: date | None = None
    run_id: str | None = None
    published_at: str | None = None
    provenance: Provenance = field(default_factory=Provenance)   # meta.publication: where the data came from
    periods: list[str] = field(default_factory=list)
    settings: list[dict] = field(default_factory=list)            # key, value, description
    eras: list[dict] = field(default_factory=list)                # staging.ofsted_reporting_eras rows
    # pooled trend rows: as_at, source_family, view, reporting_era, measure, group_kind ('all' pools every
    # kind), outcome, schools_judged_in_era, schools_with_outcome, share (see queries.TRENDS_SQL)
    trends: list[dict] = field(default_factory=list)
    outcomes_by_kind: list[dict] = field(default_factory=list)    # see queries.OUTCOMES_SQL (cross-era band)
    # the default view of section 2, eras apart: group_kind, reporting_era, measure, outcome, groups_judged,
    # groups_reported, schools_judged, schools_reported, schools_with_outcome, share (queries.ERA_OUTCOMES_SQL)
    era_outcomes_by_kind: list[dict] = field(default_factory=list)
    # per kind: groups, schools_in_groups, schools_judged_<era>, schools_latest_evidence_<era> (loader._era_coverage)
    era_coverage_by_kind: list[dict] = field(default_factory=list)
    improvement_by_kind: list[dict] = field(default_factory=list) # group_improvement rows, scope='group_kind'
    # newest system_evidence snapshot by kind (see queries.STALE_SQL): schools, schools_with_evidence,
    # schools_without_evidence, share_stale, judgement/evidence_age_median_years, schools_latest_<...>_<era>
    stale_by_kind: list[dict] = field(default_factory=list)
    group_evidence_ages: list[dict] = field(default_factory=list) # group_kind, evidence_age_median_years
    estimates: list[dict] = field(default_factory=list)           # sample_estimates rows for the period
    sampled: list[SampledGroup] = field(default_factory=list)

    def setting(self, key: str) -> float | None:
        for row in self.settings:
            if row.get("key") == key:
                return row.get("value")
        return None
