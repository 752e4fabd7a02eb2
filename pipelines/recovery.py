"""Recovering from a crash: runs whose process is gone are marked failed and give back their slot.

A run killed outright (power cut, the OOM killer, a closed laptop) never reports its end, so
Dagster keeps it "started" and its slot in the ``warehouse`` pool stays taken: every later run
would wait for it for ever. Every run therefore records which process runs it (run tags: pid,
the machine's boot id, host; written when the warehouse resource is set up, before the first
step), and before a CLI run starts, and every 30 s in the UI's daemon (the ``recover_dead_runs``
sensor, for runs launched from the UI or a schedule), every run still marked in progress whose
process is gone is marked failed and its pool slots are freed.
Half-written published files (``published/.*.tmp``) of runs no longer in progress are removed.
"""

from __future__ import annotations

from pathlib import Path

from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

from school_groups.processes import PID, process_gone

IN_PROGRESS = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def end_run(instance: DagsterInstance, run, message: str) -> None:
    """Mark ``run`` failed with ``message`` and give back its slots in the warehouse pool."""
    instance.report_run_failed(run, message)
    instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)


def recover_dead_runs(instance: DagsterInstance, published_dir: Path | None = None,
                      exclude: str | None = None) -> list[str]:
    """Mark failed every run in progress whose process is gone, free its pool slots, and remove
    temp files in ``published_dir`` left by runs no longer in progress. Returns one line per
    thing done, for the log."""
    done = []
    live = set()
    for run in instance.get_runs(filters=RunsFilter(statuses=IN_PROGRESS)):
        if run.run_id == exclude or not process_gone(run.tags):
            live.add(run.run_id[:8])
            continue
        message = (f"run {run.run_id} (pid {run.tags[PID]}) stopped without reporting its end (its process is gone); "
                   "marked failed and its slot in the warehouse pool given back")
        end_run(instance, run, message)
        done.append(message)
    if published_dir is not None and published_dir.is_dir():
        for tmp in sorted(published_dir.glob(".*.tmp*")):
            if not any(stamp in tmp.name for stamp in live):
                tmp.unlink(missing_ok=True)
                done.append(f"removed {tmp.name}, left half-written in {published_dir} by a run that stopped")
    return done
