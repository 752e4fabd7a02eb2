"""Evaluate a table's checks (its spec's ``checks``) against the warehouse: plain data out.

Expectations are validated with Great Expectations on one pandas batch of the spec's ``frame``
(pandas only here, at the GE boundary); invariants are queries whose rows break the rule. A
table's outcomes are stored in ``meta.check_state`` with the fingerprint of everything they
depend on (the check definitions with their computed parameters, the thresholds they use and
the content of every table they read): when that is unchanged the stored outcomes are reused
instead of validating again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

import duckdb

from .specs import Check, TableSpec
from .sql_runner import create_macros, input_fingerprint, tables_read
from .vocabulary import terms

EXAMPLES = 5
CHECK_STATE_DDL = """
create schema if not exists meta;
create table if not exists meta.check_state (suite varchar primary key, fingerprint varchar, results json,
                                             run_id varchar, evaluated_at timestamptz);
"""


@dataclass
class Outcome:
    name: str
    passed: bool
    severity: str
    description: str
    metadata: dict = field(default_factory=dict)


def reference_values(day: date | None = None, label: str = "today") -> dict[str, tuple[str, str]]:
    """``{reference_date}`` and ``{reference_label}`` for checks' SQL, as SQL literals: the date a
    source's age is measured at (today, or an offline mirror's own date). The date is in the query's
    text, so its fingerprint changes with it and a stored outcome is not reused on another day."""
    day = day or date.today()
    return {"reference_date": (f"date '{day.isoformat()}'", "date ages are measured at"),
            "reference_label": ("'" + label.replace("'", "''") + "'", "what that date is")}


def threshold_sql(sql: str, thresholds: dict[str, tuple[float, str]], where: str) -> str:
    """``{name}`` in a check's SQL is the threshold of that name; an unknown name is an error.
    The reference placeholders default to today (see reference_values)."""
    try:
        return sql.format(**{k: v for k, (v, _) in (reference_values() | thresholds).items()})
    except KeyError as exc:
        raise KeyError(f"{where}: {exc.args[0]!r} is not a threshold in thresholds.toml") from None


def resolve(value, con: duckdb.DuckDBPyConnection, thresholds: dict, where: str):
    """A check parameter: literal, a list from the vocabulary (``{vocabulary: name}``, with
    ``or_null: true`` to allow NULL), or ``{sql: ...}`` computed now."""
    if isinstance(value, dict) and "vocabulary" in value:
        return [*terms(value["vocabulary"]), *([None] if value.get("or_null") else [])]
    if isinstance(value, dict) and set(value) == {"sql"}:
        value = con.execute(threshold_sql(value["sql"], thresholds, where)).fetchall()[0][0]
    # DuckDB dates reach pandas as datetime64: compare like with like.
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    return value


def resolved_kwargs(check: Check, con, thresholds: dict, table: str) -> dict:
    return {k: resolve(v, con, thresholds, f"{table} check {check.name} {k}") for k, v in check.kwargs.items()}


def _jsonable(value):
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple, dict, str)) and pd.isna(value)):
        return None
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value[:EXAMPLES]]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


@functools.cache
def _gx_batches():
    """One ephemeral GE context per process, with one dataframe asset reused for every table:
    making a context, or adding and deleting an asset (GE saves its project config each time),
    costs more than most validations."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")   # GE reads this switch only from the environment
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.execution_engine import pandas_execution_engine

    # GE fingerprints every pandas batch under 1 GB (pd.util.hash_pandas_object) only to label it;
    # nothing of ours reads the label, and on the national mirror the hashing alone took about 5 s
    # (bench/ge_validation.py). 0 turns it off; the outcomes are identical.
    pandas_execution_engine.HASH_THRESHOLD = 0
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = context.data_sources.add_pandas("warehouse")
    return source.add_dataframe_asset("table").add_batch_definition_whole_dataframe("all")


def validate_expectations(spec: TableSpec, con, thresholds: dict) -> list[Outcome]:
    """The spec's expectations, validated as one suite on one pandas batch of its frame."""
    if not spec.expectations:
        return []
    import great_expectations as gx
    import great_expectations.expectations as gxe

    frame = _vectorisable(con.sql(threshold_sql(spec.frame, thresholds, f"{spec.path} frame")).df())
    batch = _gx_batches().get_batch(batch_parameters={"dataframe": frame})
    suite = gx.ExpectationSuite(name=spec.table, expectations=[
        getattr(gxe, check.expect)(**resolved_kwargs(check, con, thresholds, spec.table), meta={"check": check.name})
        for check in spec.expectations])
    by_name = {r.expectation_config.meta["check"]: r
               for r in batch.validate(suite, result_format={"result_format": "SUMMARY"}).results}
    return [_expectation_outcome(check, by_name[check.name], len(frame)) for check in spec.expectations]


def _vectorisable(frame):
    """DuckDB hands pandas dates as datetime64[us] and INTEGER as int32; GE compares only int64,
    float64 and datetime64[ns] columns as whole arrays, and everything else one Python call per
    value (2 of the 7 s spent validating on the national mirror). Same values, wider types."""
    import numpy as np

    for column, dtype in frame.dtypes.items():
        if not isinstance(dtype, np.dtype):
            continue
        if dtype.kind == "M" and dtype != np.dtype("datetime64[ns]"):
            try:
                frame[column] = frame[column].astype("datetime64[ns]")
            except (OverflowError, ValueError):     # a date past 2262 does not fit: compared the slow way
                pass
        elif (dtype.kind == "i" or (dtype.kind == "u" and dtype.itemsize < 8)) and dtype != np.dtype("int64"):
            frame[column] = frame[column].astype("int64")
    return frame


def _expectation_outcome(check: Check, result_of, rows: int) -> Outcome:
    result = result_of.result or {}
    meta = {"expectation": check.expect, "rows": rows}
    for key in ("observed_value", "unexpected_count", "unexpected_percent"):
        if result.get(key) is not None:
            meta[key] = _jsonable(result[key])
    error = (result_of.exception_info or {}).get("exception_message") if not result_of.success else None
    if error:
        meta["error"] = str(error)[:500]
    if result.get("partial_unexpected_list"):
        meta["failing_examples"] = _jsonable(result["partial_unexpected_list"])
    if not result_of.success:
        meta["summary"] = expectation_sentence(check, meta)
    return Outcome(check.name, bool(result_of.success), check.severity, check.description, meta)


def evaluate_invariant(check: Check, con, thresholds: dict, table: str) -> Outcome:
    relation = con.sql(threshold_sql(check.violations, thresholds, f"{table} check {check.name}"))
    columns, rows = relation.columns, relation.fetchall()
    meta = {"violations": len(rows), "columns": list(columns),
            "examples": [[_jsonable(v) for v in row] for row in rows[:EXAMPLES]]}
    if rows:
        meta["summary"] = invariant_sentence(check, columns, rows)
    return Outcome(check.name, not rows, check.severity, check.description, meta)


def plain(value, grouping: bool = True) -> str:
    """A value as a reader would write it: 31 Aug 2019, 2,644 (123456 with grouping off, for
    identifiers such as URNs), 0.0042, yes."""
    if isinstance(value, datetime):
        value = value.date() if value.time() == time() else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value.day} {value:%b %Y}"
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no", None: "none"}[value]
    if isinstance(value, int):
        return f"{value:,}" if grouping else str(value)
    if isinstance(value, float):
        return (f"{value:,.0f}" if grouping else f"{value:.0f}") if abs(value) >= 100 else f"{value:.3g}"
    return str(value)


def invariant_sentence(check: Check, columns: list[str], rows: list[tuple]) -> str:
    """A failed rule in one sentence: its message filled from the first violating row, or the rule
    and that row's values."""
    first = dict(zip(columns, rows[0]))
    more = f" (and {len(rows) - 1:,} more)" if len(rows) > 1 else ""
    if check.message:
        return check.message.format(**{k: plain(v, grouping=not _identifier(k)) for k, v in first.items()}) + more
    shown = ", ".join(f"{k} {plain(v, grouping=not _identifier(k))}" for k, v in list(first.items())[:4])
    return f"{check.description.rstrip('.')}: {len(rows):,} row(s) break it, e.g. {shown}" + more


def _identifier(column: str) -> bool:
    """Columns holding codes, where 1,234 would misread: URNs, UIDs, inspection numbers, LA codes."""
    return any(part in column for part in ("urn", "uid", "number", "code", "key", "id"))


def expectation_sentence(check: Check, meta: dict) -> str:
    """A failed expectation in one sentence: how many rows fail, with examples, or what was observed."""
    rule = check.description.rstrip(".")
    if meta.get("error"):
        return f"{rule}: could not be checked ({meta['error'][:200]})"
    count = meta.get("unexpected_count")
    if count:
        share = meta.get("unexpected_percent")
        column = str(check.kwargs.get("column", ""))
        examples = ", ".join(plain(v, grouping=not _identifier(column)) for v in (meta.get("failing_examples") or [])[:3])
        return (f"{rule}: {count:,} of {meta.get('rows', 0):,} rows do not"
                + (f" ({share:.1f}%)" if share is not None and share >= 0.1 else " (under 0.1%)" if share else "")
                + (f", e.g. {examples}" if examples else ""))
    if "observed_value" in meta:
        return f"{rule}: observed {plain(meta['observed_value'])}"
    return f"{rule}: failed"


def column_drift(spec: TableSpec, con) -> dict[str, list[str]]:
    """Columns the built table has that its spec does not describe, and described ones it lacks
    (reported with every build; tests/test_sql_models.py fails on either)."""
    actual = [r[0] for r in con.execute(f'describe {spec.layer}."{spec.name}"').fetchall()]
    documented = [c.name for c in spec.columns]
    return {"undocumented": [c for c in actual if c not in documented and not spec.columns_note],
            "described_but_missing": [c for c in documented if c not in actual]}


def check_reads(spec: TableSpec) -> set[tuple[str, str]]:
    """Tables the checks' queries read besides the table itself: the step that runs them must
    come after those tables are built."""
    read = set()
    for query in [spec.frame, *(c.violations for c in spec.invariants)]:
        if query:
            read |= set(tables_read(re.sub(r"\{[a-z_]+\}", "0", query), spec.path))
    return read - {(spec.layer, spec.name)}


def fingerprint(spec: TableSpec, con, thresholds: dict, checks: list[Check], queries: list[str]) -> str:
    """What the outcomes of ``checks`` depend on: their definitions with computed parameters, the
    thresholds, and the content fingerprints of the table and every table ``queries`` read."""
    parts = [*queries, repr(sorted((k, v) for k, (v, _) in thresholds.items()))]
    for check in checks:
        parts.append(repr((check.name, check.expect, check.severity, check.message,
                           sorted((k, repr(v)) for k, v in resolved_kwargs(check, con, thresholds, spec.table).items()))))
    read = {(spec.layer, spec.name)}
    for query in queries:
        read |= set(tables_read(threshold_sql(query, thresholds, str(spec.path)), spec.path))
    parts += [input_fingerprint(con, schema, table) for schema, table in sorted(read)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def evaluate(spec: TableSpec, con, thresholds: dict, run_id: str) -> list[tuple[Outcome, str | None]]:
    """Every check of the table, each with the run whose stored outcome was reused (None if
    validated now).

    Expectations and invariants are stored apart, each under the fingerprint of what it reads: a
    raw table's freshness invariant reads the whole manifest, which changes as later sources load
    in the same run; stored together, that made the next run validate the raw tables' expectations
    again (importing Great Expectations: 4 of a 13 s rerun) although not one of their inputs changed."""
    con.execute(CHECK_STATE_DDL)
    create_macros(con)      # invariants may call the models' macros (grade_1_to_4)
    parts = [(spec.table, spec.expectations, [spec.frame] if spec.expectations else [],
              lambda: validate_expectations(spec, con, thresholds)),
             (f"{spec.table} invariants", spec.invariants, [c.violations for c in spec.invariants],
              lambda: [evaluate_invariant(c, con, thresholds, spec.table) for c in spec.invariants])]
    results = []
    for suite, checks, queries, validate in parts:
        if not checks:
            continue
        key = fingerprint(spec, con, thresholds, checks, queries)
        stored = con.execute("select fingerprint, results, run_id from meta.check_state where suite = ?",
                             [suite]).fetchall()
        if stored and stored[0][0] == key:
            results += [(Outcome(**o), stored[0][2]) for o in json.loads(stored[0][1])]
            continue
        outcomes = validate()
        con.execute("insert or replace into meta.check_state values (?, ?, ?, ?, now())",
                    [suite, key, json.dumps([o.__dict__ for o in outcomes], default=str), run_id])
        results += [(o, None) for o in outcomes]
    return results
