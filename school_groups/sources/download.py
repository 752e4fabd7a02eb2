"""HTTP download of one upstream file: retries, atomic writes, hashing, sanity checks.

Only what HTTP can tell is checked here (status, body looks like CSV, length matches);
what the CSV means is the raw reader's business.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import requests
import urllib3

CHUNK = 1 << 16
RETRY_STATUSES = {500, 502, 503, 504, 429}
USER_AGENT = "school-groups-warehouse/0.1 (+open data pipeline; contact via project README)"

ProgressFn = Callable[[int, int | None, float], None]


class DownloadError(RuntimeError):
    """A download failed for a reason worth telling the user (URL always named)."""


class NotACsvError(DownloadError):
    """The server answered, but with an HTML page or nothing where a CSV was expected."""


class NotFoundError(DownloadError):
    """404/410: nothing published at this URL."""


@dataclass(frozen=True)
class Downloaded:
    url: str
    path: Path
    sha256: str
    bytes: int
    fetched_at: datetime
    content_type: str


def new_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session


def looks_like_html(head: bytes) -> bool:
    sniff = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return sniff.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")) or b"<html" in sniff


def download(
    url: str,
    dest: Path,
    *,
    session: requests.Session | None = None,
    timeout: float = 60.0,
    retries: int = 4,
    backoff: float = 2.0,
    progress: ProgressFn | None = None,
    sleep: Callable[[float], None] = time.sleep,
    deadline: float = 1800.0,
) -> Downloaded:
    """Download ``url`` to ``dest`` atomically, retrying connection errors, timeouts and 5xx.

    Raises ``NotFoundError`` for 404/410, ``NotACsvError`` for an HTML or empty body and
    ``DownloadError`` for anything else that survives the retries. ``dest`` is only ever
    replaced by a complete, checked file. ``timeout`` limits each read; ``deadline`` the whole
    transfer, so a server that sends a byte now and then cannot hold a run for hours.
    """
    session = session or new_session()
    return _with_retries(url, lambda: _download_once(url, dest, session, timeout, progress, deadline),
                         retries=retries, backoff=backoff, sleep=sleep)


def _with_retries(url: str, attempt_once: Callable, *, retries: int, backoff: float,
                  sleep: Callable[[float], None]):
    """Run ``attempt_once`` until it succeeds, retrying only transient failures."""
    attempts = retries + 1
    last_problem = ""
    for attempt in range(1, attempts + 1):
        try:
            return attempt_once()
        except _Retryable as exc:
            last_problem = str(exc)
        except requests.exceptions.RequestException as exc:
            # Connection refused/reset, timeouts and bodies cut short all land here.
            last_problem = f"{type(exc).__name__}: {exc}"
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    raise DownloadError(f"{url}: failed after {attempts} attempts; last problem: {last_problem}")


class DeadlineError(DownloadError):
    """The whole transfer took longer than its deadline (not retried: it would only be slow again)."""


class _Retryable(Exception):
    pass


def _chunks(resp: requests.Response, url: str, deadline: float, started: float):
    """The body as it arrives: one socket read at a time (``read1``), so the deadline is checked
    even when a server drips bytes inside the per-read timeout."""
    while True:
        if time.monotonic() - started > deadline:
            raise DeadlineError(f"{url}: not complete after the {deadline:g} s deadline for one file "
                                "(the server is sending too slowly); giving up")
        try:
            chunk = resp.raw.read1(CHUNK, decode_content=True)
        except urllib3.exceptions.HTTPError as exc:
            # as requests' iter_content does: a body cut short or a read timeout is retried
            raise requests.exceptions.ChunkedEncodingError(f"{type(exc).__name__}: {exc}") from exc
        if not chunk:
            return
        yield chunk


def _download_once(url: str, dest: Path, session: requests.Session, timeout: float,
                   progress: ProgressFn | None, deadline: float) -> Downloaded:
    with session.get(url, stream=True, timeout=timeout) as resp:
        if resp.status_code in (404, 410):
            raise NotFoundError(f"{url}: HTTP {resp.status_code}, nothing published here")
        if resp.status_code in RETRY_STATUSES:
            raise _Retryable(f"HTTP {resp.status_code}")
        if resp.status_code != 200:
            raise DownloadError(f"{url}: HTTP {resp.status_code} {resp.reason}")
        content_type = resp.headers.get("Content-Type", "")
        declared = resp.headers.get("Content-Length")
        expected = int(declared) if declared and declared.isdigit() else None

        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.part-{os.getpid()}")
        digest = hashlib.sha256()
        size = 0
        started = time.monotonic()
        head = b""
        try:
            with open(tmp, "wb") as out:
                for chunk in _chunks(resp, url, deadline, started):
                    if not chunk:
                        continue
                    if len(head) < 2048:
                        head += chunk[: 2048 - len(head)]
                        if "html" in content_type.lower() or looks_like_html(head):
                            raise NotACsvError(
                                f"{url}: expected a CSV but got an HTML page "
                                f"(Content-Type {content_type or 'unset'}); the file is probably not published"
                            )
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    if progress:
                        progress(size, expected, time.monotonic() - started)
                out.flush()
                os.fsync(out.fileno())
            if size == 0:
                raise NotACsvError(f"{url}: expected a CSV but the body was empty")
            if expected is not None and size != expected:
                raise _Retryable(f"truncated body: got {size} of {expected} bytes")
            os.replace(tmp, dest)
        finally:
            if tmp.exists():
                tmp.unlink()
    return Downloaded(url=url, path=dest, sha256=digest.hexdigest(), bytes=size,
                      fetched_at=datetime.now(timezone.utc), content_type=content_type)


def get_json(url: str, *, session: requests.Session | None = None, timeout: float = 60.0,
             retries: int = 4, backoff: float = 2.0, sleep: Callable[[float], None] = time.sleep) -> dict:
    """GET a JSON document (the GOV.UK content API) with the same retry policy."""
    session = session or new_session()

    def attempt_once() -> dict:
        resp = session.get(url, timeout=timeout, headers={"Accept": "application/json"})
        if resp.status_code in RETRY_STATUSES:
            raise _Retryable(f"HTTP {resp.status_code}")
        if resp.status_code != 200:
            raise DownloadError(f"{url}: HTTP {resp.status_code} {resp.reason}")
        try:
            return resp.json()
        except ValueError as exc:
            raise DownloadError(f"{url}: expected JSON, got {resp.text[:80]!r}") from exc

    return _with_retries(url, attempt_once, retries=retries, backoff=backoff, sleep=sleep)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
