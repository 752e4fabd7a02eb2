"""Runs launched from the UI or a schedule: a run records its process before its first step, and the
daemon's ``recover_dead_runs`` sensor ends a run whose process is gone, even while no new run can
start (a dead run still counted as in progress keeps the queued ones waiting)."""

import os
import subprocess
import uuid

from dagster import (AssetExecutionContext, DagsterInstance, DagsterRunStatus, asset, build_sensor_context,
                     materialize)
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.test_utils import instance_for_test

from pipelines.resources import WarehouseResource
from pipelines.sensors import recover_dead_runs_sensor
from school_groups.processes import PID, process_tags
from school_groups.settings import load_settings


def add_run(instance: DagsterInstance, status: DagsterRunStatus, tags: dict[str, str]) -> str:
    run_id = str(uuid.uuid4())
    instance.add_run(DagsterRun(job_name="full_refresh", run_id=run_id, status=status, tags=tags))
    return run_id


def dead_process_tags() -> dict[str, str]:
    gone = subprocess.Popen(["true"])
    gone.wait()
    return process_tags() | {PID: str(gone.pid)}


def test_a_run_records_its_process_before_its_first_step(tmp_path):
    seen = {}

    @asset
    def first_step(context: AssetExecutionContext, warehouse: WarehouseResource):
        # Read from the instance, not the context: the tags were added after the run was created.
        seen.update(context.instance.get_run_by_id(context.run_id).tags)

    with DagsterInstance.ephemeral() as instance:
        result = materialize([first_step], instance=instance,
                             resources={"warehouse": WarehouseResource(database=str(tmp_path / "w.duckdb"))})
    assert result.success
    assert seen[PID] == str(os.getpid())


def test_the_sensor_ends_a_dead_run_with_no_new_run_starting(tmp_path):
    published = tmp_path / "published"
    published.mkdir(parents=True)
    with instance_for_test() as instance:
        dead = add_run(instance, DagsterRunStatus.STARTED, dead_process_tags())
        live = add_run(instance, DagsterRunStatus.STARTED, process_tags())     # this test's own process
        unknown = add_run(instance, DagsterRunStatus.STARTED, {})              # says nothing: left alone
        leftover = published / f".published.duckdb.{dead[:8]}.tmp"
        leftover.write_bytes(b"half")
        with build_sensor_context(instance=instance, resources={
                "settings": load_settings(source="sample", home=tmp_path)}) as context:
            result = recover_dead_runs_sensor(context)
        statuses = {run_id: instance.get_run_by_id(run_id).status for run_id in (dead, live, unknown)}
        message = [e for e in instance.all_logs(dead) if e.dagster_event and e.dagster_event.is_run_failure]
    assert statuses == {dead: DagsterRunStatus.FAILURE, live: DagsterRunStatus.STARTED,
                        unknown: DagsterRunStatus.STARTED}
    assert "stopped without reporting its end (its process is gone)" in message[0].message
    assert dead in result.skip_message and not leftover.exists()


def test_the_sensor_says_when_there_is_nothing_to_do(tmp_path):
    with instance_for_test() as instance:
        add_run(instance, DagsterRunStatus.STARTED, process_tags())
        with build_sensor_context(instance=instance, resources={
                "settings": load_settings(source="sample", home=tmp_path)}) as context:
            result = recover_dead_runs_sensor(context)
    assert result.skip_message == "no run in progress has lost its process"
