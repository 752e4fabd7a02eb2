"""One typed configuration object, read once (from the environment and thresholds.toml) and
passed on: the Definitions hand it to assets as the ``settings`` resource, tests and the CLI
build their own with ``load_settings(**overrides)``. Nothing here writes to the environment.

Every knob that changes a figure is a threshold (``thresholds.toml``) and so part of
``config_id``; the rest (paths, network, DuckDB memory) change where and how fast, not what.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = PROJECT_ROOT / "sample_data"
THRESHOLDS_FILE = Path(__file__).with_name("thresholds.toml")

GIAS_BASE_URL = "https://ea-edubase-api-prod.azurewebsites.net/edubase/downloads/public/"
GOVUK_BASE_URL = "https://www.gov.uk"


@dataclass(frozen=True)
class Settings:
    source: str                 # "live", "sample", or a mirror directory path
    home: Path                  # warehouse, downloads and published outputs live here
    gias_base_url: str
    govuk_base_url: str
    gias_lookback_days: int     # how many days back from today to look for a GIAS file
    http_timeout_seconds: float
    http_deadline_seconds: float  # the whole transfer of one file (the timeout limits each read)
    http_retries: int
    http_backoff_seconds: float
    duckdb_memory_limit: str
    duckdb_threads: int
    duckdb_temp_directory: str
    # every analysis threshold the SQL models read (key -> (value, meaning)), from thresholds.toml
    thresholds: dict[str, tuple[float, str]] = field(default_factory=dict)

    @property
    def config_id(self) -> str:
        """A short hash of every threshold: recorded with each table built from them."""
        values = sorted((k, v) for k, (v, _) in self.thresholds.items())
        return hashlib.sha256(json.dumps(values).encode()).hexdigest()[:12]

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def downloads_dir(self) -> Path:
        return self.home / "downloads"

    @property
    def published_dir(self) -> Path:
        return self.home / "published"

    @property
    def report_dir(self) -> Path:
        """The readers' report: report-<period>.html and latest.html."""
        return self.home / "reports" / "system"

    @property
    def mode(self) -> str:
        """``live``, ``sample`` or ``mirror``."""
        return self.source if self.source in ("live", "sample") else "mirror"

    @property
    def mirror_dir(self) -> Path | None:
        if self.source == "sample":
            return SAMPLE_DIR
        if self.source == "live":
            return None
        return Path(self.source).expanduser().resolve()

    def validated(self) -> "Settings":
        if self.mode == "mirror" and not self.mirror_dir.is_dir():
            raise ValueError(
                f"SCHOOL_GROUPS_SOURCE={self.source!r} is neither 'live', 'sample' nor an existing directory"
            )
        return self

    def threshold(self, key: str) -> float:
        """One threshold's value; an unknown key is an error naming the thresholds file."""
        try:
            return self.thresholds[key][0]
        except KeyError:
            raise KeyError(f"{key!r} is not a threshold in {THRESHOLDS_FILE.name}") from None

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items() if k != "thresholds"} | {
            k: str(v) for k, (v, _) in self.thresholds.items()}


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def load_thresholds(path: Path) -> dict[str, tuple[float, str]]:
    """Thresholds from the TOML file (one table per key: value, meaning), each overridable by
    ``SCHOOL_GROUPS_<KEY>``. A bad file or value is an error naming the file and key."""
    try:
        declared = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: cannot read the thresholds file: {exc}") from None
    out = {}
    for key, entry in declared.items():
        if not isinstance(entry, dict) or "value" not in entry or "meaning" not in entry:
            raise ValueError(f"{path}: [{key}] needs a numeric 'value' and a 'meaning'")
        raw = _env(f"SCHOOL_GROUPS_{key.upper()}", str(entry["value"]))
        try:
            out[key] = (float(raw), str(entry["meaning"]))
        except ValueError:
            raise ValueError(f"{path}: [{key}] value {raw!r} is not a number "
                             f"(from SCHOOL_GROUPS_{key.upper()} if set)") from None
    return out


def load_settings(**overrides) -> Settings:
    """Settings from the environment, with ``overrides`` (field name -> value) on top; ``home``
    may be a string. The one place the environment is read."""
    if "home" in overrides:
        overrides["home"] = Path(overrides["home"]).expanduser().resolve()
    home = overrides.get("home") or Path(_env("SCHOOL_GROUPS_HOME", "./data")).expanduser().resolve()
    thresholds_file = Path(overrides.pop("thresholds_file", None) or _env("SCHOOL_GROUPS_THRESHOLDS_FILE",
                                                                           str(THRESHOLDS_FILE)))
    settings = Settings(
        source=_env("SCHOOL_GROUPS_SOURCE", "live"),
        home=home,
        gias_base_url=_env("SCHOOL_GROUPS_GIAS_BASE_URL", GIAS_BASE_URL),
        govuk_base_url=_env("SCHOOL_GROUPS_GOVUK_BASE_URL", GOVUK_BASE_URL),
        gias_lookback_days=int(_env("SCHOOL_GROUPS_GIAS_LOOKBACK_DAYS", "7")),
        http_timeout_seconds=float(_env("SCHOOL_GROUPS_HTTP_TIMEOUT", "60")),
        http_deadline_seconds=float(_env("SCHOOL_GROUPS_HTTP_DEADLINE", "1800")),
        http_retries=int(_env("SCHOOL_GROUPS_HTTP_RETRIES", "4")),
        http_backoff_seconds=float(_env("SCHOOL_GROUPS_HTTP_BACKOFF", "2")),
        duckdb_memory_limit=_env("SCHOOL_GROUPS_DUCKDB_MEMORY_LIMIT", "4GB"),
        duckdb_threads=int(_env("SCHOOL_GROUPS_DUCKDB_THREADS", "2")),
        duckdb_temp_directory=_env("SCHOOL_GROUPS_DUCKDB_TEMP_DIR", str(home / "tmp")),
        thresholds=load_thresholds(thresholds_file),
    )
    return replace(settings, **overrides) if overrides else settings
