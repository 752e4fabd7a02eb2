"""A table's spec as Dagster sees it: the checks its step declares and yields, its column schema.

Checks run inside the step that builds their table (``check_specs`` on the asset): no separate
check step, so an unchanged table costs no extra step, and a blocking (ERROR) failure fails the
step after the table is written, which stops everything downstream and the publication.
"""


from dagster import AssetCheckResult, AssetCheckSeverity, AssetCheckSpec, AssetKey, MetadataValue, TableColumn, TableSchema

from school_groups.markdown import markdown_table
from school_groups.quality import Outcome, column_drift, evaluate, reference_values
from school_groups.sources.locate import mirror_date
from school_groups.settings import Settings
from school_groups.specs import TableSpec, load_specs


def table_key(table: str) -> AssetKey:
    return AssetKey(table.split("."))


def check_specs(spec: TableSpec) -> list[AssetCheckSpec]:
    key = table_key(spec.table)
    return [AssetCheckSpec(c.name, asset=key, description=c.description, blocking=c.blocking) for c in spec.checks]


def column_schema(spec: TableSpec, types: dict[str, str] | None = None) -> TableSchema:
    """The spec's columns with their descriptions (and the built table's types when known)."""
    types = types or {}
    return TableSchema(columns=[TableColumn(c.name, types.get(c.name, "?"), description=c.description)
                                for c in spec.columns])


def asset_description(spec: TableSpec) -> str:
    note = f"\n\n{spec.columns_note}" if spec.columns_note else ""
    return f"{spec.description}\n\nGrain: {spec.grain}{note}"


def definition_metadata(spec: TableSpec) -> dict:
    return {"dagster/column_schema": column_schema(spec), "spec_file": spec.path.name, "published": spec.published}


def spec_asset(table: str) -> dict:
    """``@asset`` arguments of a table written in Python, from its spec: key, description,
    column schema and checks."""
    spec = load_specs()[table]
    return {"key": table_key(table), "description": asset_description(spec), "check_specs": check_specs(spec),
            "metadata": definition_metadata(spec)}


def _result(spec: TableSpec, outcome: Outcome, reused_from: str | None) -> AssetCheckResult:
    meta = {}
    for key, value in outcome.metadata.items():
        if key == "examples":
            value = MetadataValue.md(markdown_table(outcome.metadata.get("columns", []), value) if value else "none")
        elif key == "columns":
            continue
        elif isinstance(value, (list, dict)):
            value = MetadataValue.json(value)
        meta[key] = value
    if reused_from:
        meta["reused_from_run"] = reused_from      # same inputs, same answer: not validated again
    return AssetCheckResult(
        asset_key=table_key(spec.table), check_name=outcome.name, passed=outcome.passed, metadata=meta,
        severity=AssetCheckSeverity.ERROR if outcome.severity == "ERROR" else AssetCheckSeverity.WARN,
        description=outcome.description)


def freshness_reference(settings: Settings) -> dict:
    """Ages are measured at today for downloads; for an offline mirror (or the bundled sample) at
    the mirror's own date, so a mirror copied once does not fail its freshness checks for ever."""
    if settings.mode == "live":
        return reference_values()
    return reference_values(mirror_date(settings.mirror_dir), "the mirror's newest file")


def run_checks(spec: TableSpec | str, con, settings: Settings, run_id: str, log=None) -> list[AssetCheckResult]:
    """The table's checks, and a warning in the run's log when its columns and its spec disagree
    (not a check of its own: every check costs the run a few event-log writes)."""
    spec = load_specs()[spec] if isinstance(spec, str) else spec
    drift = {k: v for k, v in column_drift(spec, con).items() if v}
    if drift and log is not None:
        log.warning(f"{spec.table}: columns and {spec.path.name} disagree: {drift}")
    evaluated = evaluate(spec, con, settings.thresholds | freshness_reference(settings), run_id)
    return [_result(spec, outcome, reused_from) for outcome, reused_from in evaluated]
