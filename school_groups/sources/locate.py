"""Finding the files a source offers: GIAS dated URLs, GOV.UK content API, mirror folders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote, urlparse

from .registry import GovUkAttachments, Source, match_file


@dataclass(frozen=True)
class Candidate:
    """One file a source offers for one snapshot date."""

    source: Source
    snapshot_date: date
    file_name: str
    origin: str          # URL, or the path of a mirror file
    title: str = ""


class LocateError(RuntimeError):
    pass


def content_api_url(base_url: str, page: str) -> str:
    return f"{base_url.rstrip('/')}/api/content{page}"


def file_name_of(url: str) -> str:
    return unquote(Path(urlparse(url).path).name)


def csv_attachments(content: dict) -> list[dict]:
    """The CSV file attachments listed in a GOV.UK content item."""
    found = []
    for att in (content.get("details") or {}).get("attachments") or []:
        url = att.get("url") or ""
        name = att.get("filename") or file_name_of(url)
        is_csv = (att.get("content_type") or "").lower().startswith("text/csv") or name.lower().endswith(".csv")
        if url and is_csv:
            found.append({**att, "filename": name})
    return found


def attachment_candidates(source: Source, content: dict, base_url: str) -> list[Candidate]:
    out = []
    for att in csv_attachments(content):
        day = source.snapshot_date(att["filename"], att.get("title", ""))
        if day is None:
            continue
        url = att["url"]
        if url.startswith("/"):
            url = base_url.rstrip("/") + url
        out.append(Candidate(source, day, att["filename"], url, att.get("title", "")))
    return out


def govuk_candidates(source: Source, base_url: str, get_json: Callable[[str], dict]) -> list[Candidate]:
    """Every attachment of the source's GOV.UK page(s) whose title or file name matches."""
    locator = source.locator
    if not isinstance(locator, GovUkAttachments):
        raise TypeError(f"{source.name} is not located through GOV.UK")
    page = get_json(content_api_url(base_url, locator.page))
    if not locator.via_collection:
        return dedupe_by_date(attachment_candidates(source, page, base_url))
    found: list[Candidate] = []
    for doc in (page.get("links") or {}).get("documents") or []:
        title = doc.get("title") or ""
        if locator.document_title_pattern and not re.search(locator.document_title_pattern, title, re.I):
            continue
        path = doc.get("base_path") or urlparse(doc.get("web_url") or doc.get("api_url") or "").path
        if not path:
            continue
        path = path.removeprefix("/api/content")
        found += attachment_candidates(source, get_json(content_api_url(base_url, path)), base_url)
    return dedupe_by_date(found)


def dedupe_by_date(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per snapshot date. GOV.UK pages sometimes list a file twice; when they
    list two different files for one date, that is ambiguous and must be looked at."""
    by_date: dict[date, Candidate] = {}
    for c in candidates:
        seen = by_date.get(c.snapshot_date)
        if seen and seen.origin != c.origin:
            raise LocateError(
                f"{c.source.name}: two files for snapshot {c.snapshot_date}: {seen.origin} and {c.origin}"
            )
        by_date[c.snapshot_date] = c
    return sorted(by_date.values(), key=lambda c: c.snapshot_date)


def mirror_candidates(source: Source, directory: Path) -> list[Candidate]:
    """Files under their upstream names anywhere below ``directory``."""
    if not directory.is_dir():
        raise LocateError(f"mirror directory {directory} does not exist")
    found = []
    for path in sorted(directory.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            day = source.snapshot_date(path.name)
            if day is not None:
                found.append(Candidate(source, day, path.name, str(path)))
    return dedupe_by_date(found)


def mirror_date(directory: Path) -> date | None:
    """An offline mirror's own date: the newest snapshot any of its files is dated (one walk of the
    folder). Freshness is measured against it, since a copy taken on one day cannot be fresher than that day."""
    days = [found[1] for path in directory.rglob("*")
            if path.is_file() and not path.name.startswith(".") and (found := match_file(path.name))]
    return max(days, default=None)


def gias_dates(today: date, lookback_days: int) -> list[date]:
    """Dates to try for a GIAS daily file, newest first."""
    return [today - timedelta(days=n) for n in range(lookback_days + 1)]
