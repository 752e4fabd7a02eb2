"""The downloader against a local HTTP server serving real-format files."""

import hashlib
import time
from datetime import date

import pytest

from school_groups.sources.download import DeadlineError, DownloadError, NotACsvError, download
from school_groups.sources.fetch import Fetcher
from school_groups.sources.registry import get_source
from school_groups.settings import load_settings
import dataclasses

from .conftest import LINKS_FILE, Reply

REAL = LINKS_FILE.read_bytes()
NO_SLEEP = {"sleep": lambda s: None}


def test_downloads_real_file_atomically_with_hash(local_server, tmp_path):
    url = local_server.route("/edubase/links_edubasealldata20250422.csv", Reply(body=REAL))
    dest = tmp_path / "out" / "links_edubasealldata20250422.csv"
    seen = []
    got = download(url, dest, progress=lambda done, total, s: seen.append((done, total)), **NO_SLEEP)
    assert dest.read_bytes() == REAL
    assert got.sha256 == hashlib.sha256(REAL).hexdigest()
    assert got.bytes == len(REAL) == 2_394_026
    assert seen[-1] == (len(REAL), len(REAL))
    assert [p.name for p in dest.parent.iterdir()] == [dest.name]  # no temp file left behind


def test_retries_a_server_error_then_succeeds(local_server, tmp_path):
    path = "/f/links_edubasealldata20250422.csv"
    url = local_server.route(path, Reply(500, b"oops", "text/plain"), Reply(body=REAL))
    got = download(url, tmp_path / "f.csv", retries=2, **NO_SLEEP)
    assert local_server.hits(path) == 2
    assert got.bytes == len(REAL)


def test_gives_up_after_timeouts_and_names_the_url(local_server, tmp_path):
    path = "/slow.csv"
    url = local_server.route(path, Reply(body=b"URN\r\n1\r\n", delay=1.5))
    with pytest.raises(DownloadError, match=r"slow\.csv: failed after 2 attempts.*(Timeout|timed out)"):
        download(url, tmp_path / "slow.csv", timeout=0.3, retries=1, **NO_SLEEP)
    assert local_server.hits(path) == 2
    assert not (tmp_path / "slow.csv").exists()


def test_a_server_that_drips_bytes_is_stopped_by_the_deadline(local_server, tmp_path):
    # every byte arrives well inside the read timeout, so only a deadline on the whole file stops it
    url = local_server.route("/drip.csv", Reply(body=b"URN,Name\r\n" + b"1,A\r\n" * 200, drip=0.02))
    started = time.monotonic()
    with pytest.raises(DeadlineError, match=r"drip\.csv: not complete after the 0\.5 s deadline"):
        download(url, tmp_path / "drip.csv", timeout=2, retries=3, deadline=0.5, **NO_SLEEP)
    assert time.monotonic() - started < 3          # not retried, and not the 24 s the body would take
    assert not (tmp_path / "drip.csv").exists()


def test_html_page_instead_of_csv_is_a_clear_error(local_server, tmp_path):
    page = b"<!DOCTYPE html>\r\n<html><head><title>Get Information about Schools</title></head></html>"
    # GIAS serves its HTML error page with a misleading text/csv type: the body is sniffed.
    url = local_server.route("/edubasealldata20991231.csv", Reply(body=page, content_type="text/csv"))
    with pytest.raises(NotACsvError, match=r"edubasealldata20991231\.csv: expected a CSV but got an HTML page"):
        download(url, tmp_path / "x.csv", **NO_SLEEP)
    assert not (tmp_path / "x.csv").exists()


def test_empty_body_is_a_clear_error(local_server, tmp_path):
    url = local_server.route("/empty.csv", Reply(body=b""))
    with pytest.raises(NotACsvError, match=r"empty\.csv: expected a CSV but the body was empty"):
        download(url, tmp_path / "empty.csv", **NO_SLEEP)


def test_truncated_body_is_retried_then_fails_and_keeps_the_previous_file(local_server, tmp_path):
    path = "/links.csv"
    url = local_server.route(path, Reply(body=REAL[:100_000], declared_length=len(REAL)))
    dest = tmp_path / "links.csv"
    dest.write_bytes(b"previous good copy")
    with pytest.raises(DownloadError, match=r"links\.csv: failed after 3 attempts"):
        download(url, dest, retries=2, **NO_SLEEP)
    assert local_server.hits(path) == 3
    assert dest.read_bytes() == b"previous good copy"
    assert [p.name for p in tmp_path.iterdir()] == ["links.csv"]


def test_gias_falls_back_day_by_day_until_a_csv_is_published(local_server, tmp_path, monkeypatch):
    html = b"<html><body>The file you requested is not available</body></html>"
    local_server.route("/public/links_edubasealldata20250424.csv", Reply(body=html, content_type="text/html"))
    # 2025-04-23: nothing at all (404 from the default route)
    local_server.route("/public/links_edubasealldata20250422.csv", Reply(body=REAL))
    monkeypatch.setenv("SCHOOL_GROUPS_HOME", str(tmp_path))
    settings = dataclasses.replace(load_settings(), source="live", gias_base_url=local_server.base_url + "/public/",
                                   http_retries=0)
    files = list(Fetcher(settings, today=date(2025, 4, 24)).fetch(get_source("gias_links")))
    assert [(f.snapshot_date, f.path.name) for f in files] == [(date(2025, 4, 22), "links_edubasealldata20250422.csv")]
    assert files[0].candidate.origin == local_server.base_url + "/public/links_edubasealldata20250422.csv"
    assert files[0].path.read_bytes() == REAL
    assert local_server.requests == [f"/public/links_edubasealldata2025042{d}.csv" for d in (4, 3, 2)]


def test_gias_with_nothing_published_lists_every_url_tried(local_server, tmp_path, monkeypatch):
    monkeypatch.setenv("SCHOOL_GROUPS_HOME", str(tmp_path))
    settings = dataclasses.replace(load_settings(), source="live", gias_base_url=local_server.base_url,
                                   gias_lookback_days=2, http_retries=0)
    with pytest.raises(DownloadError) as err:
        list(Fetcher(settings, today=date(2025, 4, 24)).fetch(get_source("gias_groups")))
    for day in ("20250424", "20250423", "20250422"):
        assert f"allgroupsdata{day}.csv" in str(err.value)
