"""A disk that fills up during a run, for real: the home is a small tmpfs, a good run publishes, then
a filler leaves about 1 MB free and a run that must rebuild every model (one threshold changed)
fails. The failure leads with the path and says no space is left; published/ is byte-identical and
holds no temp file; after the filler is removed, a plain rerun publishes.

Mounting needs root (as on this project's machines and CI); elsewhere the test is skipped, and the
unit tests in test_transactions.py still cover the message."""

import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLE, clean_env

pytestmark = pytest.mark.slow
SIZE_MB = 64
LEFT_FREE = 1 << 20


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def run(home, dagster_home, mirror, **extra):
    env = clean_env() | {"SCHOOL_GROUPS_HOME": str(home), "SCHOOL_GROUPS_SOURCE": str(mirror),
                         "DAGSTER_HOME": str(dagster_home)} | extra
    return subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=900)


def published_files(home) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((home / "published").iterdir())}


def fill_leaving(folder, free_bytes: int):
    filler = folder / "filler"
    with open(filler, "wb") as fh:
        room = shutil.disk_usage(folder).free - free_bytes
        chunk = b"\0" * (1 << 20)
        while room > 0:
            fh.write(chunk[:min(room, len(chunk))])
            room -= len(chunk)
    return filler


def test_a_full_disk_names_the_path_keeps_the_publication_and_a_rerun_recovers(small_disk, tmp_path):
    mirror, home, dagster_home = tmp_path / "mirror", small_disk / "home", tmp_path / "dagster_home"
    shutil.copytree(SAMPLE, mirror)
    first = run(home, dagster_home, mirror)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    before = published_files(home)

    filler = fill_leaving(small_disk, LEFT_FREE)
    changed = {"SCHOOL_GROUPS_STALE_AFTER_YEARS": "6"}        # every model reading it must be rebuilt
    full = run(home, dagster_home, mirror, **changed)
    out = full.stdout + full.stderr
    assert full.returncode != 0, out[-3000:]
    # the CLI's closing lines: the outcome, the failed step with the path first, the report (or why not)
    closing = out.splitlines()
    assert any(line.startswith("run ") and "FAILED" in line for line in closing), out[-3000:]
    failed = [line for line in closing if line.startswith("FAILED ") and ": " in line]
    assert failed and all(f": {home}/" in line and "no space left on the device" in line for line in failed), failed
    assert any(line.startswith("data-quality report: ") for line in closing), closing[-5:]
    assert published_files(home) == before
    assert not list((home / "published").glob(".*.tmp*"))

    filler.unlink()
    again = run(home, dagster_home, mirror, **changed)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert not list((home / "published").glob(".*.tmp*"))
    assert published_files(home) != before                  # the new threshold is published now
