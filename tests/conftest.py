"""Shared test helpers: a local HTTP server on 127.0.0.1 and paths to real-format files."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


def pytest_collection_modifyitems(items):
    """National-scale and browser tests are slow ones too, so ``-m "not slow"`` leaves them out."""
    for item in items:
        if item.get_closest_marker("national") or item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
FIXTURES = Path(__file__).parent / "fixtures"
LINKS_FILE = SAMPLE / "links_edubasealldata20250422.csv"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/csv"
    delay: float = 0.0              # seconds before answering (timeouts)
    declared_length: int | None = None   # Content-Length to announce (truncation)
    drip: float = 0.0               # seconds between bytes of the body (a server that trickles)


@dataclass
class Route:
    replies: list[Reply]
    hits: int = 0


@dataclass
class LocalServer:
    """Serves scripted replies per path; the last reply of a route repeats."""

    base_url: str = ""
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def route(self, path: str, *replies: Reply) -> str:
        self.routes[path] = Route(list(replies))
        return self.base_url + path

    def hits(self, path: str) -> int:
        return self.routes[path].hits


def _handler(server_state: LocalServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_GET(self):
            server_state.requests.append(self.path)
            route = server_state.routes.get(self.path)
            if route is None:
                reply = Reply(404, b"<html><body>Not found</body></html>", "text/html")
            else:
                reply = route.replies[min(route.hits, len(route.replies) - 1)]
                route.hits += 1
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                length = reply.declared_length if reply.declared_length is not None else len(reply.body)
                self.send_header("Content-Length", str(length))
                self.send_header("Connection", "close")
                self.end_headers()
                if reply.drip:
                    for i in range(len(reply.body)):
                        self.wfile.write(reply.body[i:i + 1])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                else:
                    self.wfile.write(reply.body)
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


@pytest.fixture
def local_server():
    state = LocalServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def content_item(attachments: list[dict], base_path: str = "/government/statistical-data-sets/x") -> dict:
    """A GOV.UK content API item in the shape the publishing API serves."""
    return {
        "base_path": base_path,
        "document_type": "statistical_data_set",
        "public_updated_at": "2026-07-16T09:30:00.000+01:00",
        "details": {"attachments": attachments, "change_history": []},
        "links": {},
    }


def attachment(title: str, url: str, content_type: str = "text/csv") -> dict:
    return {
        "attachment_type": "file",
        "id": url.rsplit("/", 1)[-1],
        "title": title,
        "url": url,
        "filename": url.rsplit("/", 1)[-1],
        "content_type": content_type,
    }


def clean_env() -> dict[str, str]:
    """This environment without the pipeline's own variables: in-process tests export derived
    ones (SCHOOL_GROUPS_WAREHOUSE...) that would point a child run at another warehouse."""
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_GROUPS_") and k != "DAGSTER_HOME"}


@dataclass
class NationalRun:
    """The whole pipeline run once on the synthetic national-scale mirror (seed 42)."""
    mirror: Path
    home: Path
    truth: dict

    @property
    def published(self) -> Path:
        return self.home / "published" / "published.duckdb"


@pytest.fixture(scope="session")
def national_run(tmp_path_factory) -> NationalRun:
    """Generate the national mirror and run ``pipelines.cli run`` on it in a fresh home, the
    way a user would (about three minutes); shared by every test that needs national scale."""
    import json
    import os
    import subprocess
    import sys

    from synthetic.generate import TRUTH_FILE, generate

    reuse = os.environ.get("SCHOOL_GROUPS_TEST_NATIONAL_HOME")
    if reuse:
        # Developers iterating on these tests: a home already run on a national mirror (seed 42),
        # its mirror beside it as SCHOOL_GROUPS_TEST_NATIONAL_MIRROR.
        mirror = Path(os.environ["SCHOOL_GROUPS_TEST_NATIONAL_MIRROR"])
        return NationalRun(mirror, Path(reuse), json.loads((mirror / TRUTH_FILE).read_text(encoding="utf-8")))
    mirror, home = tmp_path_factory.mktemp("mirror-national-42"), tmp_path_factory.mktemp("home-national")
    generate("national", 42, mirror)
    env = clean_env() | {"SCHOOL_GROUPS_HOME": str(home), "SCHOOL_GROUPS_SOURCE": str(mirror)}
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return NationalRun(mirror, home, json.loads((mirror / TRUTH_FILE).read_text(encoding="utf-8")))


def resources_for(source, home: Path, database: Path | None = None, **overrides) -> dict:
    """The pipeline's resources for ``source`` ('sample', 'live' or a mirror folder) and ``home``,
    passed in as settings (no environment variable is touched)."""
    from pipelines.resources import build_resources
    from school_groups.settings import load_settings

    return build_resources(load_settings(source=str(source), home=home, **overrides), database)


def materialize_mirror(mirror: Path, home: Path, layers: tuple[str, ...] | None = None) -> Path:
    """Load ``mirror`` and build the SQL models in-process (every layer, or only ``layers``), as the
    pipeline would; returns the warehouse file. Checks and publication are not run."""
    from dagster import materialize

    from assets.meta import settings_table
    from assets.raw.assets import RAW_ASSETS, source_files
    from assets.sql_models import build_sql_assets

    upstream = [*RAW_ASSETS, source_files, settings_table]
    assets = [a for a in [*upstream, *build_sql_assets({k for a in upstream for k in a.keys})]
              if layers is None or a.key.path[0] in layers]
    database = home / "w.duckdb"
    result = materialize(assets, resources=resources_for(mirror, home, database))
    assert result.success
    return database


def published_hashes(home: Path) -> dict[str, str]:
    """Every file in ``home``'s published folder and its SHA-256 (to prove nothing published changed)."""
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((home / "published").iterdir())}


def query(home: Path, sql: str) -> list[tuple]:
    """Rows of ``sql`` on ``home``'s warehouse, read-only."""
    import duckdb

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def linked_establishments_export(folder: Path, links_per_row: list[int]):
    """A real edubasealldata file with GIAS's search-export column "Linked establishments" appended,
    written as GIAS writes it: unquoted, so a school with several links spills into extra fields."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO((SAMPLE / "edubasealldata20240501.csv").read_bytes().decode("cp1252"))))
    header, body = rows[0], [r for r in rows[1:] if r]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow([*header, "Linked establishments"])
    expected = []
    for i, row in enumerate(body):
        links = [f"{100000 + i * 10 + k} (Predecessor)" for k in range(links_per_row[i % len(links_per_row)])]
        expected.append(",".join(links))
        line = io.StringIO()
        csv.writer(line, lineterminator="").writerow(row)
        out.write(line.getvalue() + "," + ",".join(links) + "\r\n")
    path = folder / "edubasealldata20220301.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path, expected, len(body)
