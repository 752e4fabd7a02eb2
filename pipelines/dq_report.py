"""A data-quality report per run: every check evaluated in the run and its result.

Written to ``$SCHOOL_GROUPS_HOME/reports/`` (one file per run plus ``latest.md``) by the CLI
after an in-process run and by run-status sensors for runs launched from the UI.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

from dagster import DagsterEventType, DagsterInstance

from school_groups.markdown import markdown_table
from school_groups.quality import plain
from school_groups.transactions import naming_the_path


# errors raised to name a path first over the low-level error they wrap: report them, not their cause
NAMED_ERRORS = {"StorageError"}


def root_cause(error) -> str:
    """The innermost error's message, which names the file, row or check (Dagster wraps it in
    "Error occurred while executing op ...")."""
    while error is not None and error.cause is not None and error.cls_name not in NAMED_ERRORS:
        error = error.cause
    if error is None:
        return ""
    text = " ".join(line.strip() for line in error.message.strip().splitlines())
    # "school_groups.transactions.StorageError: /path: ..." -> "/path: ...": the file comes first
    if error.cls_name:
        text = re.sub(rf"^[\w.]*\b{re.escape(error.cls_name)}: ", "", text)
    return text or error.cls_name or ""


def report_rows(instance: DagsterInstance, run_id: str) -> tuple[list[tuple], list[str]]:
    """Every check evaluated in the run, failures first (blocking before advisory), then by table
    and name: (table, check, result, severity, violations, observed, sentence); and failed steps."""
    checks, failures = [], []
    for entry in instance.all_logs(run_id, of_type={DagsterEventType.ASSET_CHECK_EVALUATION,
                                                    DagsterEventType.STEP_FAILURE}):
        event = entry.dagster_event
        if event.event_type == DagsterEventType.STEP_FAILURE:
            failures.append(f"{event.step_key}: {root_cause(event.step_failure_data.error)[:500]}")
            continue
        evaluation = event.event_specific_data
        meta = evaluation.metadata
        violations = meta.get("violations") or meta.get("unexpected_count")
        observed = meta.get("observed_value") or meta.get("unexpected_percent")
        sentence = meta.get("summary")
        checks.append((evaluation.asset_key.to_user_string().replace("/", "."), evaluation.check_name,
                       "passed" if evaluation.passed else "FAILED", evaluation.severity.value,
                       "" if violations is None else rounded(violations.value),
                       "" if observed is None else rounded(observed.value),
                       "" if evaluation.passed else (sentence.value if sentence else evaluation.description or "")))
    order = {("FAILED", "ERROR"): 0, ("FAILED", "WARN"): 1}
    return sorted(checks, key=lambda c: (order.get((c[2], c[3]), 2), c[0], c[1])), failures


def rounded(value):
    """Numbers as a reader wants them: 0.004152766434573165 -> 0.0042, 24496 -> 24,496."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    return plain(value) if isinstance(value, int) or abs(value) >= 100 else f"{value:.2g}"


def failure_counts(checks: list[tuple]) -> tuple[int, int]:
    """(blocking, warning) failed checks among ``report_rows``' checks."""
    blocking = sum(1 for c in checks if c[2] == "FAILED" and c[3] == "ERROR")
    return blocking, sum(1 for c in checks if c[2] == "FAILED") - blocking


def failed_check_lines(checks: list[tuple]) -> list[str]:
    """One line per failed check, blocking first: 'BLOCKING table check: sentence'."""
    return [f"{'BLOCKING' if c[3] == 'ERROR' else 'warning '} {c[0]} {c[1]}: {c[6]}" for c in checks if c[2] == "FAILED"]


def render(instance: DagsterInstance, run_id: str, rows: tuple[list[tuple], list[str]] | None = None) -> str:
    """The report's markdown, from ``report_rows`` (read from the run's log if not given)."""
    run = instance.get_run_by_id(run_id)
    checks, failures = rows or report_rows(instance, run_id)
    blocking, warning = failure_counts(checks)
    lines = [f"# Data-quality report, run {run_id}", "",
             f"Job `{run.job_name if run else '?'}`, status {run.status.value if run else '?'}, "
             f"written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.", "",
             f"{len(checks)} checks evaluated: {len(checks) - blocking - warning} passed, {blocking + warning} failed "
             f"({blocking} blocking).", ""]
    if failures:
        lines += ["## Failed steps", "", *[f"- {f}" for f in failures], ""]
    if blocking + warning:
        lines += ["## Failed checks", "", *[f"- {line}" for line in failed_check_lines(checks)], ""]
    lines += ["## Every check", "", markdown_table(["table", "check", "result", "severity", "violations", "observed"],
                                                   [c[:6] for c in checks]) if checks else "No checks ran in this run."]
    return "\n".join(lines) + "\n"


def write_report(instance: DagsterInstance, run_id: str, home: Path) -> tuple[Path, list[tuple]]:
    """Write the run's report (and latest.md), tag the run with its failed-check counts so the UI's
    run list shows them beside the status; returns the report's path and the checks (``report_rows``)."""
    out = home / "reports"
    out.mkdir(parents=True, exist_ok=True)
    rows = report_rows(instance, run_id)        # the run's event log, read once
    text = render(instance, run_id, rows)
    blocking, warning = failure_counts(rows[0])
    instance.add_run_tags(run_id, {"school_groups/failed_checks": f"{blocking} blocking, {warning} warning"})
    path = out / f"dq-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{run_id[:8]}.md"
    for target in (path, out / "latest.md"):
        write_whole(target, text)
    return path, rows[0]


def write_whole(path: Path, text: str) -> None:
    """Write beside ``path``, then rename: a full disk leaves the previous file whole (opening it for
    writing would have emptied it), and the error names the path (StorageError)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")    # the CLI and the daemon's sensor may both write
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise naming_the_path(exc, path, "writing the data-quality report") from exc
