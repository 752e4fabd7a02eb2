#!/usr/bin/env python3
"""Set up the project's virtualenv if needed, then do one thing.

    python3 scripts/dev.py demo      # run the whole pipeline on the bundled sample (no network)
    python3 scripts/dev.py test      # run the test suite (extra args go to pytest)
    python3 scripts/dev.py ui        # open the Dagster UI on http://127.0.0.1:3000
    python3 scripts/dev.py run [--job gias_refresh|ofsted_refresh|full_refresh]
    python3 scripts/dev.py summary   # what the warehouse holds
    python3 scripts/dev.py dashboard # the readers' dashboard on http://127.0.0.1:8501 (reads data/published/)
    python3 scripts/dev.py dg check defs   # Dagster's dg command (list defs, dev, ...) on this project

Only the standard library is used here: this file runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def base_python() -> str:
    if sys.version_info[:2] == (3, 11):
        return sys.executable
    found = shutil.which("python3.11")
    if not found:
        sys.exit(f"Python 3.11 is needed (this is {sys.version.split()[0]}); install it or run with python3.11")
    return found


def ensure_venv() -> None:
    stamp_value = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / ".installed-pyproject"
    if PYTHON.exists() and stamp.exists() and stamp.read_text() == stamp_value:
        return
    if not PYTHON.exists():
        print(f"creating virtualenv in {VENV}", flush=True)
        subprocess.run([base_python(), "-m", "venv", str(VENV)], check=True)
    print("installing the project and its pinned dependencies (first run only)", flush=True)
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True)
    stamp.write_text(stamp_value)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    ensure_venv()
    os.chdir(ROOT)
    if command == "test":
        code = subprocess.run([str(PYTHON), "-m", "pytest", *rest]).returncode
        if code == 5:
            print("no tests were collected: treating that as a failure", file=sys.stderr)
            return 1
        return code
    if command == "ui":
        # Same Dagster home (and instance settings) as the CLI runs, so their history shows.
        home = subprocess.run([str(PYTHON), "-c", "from pipelines.cli import prepare_environment as p; print(p())"],
                              check=True, capture_output=True, text=True).stdout.strip()
        env = {**os.environ, "DAGSTER_HOME": home}
        return subprocess.run([str(BIN / "dagster"), "dev", "-h", "127.0.0.1", *rest], env=env).returncode
    if command == "dg":
        # dg warns when the shell's venv is not the project's: this one is, by construction.
        env = {**os.environ, "VIRTUAL_ENV": str(VENV)}
        return subprocess.run([str(BIN / "dg"), *rest], env=env).returncode
    if command == "dashboard":
        # Read-only over $SCHOOL_GROUPS_HOME/published; extra arguments go to `streamlit run` (e.g. --server.port).
        return subprocess.run([str(PYTHON), "-m", "streamlit", "run", str(ROOT / "dashboards" / "app.py"),
                               "--server.address", "127.0.0.1", "--server.headless", "true",
                               "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer",
                               *rest]).returncode
    if command in ("demo", "run", "summary"):
        return subprocess.run([str(PYTHON), "-m", "pipelines.cli", command, *rest]).returncode
    print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
