"""The CLI before it runs: a home it cannot write is named; a run still going is not raced; a run
whose process is gone is recovered (marked failed, its slot given back) in one line."""

import socket
import subprocess
import sys
import uuid

import pytest
from dagster import DagsterInstance, DagsterRunStatus
from dagster._core.storage.dagster_run import DagsterRun

from school_groups.processes import process_tags

from .conftest import ROOT, clean_env

pytestmark = pytest.mark.slow


def cli(home, *args, source="sample"):
    env = clean_env() | {"SCHOOL_GROUPS_HOME": str(home), "SCHOOL_GROUPS_SOURCE": source}
    return subprocess.run([sys.executable, "-m", "pipelines.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600)


def in_progress_run(home, tags: dict[str, str]) -> str:
    """A run recorded as started in the home's Dagster instance (as a crash or a live run leaves it)."""
    run_id = str(uuid.uuid4())
    (home / "dagster_home").mkdir(parents=True, exist_ok=True)
    cli(home, "summary")                               # writes the instance settings
    with DagsterInstance.from_config(str(home / "dagster_home")) as instance:
        instance.add_run(DagsterRun(job_name="full_refresh", run_id=run_id, status=DagsterRunStatus.STARTED,
                                    tags=tags))
    return run_id


def test_a_home_that_cannot_be_written_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = cli(blocker / "home", "summary")
    assert done.returncode != 0
    assert f"{blocker / 'home'}: cannot write here" in done.stderr


def test_a_run_still_going_is_not_raced(tmp_path):
    run_id = in_progress_run(tmp_path, process_tags())     # this test's own process: alive
    done = cli(tmp_path, "run")
    assert done.returncode == 1
    assert f"another run (id {run_id}) is writing the warehouse" in done.stderr


def test_a_run_whose_process_is_gone_is_recovered_in_one_line(tmp_path):
    gone = subprocess.Popen(["true"])
    gone.wait()
    tags = process_tags() | {"school_groups/pid": str(gone.pid), "school_groups/host": socket.gethostname()}
    run_id = in_progress_run(tmp_path, tags)
    done = cli(tmp_path, "run")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("recovered:")]
    assert len(lines) == 1 and run_id in lines[0] and "slot in the warehouse pool given back" in lines[0]
    with DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        assert instance.get_run_by_id(run_id).status == DagsterRunStatus.FAILURE
