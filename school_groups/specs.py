"""Table specs: one ``dbt_like_sql/<layer>/<name>.yml`` per table, the one place a table is described.

A spec holds what dbt users know from ``schema.yml``: the table's description and grain, every
column with its description, its checks with their severity, and whether it is published.
Everything else is generated from the specs: the asset description and column schema in the
Dagster UI, the checks run inside the step that builds the table, ``COMMENT ON`` in both DuckDB
files, ``docs/DATA_DICTIONARY.md`` and the list of published tables. A SQL model is its ``.sql``
file plus its ``.yml``; a table written in Python (raw, meta, sampling) has a ``.yml`` only.

Checks come in two kinds, in one list:

- ``expect``: a Great Expectations expectation (class name and ``kwargs``) validated against the
  spec's ``frame``, a query giving the rows and columns the expectations look at. A ``kwargs``
  value written ``{sql: "select ..."}`` is computed when the check runs (today's date, the
  previous snapshot's rows); ``{name}`` in that query is the threshold of that name.
- ``violations``: a query returning the rows that break a rule; none means it holds.

``ERROR`` checks block what depends on the table and publication; ``WARN`` ones are advisory.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# libyaml's loader when PyYAML was built with it (ten times faster than the pure-Python one)
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from .settings import PROJECT_ROOT

SQL_ROOT = PROJECT_ROOT / "dbt_like_sql"
SEVERITIES = ("ERROR", "WARN")
TABLE_KEYS = {"table", "description", "grain", "published", "columns", "columns_note", "frame", "checks"}
CHECK_KEYS = {"name", "description", "severity", "expect", "kwargs", "violations", "message", "freshness", "parse_rate"}
# `freshness: <threshold>` on a raw table's check: the stale-snapshot rule, written once here
STALE_SNAPSHOT_SQL = Path(__file__).parent / "check_templates" / "stale_snapshot.sql"
# `parse_rate: {table: raw.x, columns: {"Published name": parser_macro}}`: the share of each column's
# given values its parser cannot read, per file, against parse_failure_share_max
PARSE_RATE_SQL = Path(__file__).parent / "check_templates" / "parse_rate.sql"
PARSE_RATE_MESSAGE = ("{column_name} in {file}: {unreadable} of {given} values given cannot be read ({unreadable_share}), "
                      "e.g. '{example}'; at most {share_max} may fail")
# values that say "no value" rather than failing to give one
NOT_GIVEN = ("", "NULL", "NA", "N/A", "SUPP", "NE", "x", "z", "..", "Not applicable", "Not recorded")
STALE_SNAPSHOT_MESSAGE = "newest snapshot {newest} is {age_days} days older than {reference}, {reference_date}; limit {limit_days}"
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class SpecError(ValueError):
    """A spec file that cannot be used, with the file and the entry at fault."""


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    severity: str = "ERROR"
    expect: str | None = None            # Great Expectations class, e.g. ExpectColumnValuesToBeUnique
    kwargs: dict = field(default_factory=dict)
    violations: str | None = None        # SQL returning the rows that break the rule
    # a plain sentence for a failure, filled from the first violating row's columns ({column})
    message: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity == "ERROR"


@dataclass(frozen=True)
class TableSpec:
    table: str                           # schema.table, also the asset key
    path: Path
    description: str
    grain: str
    published: bool
    columns: tuple[Column, ...]
    checks: tuple[Check, ...] = ()
    frame: str | None = None             # the rows the expectations look at
    columns_note: str = ""               # e.g. raw tables: "plus every column of the file, as text"

    @property
    def layer(self) -> str:
        return self.table.split(".")[0]

    @property
    def name(self) -> str:
        return self.table.split(".")[1]

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    @property
    def expectations(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.expect)

    @property
    def invariants(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.violations)


def _fail(path: Path, where: str, problem: str):
    raise SpecError(f"{path}: {where}: {problem}")


def _text(value, path: Path, where: str, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        _fail(path, where, "needs a text value")
    return " ".join(value.split()) if "\n" not in value.strip() else value.strip()


def _parse_rate_sql(rule, path: Path, name: str) -> str:
    """The parse-rate check's query: one union branch per column, from the template."""
    if not (isinstance(rule, dict) and isinstance(rule.get("table"), str) and isinstance(rule.get("columns"), dict)
            and rule["columns"]):
        _fail(path, f"check {name}", "parse_rate takes table (raw.<source>) and columns (published name: parser macro)")
    not_given = ", ".join(_literal(v) for v in NOT_GIVEN)
    branches = "\n    union all\n".join(
        f"    select _source_file as file, {_literal(column)} as column_name, \"{column}\" as raw_value, "
        f"{parser}(\"{column}\") is null as unreadable\n    from {rule['table']} where trim(\"{column}\") not in ({not_given})"
        for column, parser in rule["columns"].items())
    return PARSE_RATE_SQL.read_text(encoding="utf-8").format(branches=branches)


def _check(entry, path: Path, index: int) -> Check:
    where = f"checks[{index}]"
    if not isinstance(entry, dict):
        _fail(path, where, "each check is a mapping with name, description, severity and expect or violations")
    unknown = set(entry) - CHECK_KEYS
    if unknown:
        _fail(path, where, f"unknown keys {sorted(unknown)} (allowed: {sorted(CHECK_KEYS)})")
    name = entry.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        _fail(path, where, f"name {name!r} must be snake_case")
    severity = entry.get("severity", "ERROR")
    if severity not in SEVERITIES:
        _fail(path, f"check {name}", f"severity {severity!r} is not one of {SEVERITIES}")
    if "freshness" in entry:
        rule = entry["freshness"] if isinstance(entry["freshness"], dict) else {"threshold": entry["freshness"]}
        sources = [path.stem, *rule.get("or_newer_from", [])]
        if entry.get("expect") or entry.get("violations") or not NAME.match(str(rule.get("threshold"))) \
                or not all(NAME.match(str(s)) for s in sources):
            _fail(path, f"check {name}", "freshness takes a threshold name (or threshold and or_newer_from: [sources]), "
                                         "and no 'expect' or 'violations'")
        template = STALE_SNAPSHOT_SQL.read_text(encoding="utf-8")
        entry = {**entry, "violations": template.format(sources=", ".join(map(_literal, sources)),
                                                        limit=rule["threshold"]),
                 "message": entry.get("message", STALE_SNAPSHOT_MESSAGE)}
    if "parse_rate" in entry:
        entry = {**entry, "violations": _parse_rate_sql(entry["parse_rate"], path, name),
                 "message": entry.get("message", PARSE_RATE_MESSAGE)}
    if bool(entry.get("expect")) == bool(entry.get("violations")):
        _fail(path, f"check {name}", "give exactly one of 'expect' (a Great Expectations class), 'violations' (SQL) "
                                     "or 'freshness' (a threshold)")
    kwargs = entry.get("kwargs") or {}
    if not isinstance(kwargs, dict):
        _fail(path, f"check {name}", "kwargs must be a mapping")
    return Check(name=name, description=_text(entry.get("description"), path, f"check {name} description"),
                 severity=severity, expect=entry.get("expect"), kwargs=kwargs,
                 violations=(entry.get("violations") or "").strip() or None,
                 message=_text(entry["message"], path, f"check {name} message") if "message" in entry else None)


def parse_spec(path: Path) -> TableSpec:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise SpecError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        _fail(path, "top level", "a spec is a mapping (table, description, grain, published, columns, checks)")
    unknown = set(data) - TABLE_KEYS
    if unknown:
        _fail(path, "top level", f"unknown keys {sorted(unknown)} (allowed: {sorted(TABLE_KEYS)})")
    table = data.get("table")
    expected = f"{path.parent.name}.{path.stem}"
    if table != expected:
        _fail(path, "table", f"is {table!r}; the file's place says {expected!r}")
    if not isinstance(data.get("published"), bool):
        _fail(path, "published", "must be true or false")
    columns = []
    for i, entry in enumerate(data.get("columns") or []):
        if not isinstance(entry, dict) or set(entry) - {"name", "description"} or not entry.get("name"):
            _fail(path, f"columns[{i}]", "each column is {name, description}")
        columns.append(Column(str(entry["name"]), _text(entry.get("description"), path, f"column {entry['name']}")))
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        _fail(path, "columns", f"listed twice: {sorted({n for n in names if names.count(n) > 1})}")
    checks = tuple(_check(entry, path, i) for i, entry in enumerate(data.get("checks") or []))
    check_names = [c.name for c in checks]
    if len(set(check_names)) != len(check_names):
        _fail(path, "checks", f"names used twice: {sorted({n for n in check_names if check_names.count(n) > 1})}")
    frame = (data.get("frame") or "").strip() or None
    if any(c.expect for c in checks) and not frame:
        _fail(path, "frame", "expectations need a frame: the query whose rows they look at")
    return TableSpec(table=table, path=path, description=_text(data.get("description"), path, "description"),
                     grain=_text(data.get("grain"), path, "grain"), published=data["published"],
                     columns=tuple(columns), checks=checks, frame=frame,
                     columns_note=_text(data.get("columns_note"), path, "columns_note", required=False))


def load_specs(root: Path = SQL_ROOT) -> dict[str, TableSpec]:
    """Every spec under ``root``, keyed by schema.table. A ``.sql`` model without its ``.yml``
    is an error: a table is never built undocumented."""
    return _load_specs(Path(root).resolve())


@functools.cache
def _load_specs(root: Path) -> dict[str, TableSpec]:
    specs = {}
    for path in sorted(root.glob("*/*.yml")):
        spec = parse_spec(path)
        specs[spec.table] = spec
    orphans = [str(p) for p in sorted(root.glob("*/*.sql")) if f"{p.parent.name}.{p.stem}" not in specs]
    if orphans:
        raise SpecError(f"SQL models without a spec (.yml beside them): {orphans}")
    return specs


def published_tables(root: Path = SQL_ROOT) -> tuple[str, ...]:
    return tuple(t for t, s in load_specs(root).items() if s.published)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def apply_comments(con, spec: TableSpec, catalog: str | None = None) -> None:
    """``COMMENT ON`` the table and each of its documented columns that exists (in ``catalog``
    when given, e.g. the attached published file)."""
    prefix = f"{catalog}." if catalog else ""
    table = f'{prefix}{spec.layer}."{spec.name}"'
    con.execute(f"comment on table {table} is {_literal(f'{spec.description} Grain: {spec.grain}')}")
    existing = {r[0] for r in con.execute(f"describe {table}").fetchall()}
    for column in spec.columns:
        if column.name in existing:
            con.execute(f'comment on column {table}."{column.name}" is {_literal(column.description)}')
