"""Start the dashboard (Streamlit) on 127.0.0.1 and drive it in headless Chromium: shared by the browser
tests (tests/test_dashboard_browser.py) and the page-time measurement (bench/dashboard_pages.py).

Streamlit renders asynchronously, so nothing here sleeps: a page is ready when the app says its script
is not running (``data-test-script-state``) and every chart it holds has drawn.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboards" / "app.py"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
# Every chart element has drawn its canvas or SVG (vega-embed draws after the script has finished).
CHARTS_DRAWN = """() => {
  const charts = Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'));
  return charts.every((c) => c.querySelector('canvas, svg.marks'));
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def dashboard(env: dict[str, str], timeout: float = 60.0):
    """The dashboard running headless on a free port bound to 127.0.0.1; yields its base URL and stops
    it (its whole process group, TERM then KILL) however the block ends."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--client.toolbarMode", "viewer"]
    log = open(env.get("DASHBOARD_LOG", os.devnull), "w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, timeout)
        yield url
    finally:
        _stop(process)
        log.close()


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard exited with {process.returncode} before it answered")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the dashboard did not answer at {url} within {timeout} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


def settle(page, timeout_ms: float = 30_000) -> None:
    """Wait until the script has finished and every chart has drawn."""
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_function(CHARTS_DRAWN, timeout=timeout_ms)


def click_page(page, title: str, timeout_ms: float = 30_000) -> float:
    """Go to the page ``title`` through the sidebar, as a reader does: seconds from the click to the page's
    last element visible (its title shown, its script finished, every chart drawn)."""
    started = time.perf_counter()
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=title).first.click()
    page.get_by_role("heading", name=title).first.wait_for(state="visible", timeout=timeout_ms)
    settle(page, timeout_ms)
    return time.perf_counter() - started


def open_page(page, url: str, last_text: str | None = None, timeout_ms: float = 30_000) -> float:
    """Go to ``url`` and wait until it has rendered (and shows ``last_text`` when given): seconds taken,
    from navigation to the page's last element visible."""
    started = time.perf_counter()
    page.goto(url, wait_until="commit")
    settle(page, timeout_ms)
    if last_text:
        page.get_by_text(last_text, exact=False).first.wait_for(state="visible", timeout=timeout_ms)
    return time.perf_counter() - started
