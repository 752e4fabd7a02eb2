"""Command line: run the pipeline in-process and print what the warehouse holds.

    python -m pipelines.cli demo       # a synthetic national-scale mirror (generated once), no network
    python -m pipelines.cli demo --sample real   # the bundled real excerpts instead
    python -m pipelines.cli run        # whatever SCHOOL_GROUPS_SOURCE says (default live)
    python -m pipelines.cli summary    # what the warehouse holds now

Runs are recorded in a persistent Dagster instance ($SCHOOL_GROUPS_HOME/dagster_home unless
DAGSTER_HOME is set), so they show in the UI started with ``scripts/dev.py ui``.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

# The first words of the instance file this project writes: a file that starts with them is ours to
# update, any other is the user's own and left alone.
MARK = "# Written by school-groups-warehouse"
INSTANCE_YAML = MARK + """ (rewritten when this project's version of it changes; remove
# this first line to keep your own). DuckDB allows one writer per file: at most one run at a time,
# and one step at a time in the 'warehouse' pool.
concurrency:
  runs:
    max_concurrent_runs: 1
  pools:
    default_limit: 1
# With the daemon running (scripts/dev.py ui): a run whose worker never started is failed after
# start_timeout_seconds, a run past its dagster/max_runtime tag (2 hours: one waiting behind another
# run, or hung) is ended with that reason, and the pool slots of ended runs are given back.
run_monitoring:
  enabled: true
  start_timeout_seconds: 180
  poll_interval_seconds: 60
  free_slots_after_run_end_seconds: 60
telemetry:
  enabled: false
"""


def writable(directory: Path) -> Path:
    """Create ``directory`` if needed and prove it can be written, or stop naming it."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise SystemExit(f"{directory}: cannot write here ({exc.strerror or exc}); set SCHOOL_GROUPS_HOME to a "
                         "folder you can write to") from None
    return directory


def prepare_environment() -> Path:
    """Create the home and the Dagster home (with its instance settings) before any run."""
    from school_groups.settings import load_settings

    settings = load_settings()
    writable(settings.home)
    dagster_home = writable(Path(os.environ.get("DAGSTER_HOME") or settings.home / "dagster_home"))
    config = dagster_home / "dagster.yaml"
    current = config.read_text() if config.exists() else None
    if current is None or (current != INSTANCE_YAML and current.startswith(MARK)):
        config.write_text(INSTANCE_YAML)
    return dagster_home


DEMO_SEED = 42


def prepare_demo_source(sample: str) -> str:
    """The demo's source (the bundled sample or a generated mirror), saying which one it is."""
    if sample == "real":
        print("sample: the bundled real excerpts in sample_data/ (small; see sample_data/SOURCES.md)")
        return "sample"
    from school_groups.settings import load_settings
    from synthetic.generate import TRUTH_FILE, generate, is_current

    mirror = load_settings().home / f"mirror-national-{DEMO_SEED}"
    if not is_current(mirror):
        print(f"generating the synthetic national-scale mirror (seed {DEMO_SEED}) in {mirror} ...", flush=True)
        generate("national", DEMO_SEED, mirror, progress=lambda line: print(line, flush=True))
    print(f"sample: synthetic national-scale mirror, seed {DEMO_SEED}, at {mirror}\n"
          f"        (upstream file names and formats; planted patterns in {mirror / TRUTH_FILE}).\n"
          "        For the bundled real excerpts instead: python3 scripts/dev.py demo --sample real")
    return str(mirror)


def run_job(job_name: str, source: str | None = None) -> tuple[bool, list[str]]:
    """Run the job in this process; returns whether it succeeded and the closing lines for the
    console (its outcome and every failed check, blocking first, each in one sentence)."""
    from dagster import DagsterInstance, RunsFilter

    from pipelines.build import build_defs
    from pipelines.recovery import IN_PROGRESS, end_run, recover_dead_runs
    from school_groups.processes import PID, process_tags
    from pipelines.dq_report import failed_check_lines, failure_counts, report_rows, root_cause, write_report
    from school_groups.transactions import StorageError, naming_the_path
    from school_groups.settings import load_settings

    settings = load_settings(**({"source": source} if source else {}))
    job = build_defs(settings).resolve_job_def(job_name)
    with DagsterInstance.from_config(str(prepare_environment())) as instance:
        for line in recover_dead_runs(instance, settings.published_dir):
            print(f"recovered: {line}", flush=True)
        running = instance.get_runs(filters=RunsFilter(statuses=IN_PROGRESS))
        if running:
            # DuckDB has one writer per file: refuse at once rather than wait behind another run
            print(f"another run (id {running[0].run_id}) is writing the warehouse; run again when it has "
                  "finished (if no run is going on, end it under Runs in the UI)", file=sys.stderr)
            return False, []
        try:
            result = job.execute_in_process(
                instance=instance, raise_on_error=False, tags=process_tags(),
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}})
        except KeyboardInterrupt:
            # SIGINT or SIGTERM: this process's run is ended as failed, its slot given back
            for run in instance.get_runs(filters=RunsFilter(statuses=IN_PROGRESS, tags={PID: str(os.getpid())})):
                end_run(instance, run, "stopped by a signal (Ctrl-C or SIGTERM)")
            print("stopped: the run was ended as failed and its slot given back; nothing published changed",
                  file=sys.stderr)
            raise SystemExit(130) from None
        try:
            report, checks = write_report(instance, result.run_id, settings.home)
        except Exception as exc:
            # the disk that failed the run may not take the report either: the closing lines still come
            named = naming_the_path(exc, settings.home / "reports", "writing the data-quality report")
            if not isinstance(named, StorageError):
                raise
            report, checks = f"not written ({named})", report_rows(instance, result.run_id)[0]
    failed = failed_check_lines(checks)
    blocking, warning = failure_counts(checks)
    closing = [f"run {result.run_id}: {'succeeded' if result.success else 'FAILED'}; {len(checks)} checks, "
               + (f"{len(failed)} failed ({blocking} blocking, {warning} warning):" if failed else "all passed")]
    closing += [f"  {line}" for line in failed]
    if not result.success:
        closing += [f"FAILED {event.step_key}: {root_cause(event.step_failure_data.error)}"
                    for event in result.all_events if event.is_step_failure]
    closing.append(f"data-quality report: {report}")
    return result.success, closing


def summary(source: str | None = None) -> str:
    import duckdb

    from school_groups.settings import load_settings
    from school_groups.sources.fetch import SYNTHETIC_MARKER, synthetic_generator

    settings = load_settings(**({"source": source} if source else {}))
    lines = [f"source mode:  {settings.mode} ({settings.source})"]
    marker = settings.mirror_dir / SYNTHETIC_MARKER if settings.mirror_dir else None
    if marker is not None and marker.is_file():
        made = synthetic_generator(marker)
        lines.append(f"SYNTHETIC DATA: made-up schools and groups, for demonstration only ({made['generator']} "
                     f"version {made['generator_version']}, {made['scale']} scale, seed {made['seed']}); "
                     "no figure describes a real school or group")
    if not settings.warehouse_path.exists():
        return "\n".join(lines + [f"no warehouse yet at {settings.warehouse_path}"])
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() order by schema_name, table_name").fetchall()
        lines.append("")
        lines.append(f"{'table':45} {'rows':>10} {'snapshots':>10}")
        for schema, table in tables:
            name = f'{schema}."{table}"'
            rows = con.execute(f"select count(*) from {name}").fetchall()[0][0]
            cols = {r[0] for r in con.execute(f"describe {name}").fetchall()}
            snaps = (con.execute(f"select count(distinct _snapshot_date) from {name}").fetchall()[0][0]
                     if "_snapshot_date" in cols else "")
            lines.append(f"{schema + '.' + table:45} {rows:>10,} {snaps:>10}")
    finally:
        con.close()
    lines += [
        "",
        f"warehouse:    {settings.warehouse_path}",
        f"downloads:    {settings.downloads_dir}",
        f"published:    {settings.published_dir}   (Parquet + read-only published.duckdb for readers)",
        f"reports:      {settings.home / 'reports'}",
        f"dagster home: {prepare_environment()}",
        "",
        "query it:     .venv/bin/python -c \"import duckdb; "
        f"print(duckdb.connect('{settings.warehouse_path}', read_only=True).sql('from raw.source_files'))\"",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.cli", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run every asset on a sample (no network)")
    demo.add_argument("--sample", choices=["national", "real"], default="national",
                      help="national: synthetic national-scale mirror (default); real: bundled real excerpts")
    run = sub.add_parser("run", help="run a job with the configured source")
    run.add_argument("--job", default="full_refresh", choices=["full_refresh", "gias_refresh", "ofsted_refresh"])
    sub.add_parser("summary", help="print the warehouse's tables and row counts")
    args = parser.parse_args(argv)

    # SIGTERM (a service manager, `kill`) stops the run as Ctrl-C does, instead of leaving it "started"
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    prepare_environment()
    source = prepare_demo_source(args.sample) if args.command == "demo" else None
    ok, closing = True, []
    if args.command in ("demo", "run"):
        ok, closing = run_job("full_refresh" if args.command == "demo" else args.job, source)
    print(summary(source))
    # at the end, where an operator looks: the run's outcome and what failed, then the readers' report
    if closing:
        print("", *closing, sep="\n", file=sys.stdout if ok else sys.stderr, flush=True)
    report = latest_report()
    if report:
        print(f"\nreport:       {report}   (open it in a browser; works offline)")
    return 0 if ok else 1


def latest_report() -> Path | None:
    """The readers' report of the newest period, if one was written."""
    from school_groups.settings import load_settings

    path = load_settings().report_dir / "latest.html"
    return path if path.exists() else None


if __name__ == "__main__":
    raise SystemExit(main())
