"""Turn a registry entry into local files, whatever the source mode.

live:   GIAS by dated URL (today, then day by day back); Ofsted through the GOV.UK content API.
mirror: files under their upstream names in a directory, read exactly as if downloaded.
sample: the mirror bundled with the project (``sample_data/``).
Each mode yields the same ``LocalFile`` records, so loading never knows the difference.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

import requests

from school_groups.settings import Settings

from .download import DownloadError, NotACsvError, NotFoundError, ProgressFn, download, get_json, sha256_file
from .locate import Candidate, govuk_candidates, gias_dates, mirror_candidates
from .registry import GiasDatedUrl, Source

log = logging.getLogger(__name__)

# A generated (synthetic) mirror carries this file beside its data files (synthetic/generate.py
# writes it with the planted truth): anything built from such files must say it is synthetic.
SYNTHETIC_MARKER = "ground_truth.json"


def is_synthetic(origin: str | Path, levels: int = 3) -> bool:
    """Whether a loaded file came from a synthetic mirror: the marker sits in its folder or one of
    the ``levels`` folders above it (mirrors may keep files in sub-folders). URLs are never synthetic."""
    text = str(origin)
    if "://" in text:
        return False
    return synthetic_marker(text, levels) is not None


def synthetic_marker(origin: str | Path, levels: int = 3) -> Path | None:
    """The synthetic mirror's marker file above a loaded file, if there is one."""
    text = str(origin)
    if "://" in text:
        return None
    return next((parent / SYNTHETIC_MARKER for parent in list(Path(text).parents)[:levels]
                 if (parent / SYNTHETIC_MARKER).is_file()), None)


def source_mode(origins: list[str], sample_dir: Path) -> dict:
    """Where a publication's files came from, for readers: 'live' (downloaded), 'sample' (the bundled
    real excerpts), 'synthetic' (a generated mirror: with its generator, version, scale and seed) or
    'mirror' (an offline copy of upstream files); 'mixed' names each when files came from several."""
    modes, markers = set(), {}
    for origin in origins:
        marker = synthetic_marker(origin)
        if "://" in origin:
            modes.add("live")
        elif marker is not None:
            modes.add("synthetic")
            markers.setdefault(marker, None)        # each mirror's marker is read once, below
        elif Path(origin).resolve().is_relative_to(sample_dir.resolve()):
            modes.add("sample")
        else:
            modes.add("mirror")
    mode = next(iter(modes)) if len(modes) == 1 else ("mixed: " + ", ".join(sorted(modes)) if modes else "none")
    generators = []
    for generator in map(synthetic_generator, markers):
        if generator not in generators:
            generators.append(generator)
    return {"source_mode": mode, "synthetic_generator": generators or None}


def synthetic_generator(marker: Path) -> dict:
    """What made a synthetic mirror, from its marker file: generator, version, scale and seed."""
    truth = json.loads(marker.read_text(encoding="utf-8"))
    return {k: truth.get(k) for k in ("generator", "generator_version", "scale", "seed")}


@dataclass(frozen=True)
class LocalFile:
    candidate: Candidate
    path: Path
    sha256: str
    bytes: int
    fetched_at: datetime

    @property
    def source(self) -> Source:
        return self.candidate.source

    @property
    def snapshot_date(self) -> date:
        return self.candidate.snapshot_date


ProgressFactory = Callable[[str], ProgressFn | None]


class Fetcher:
    """Fetches a source's files according to ``settings``; one HTTP session per fetcher."""

    def __init__(self, settings: Settings, *, session: requests.Session | None = None,
                 progress: ProgressFactory = lambda label: None, logger: logging.Logger | None = None,
                 today: date | None = None):
        self.settings = settings
        self.session = session or requests.Session()
        self.progress = progress
        self.log = logger or log
        self.today = today or date.today()

    # -- public -----------------------------------------------------------------------
    def fetch(self, source: Source, skip_urls: frozenset[str] = frozenset()) -> Iterator[LocalFile]:
        """Each snapshot the source offers now, one at a time, so a caller can load each file
        before the next is downloaded. ``skip_urls``: attachment URLs already loaded (GOV.UK
        gives a new media URL to a new upload, so a seen URL is not fetched again)."""
        if self.settings.mode != "live":
            yield from (self._local(c) for c in mirror_candidates(source, self.settings.mirror_dir))
        elif isinstance(source.locator, GiasDatedUrl):
            yield self._latest_gias(source)
        else:
            for candidate in self.candidates(source):
                if candidate.origin in skip_urls:
                    self.log.info("%s %s: %s already loaded, not fetched again",
                                  source.name, candidate.snapshot_date, candidate.origin)
                    continue
                yield self._download(candidate)

    def candidates(self, source: Source) -> list[Candidate]:
        """What the GOV.UK content API lists for a source now (used by the sensor too)."""
        return govuk_candidates(source, self.settings.govuk_base_url, self.get_json)

    def get_json(self, url: str) -> dict:
        return get_json(url, session=self.session, timeout=self.settings.http_timeout_seconds,
                        retries=self.settings.http_retries, backoff=self.settings.http_backoff_seconds)

    # -- modes ------------------------------------------------------------------------
    def _local(self, candidate: Candidate) -> LocalFile:
        path = Path(candidate.origin)
        return LocalFile(candidate, path, sha256_file(path), path.stat().st_size, datetime.now(timezone.utc))

    def _download(self, candidate: Candidate) -> LocalFile:
        dest = self.settings.downloads_dir / candidate.source.name / candidate.file_name
        got = download(candidate.origin, dest, session=self.session,
                       timeout=self.settings.http_timeout_seconds, retries=self.settings.http_retries,
                       backoff=self.settings.http_backoff_seconds, deadline=self.settings.http_deadline_seconds,
                       progress=self.progress(f"{candidate.source.name} {candidate.file_name}"))
        return LocalFile(candidate, got.path, got.sha256, got.bytes, got.fetched_at)

    def _latest_gias(self, source: Source) -> LocalFile:
        locator: GiasDatedUrl = source.locator
        tried = []
        for day in gias_dates(self.today, self.settings.gias_lookback_days):
            url = locator.url(self.settings.gias_base_url, day)
            candidate = Candidate(source, day, locator.file_name(day), url)
            try:
                return self._download(candidate)
            except (NotFoundError, NotACsvError) as exc:
                # Not (yet) published for this date: GIAS answers with an HTML page or 404.
                self.log.info("%s: nothing for %s (%s); trying the day before", source.name, day, exc)
                tried.append(str(exc))
        raise DownloadError(
            f"{source.name}: no CSV published in the last {self.settings.gias_lookback_days + 1} days; tried:\n  "
            + "\n  ".join(tried))
