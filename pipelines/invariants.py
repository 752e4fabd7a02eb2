"""Warehouse invariants, declared once and generated into Dagster asset checks.

Each invariant is a query returning the rows that break it: none means it holds. ERROR
invariants block (they would make published tables wrong); WARN ones are advisory.
"""

from __future__ import annotations

from dataclasses import dataclass

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetChecksDefinition,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from assets.metadata import markdown_table

from .resources import WarehouseResource

EXAMPLES = 5


@dataclass(frozen=True)
class Invariant:
    table: str              # schema.table the check is attached to
    name: str
    description: str
    violations_sql: str     # rows that break the invariant
    severity: str = "ERROR"

    @property
    def asset_key(self) -> AssetKey:
        return AssetKey(self.table.split("."))


ACTIVE_ON = "(m.valid_from is null or m.valid_from <= {day}) and (m.valid_to is null or m.valid_to > {day})"

INVARIANTS: tuple[Invariant, ...] = (
    Invariant(
        "core.group_memberships", "no_overlapping_responsible_bodies",
        "A school's responsible-body spells (trust or LA) never overlap.",
        """select a.urn, a.group_key, a.valid_from, a.valid_to, b.group_key as other, b.valid_from as other_from
           from core.group_memberships a join core.group_memberships b
             on a.urn = b.urn and a.is_responsible_body and b.is_responsible_body
            and (a.group_key, coalesce(a.valid_from, date '0001-01-01'))
                < (b.group_key, coalesce(b.valid_from, date '0001-01-01'))
            and coalesce(a.valid_from, date '0001-01-01') < coalesce(b.valid_to, date '9999-12-31')
            and coalesce(b.valid_from, date '0001-01-01') < coalesce(a.valid_to, date '9999-12-31')"""),
    Invariant(
        "core.group_memberships", "one_responsible_body_today",
        "Every open state-funded school has exactly one responsible body on the latest GIAS date.",
        """with today as (select max(valid_from) as day from core.schools)
           select s.urn, s.establishment_name, s.establishment_group, count(m.urn) as responsible_bodies
           from core.schools s cross join today t
           left join core.group_memberships m on m.urn = s.urn and m.is_responsible_body and """
        + ACTIVE_ON.format(day="t.day") + """
           where s.is_current and s.is_state_funded and s.status like 'Open%'
           group by all having count(m.urn) <> 1"""),
    Invariant(
        "core.group_memberships", "spells_start_before_they_end",
        "No membership ends before it starts.",
        "select * from core.group_memberships where valid_to < valid_from"),
    Invariant(
        "core.inspections", "every_inspection_has_a_lineage",
        "Every inspection row maps to a school lineage.",
        "select inspection_number, urn_at_inspection from core.inspections where lineage_id is null"),
    Invariant(
        "core.inspections", "inspected_urn_known_to_gias",
        "The inspected URN is in the GIAS lineage table (fails when GIAS and Ofsted files are from different samples).",
        """select inspection_number, urn_at_inspection, current_urn from core.inspections i
           where not exists (select 1 from core.school_lineage l where l.urn = i.urn_at_inspection)""",
        severity="WARN"),
    Invariant(
        "core.inspections", "every_inspection_observed_is_kept_once",
        "Row counts are conserved: each distinct inspection number observed in the Ofsted files is one row.",
        """select observed, kept from (
               select (select count(distinct inspection_number) from staging.ofsted_inspection_observations) as observed,
                      (select count(*) from core.inspections) as kept)
           where observed <> kept"""),
    Invariant(
        "patterns.snapshot_judgements", "an_inspection_counts_for_one_school",
        "On no as-at date does one inspection count for two schools Ofsted lists (a judgement reaches a successor, "
        "never a sibling or both parts of a split).",
        """select as_at, source_family, view, inspection_number, count(distinct urn) as schools
           from patterns.snapshot_judgements where inspection_number is not null
           group by all having count(distinct urn) > 1"""),
    Invariant(
        "patterns.school_evidence", "an_inspection_counts_for_one_open_school",
        "No inspection counts for two open schools today.",
        """select view, inspection_number, count(distinct urn) as schools
           from patterns.school_evidence where inspection_number is not null
           group by all having count(distinct urn) > 1"""),
    Invariant(
        "staging.gias_establishments", "rows_conserved_from_raw",
        "Every raw establishment row is in staging or in quarantine, never both, never neither.",
        """select (select count(*) from raw.gias_establishments) as raw_rows,
                  (select count(*) from staging.gias_establishments) as staged,
                  (select count(*) from quarantine.gias_establishments) as quarantined
           where raw_rows <> staged + quarantined"""),
)


def evaluate(invariant: Invariant, con) -> AssetCheckResult:
    relation = con.sql(invariant.violations_sql)
    columns, rows = relation.columns, relation.fetchall()
    return AssetCheckResult(
        asset_key=invariant.asset_key, check_name=invariant.name, passed=not rows,
        severity=AssetCheckSeverity.ERROR if invariant.severity == "ERROR" else AssetCheckSeverity.WARN,
        metadata={"violations": len(rows),
                  "examples": MetadataValue.md(markdown_table(columns, rows[:EXAMPLES]) if rows else "none")},
    )


def build_table_checks(table: str, invariants: list[Invariant]) -> AssetChecksDefinition:
    """One step per table evaluating all its invariants (one check each in the UI)."""
    specs = [AssetCheckSpec(i.name, asset=i.asset_key, description=i.description, blocking=i.severity == "ERROR")
             for i in invariants]

    @multi_asset_check(specs=specs, name=f"invariants_{table.replace('.', '__')}",
                       description=f"Warehouse invariants of {table}")
    def table_checks(warehouse: WarehouseResource):
        with warehouse.get_connection() as con:
            for invariant in invariants:
                yield evaluate(invariant, con)

    return table_checks


def build_invariant_checks(known: set[AssetKey]) -> list[AssetChecksDefinition]:
    missing = [i.table for i in INVARIANTS if i.asset_key not in known]
    if missing:
        raise ValueError(f"invariants on tables no asset produces: {missing}")
    by_table: dict[str, list[Invariant]] = {}
    for invariant in INVARIANTS:
        by_table.setdefault(invariant.table, []).append(invariant)
    return [build_table_checks(table, invariants) for table, invariants in by_table.items()]
