"""A run killed outright (SIGKILL) during a raw load, the models or the publication: a plain rerun
recovers by itself (the dead run is marked failed and its pool slot given back), completes within
two minutes, and leaves no half-written file in published/."""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from .conftest import LINKS_FILE, ROOT, SAMPLE, clean_env

pytestmark = pytest.mark.slow


def cli(home, mirror, *args):
    env = clean_env() | {"SCHOOL_GROUPS_HOME": str(home), "SCHOOL_GROUPS_SOURCE": str(mirror)}
    return subprocess.Popen([sys.executable, "-m", "pipelines.cli", "run", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def kill_when(proc: subprocess.Popen, marker: str, delay: float = 0.0) -> str:
    """Read the run's output until ``marker`` appears, then SIGKILL it (after ``delay``)."""
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if marker in line:
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen[-20:])
    return "".join(seen)


def published_files(home) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((home / "published").iterdir())}


@pytest.fixture
def published_home(tmp_path):
    mirror, home = tmp_path / "mirror", tmp_path / "home"
    shutil.copytree(SAMPLE, mirror)
    first = cli(home, mirror)
    out, _ = first.communicate(timeout=600)
    assert first.returncode == 0, out[-3000:]
    return mirror, home


@pytest.mark.parametrize("marker, delay, where", [
    ("gias_links 2025-04-23: loaded", 0.0, "raw load"),
    ("ofsted_official_stats", 1.5, "models"),
    ("publishing ", 0.3, "publish"),
])
def test_a_killed_run_is_recovered_by_a_plain_rerun(published_home, marker, delay, where):
    mirror, home = published_home
    before = published_files(home)
    # new data, so the killed run has work to do
    (mirror / "links_edubasealldata20250423.csv").write_bytes(LINKS_FILE.read_bytes().replace(b"Rhyl", b"Rhyll"))
    kill_when(cli(home, mirror), marker, delay)
    if where != "publish":
        assert published_files(home) == before          # nothing published changed while it was killed

    started = time.monotonic()
    rerun = cli(home, mirror)
    out, _ = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, out[-3000:]
    assert time.monotonic() - started < 120
    assert "recovered: run" in out and "marked failed and its slot in the warehouse pool given back" in out
    assert not [p.name for p in (home / "published").iterdir() if p.name.startswith(".")]
