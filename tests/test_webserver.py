"""End-to-end smoke test: the Dagster webserver loads ``workspace.yaml`` and serves the project.

Starts ``dagster-webserver`` once per module on a free 127.0.0.1 port with a throwaway
DAGSTER_HOME and SCHOOL_GROUPS_HOME (sample source), then asks its GraphQL API whether the
code location loaded and whether every raw asset, schedule and sensor is there.
Nothing but 127.0.0.1 is contacted.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from school_groups.sources.registry import SOURCES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
LOCATION_NAME = "school_groups"    # workspace.yaml: location_name
STARTUP_DEADLINE_S = 90.0
STOP_GRACE_S = 20.0

# Written out so a rename in the registry is noticed too, not silently followed.
EXPECTED_RAW_KEYS = {
    ("raw", "gias_establishments"),
    ("raw", "gias_links"),
    ("raw", "gias_groups"),
    ("raw", "gias_group_links"),
    ("raw", "gias_academy_trust_links"),
    ("raw", "ofsted_mi_latest"),
    ("raw", "ofsted_mi_in_year"),
    ("raw", "ofsted_official_stats"),
    ("raw", "source_files"),
}
EXPECTED_SCHEDULES = {"gias_daily", "ofsted_mi_monthly"}
EXPECTED_SENSORS = {"ofsted_mi_release_sensor"}


def registry_raw_keys() -> set[tuple[str, ...]]:
    return {("raw", s.name) for s in SOURCES} | {("raw", "source_files")}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def webserver_command() -> list[str]:
    """The venv's ``dagster-webserver`` script next to this interpreter, else ``-m dagster_webserver``."""
    script = Path(sys.executable).parent / ("dagster-webserver.exe" if os.name == "nt" else "dagster-webserver")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "dagster_webserver"]


def log_tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"<no log: {exc}>"
    return "\n".join(text.splitlines()[-lines:])


@dataclass
class Webserver:
    base_url: str
    log_path: Path
    proc: subprocess.Popen
    session: requests.Session

    def tail(self) -> str:
        return f"--- webserver log tail ({self.log_path}) ---\n{log_tail(self.log_path)}"

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        resp = self.session.post(f"{self.base_url}/graphql",
                                 json={"query": query, "variables": variables or {}}, timeout=60)
        assert resp.status_code == 200, f"GraphQL HTTP {resp.status_code}: {resp.text[:2000]}\n{self.tail()}"
        body = resp.json()
        assert not body.get("errors"), f"GraphQL errors: {body['errors']}\n{self.tail()}"
        return body["data"]


WORKSPACE_QUERY = """
query Workspace {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { name repositories { name } }
          ... on PythonError { message stack }
        }
      }
    }
    ... on PythonError { message stack }
  }
}
"""

ASSET_NODES_QUERY = """
query AssetNodes {
  assetNodes { assetKey { path } }
}
"""

REPOSITORIES_QUERY = """
query Repositories {
  repositoriesOrError {
    __typename
    ... on RepositoryConnection {
      nodes {
        name
        location { name }
        schedules { name }
        sensors { name }
        assetNodes { assetKey { path } }
      }
    }
    ... on PythonError { message stack }
  }
}
"""


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the whole process group (webserver + its code server), then SIGKILL if needed."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=STOP_GRACE_S)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=STOP_GRACE_S)
    # Reap stragglers (e.g. the gRPC code server) left in the group after the parent exited.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _location_entry(data: dict) -> dict | None:
    ws = data["workspaceOrError"]
    if ws["__typename"] != "Workspace":
        return None
    return next((e for e in ws["locationEntries"] if e["name"] == LOCATION_NAME), None)


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory):
    dagster_home = tmp_path_factory.mktemp("dagster_home")
    (dagster_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    groups_home = tmp_path_factory.mktemp("school_groups_home")
    log_path = tmp_path_factory.mktemp("webserver_log") / "webserver.log"

    port = free_port()
    env = dict(os.environ,
               DAGSTER_HOME=str(dagster_home),
               SCHOOL_GROUPS_HOME=str(groups_home),
               SCHOOL_GROUPS_SOURCE="sample")
    cmd = [*webserver_command(), "-h", HOST, "-p", str(port), "-w", str(ROOT / "workspace.yaml")]

    session = requests.Session()
    session.trust_env = False      # never route 127.0.0.1 through an environment proxy

    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Webserver(f"http://{HOST}:{port}", log_path, proc, session)
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE_S

        # 1. The HTTP server answers.
        while True:
            if proc.poll() is not None:
                pytest.fail(f"webserver exited with code {proc.returncode} before answering\n"
                            f"cmd: {cmd}\n{server.tail()}")
            try:
                if session.get(f"{server.base_url}/server_info", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"/server_info not 200 within {STARTUP_DEADLINE_S:.0f}s\ncmd: {cmd}\n{server.tail()}")
            time.sleep(0.5)

        # 2. The code location has finished loading (successfully or not: the tests judge that).
        while True:
            entry = _location_entry(server.graphql(WORKSPACE_QUERY))
            if entry is not None and entry["loadStatus"] == "LOADED":
                break
            if proc.poll() is not None:
                pytest.fail(f"webserver exited with code {proc.returncode} while loading\n{server.tail()}")
            if time.monotonic() > deadline:
                pytest.fail(f"location {LOCATION_NAME!r} not LOADED within {STARTUP_DEADLINE_S:.0f}s "
                            f"(last entry: {entry})\n{server.tail()}")
            time.sleep(0.5)

        yield server
    finally:
        session.close()
        _stop(proc)


def test_code_location_loaded_without_error(webserver: Webserver):
    data = webserver.graphql(WORKSPACE_QUERY)
    ws = data["workspaceOrError"]
    assert ws["__typename"] == "Workspace", f"workspaceOrError: {ws}\n{webserver.tail()}"

    names = [e["name"] for e in ws["locationEntries"]]
    assert names == [LOCATION_NAME], f"unexpected code locations {names}"

    entry = ws["locationEntries"][0]
    assert entry["loadStatus"] == "LOADED"
    # loadStatus is LOADED for a failed load too; the error only shows in locationOrLoadError.
    loc = entry["locationOrLoadError"]
    assert loc is not None, f"location has neither a RepositoryLocation nor an error\n{webserver.tail()}"
    assert loc["__typename"] == "RepositoryLocation", (
        f"code location failed to load: {loc.get('message')}\n{loc.get('stack') and ''.join(loc['stack'])}\n"
        f"{webserver.tail()}")
    assert loc["name"] == LOCATION_NAME
    assert len(loc["repositories"]) == 1, loc["repositories"]


def test_every_raw_asset_is_served(webserver: Webserver):
    keys = {tuple(n["assetKey"]["path"]) for n in webserver.graphql(ASSET_NODES_QUERY)["assetNodes"]}

    from_registry = registry_raw_keys()
    assert len(from_registry) == len(SOURCES) + 1 >= 2
    missing_registry = sorted("/".join(k) for k in from_registry - keys)
    assert not missing_registry, f"raw assets of registry sources not served: {missing_registry}; served: {sorted(keys)}"

    missing_expected = sorted("/".join(k) for k in EXPECTED_RAW_KEYS - keys)
    assert not missing_expected, f"expected raw assets not served: {missing_expected}; served: {sorted(keys)}"


def test_schedules_and_sensor_are_served(webserver: Webserver):
    repos = webserver.graphql(REPOSITORIES_QUERY)["repositoriesOrError"]
    assert repos["__typename"] == "RepositoryConnection", f"repositoriesOrError: {repos}\n{webserver.tail()}"
    nodes = [n for n in repos["nodes"] if n["location"]["name"] == LOCATION_NAME]
    assert len(nodes) == 1, f"expected one repository in {LOCATION_NAME!r}, got {repos['nodes']}"
    repo = nodes[0]

    schedules = {s["name"] for s in repo["schedules"]}
    sensors = {s["name"] for s in repo["sensors"]}
    assert EXPECTED_SCHEDULES <= schedules, f"missing schedules {sorted(EXPECTED_SCHEDULES - schedules)}; got {sorted(schedules)}"
    assert EXPECTED_SENSORS <= sensors, f"missing sensors {sorted(EXPECTED_SENSORS - sensors)}; got {sorted(sensors)}"

    # The repository's own asset list agrees with the top-level assetNodes view.
    repo_keys = {tuple(n["assetKey"]["path"]) for n in repo["assetNodes"]}
    missing = sorted("/".join(k) for k in (EXPECTED_RAW_KEYS | registry_raw_keys()) - repo_keys)
    assert not missing, f"raw assets missing from repository {repo['name']!r}: {missing}"
