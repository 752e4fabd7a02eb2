"""The sources registry: every upstream file family this project reads, declared once.

Everything downstream (fetching, raw loading, Dagster assets, sensors, tests) reads this
list; nothing else hard-codes a URL, a file name or a column list. Column lists per era are
real header lines kept under ``headers/`` (see ``headers/README.md`` for their provenance).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

HEADERS_DIR = Path(__file__).parent / "headers"
OGL = "Open Government Licence v3.0"

MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}


def normalise_name(text: str) -> str:
    """Lower-case a file name or attachment title and fold runs of ``-``, ``_`` and spaces.

    Ofsted spells the same family ``State-funded``/``State_funded``, ``as_at``/``at``,
    ``Aug``/``August``; folding separators lets one pattern match titles and file names.
    """
    stem = re.sub(r"\.csv$", "", text.strip(), flags=re.I)
    return re.sub(r"[\s_\-–]+", " ", stem).strip().lower()


def parse_day_month_year(day: str, month: str, year: str) -> date:
    key = month[:3].lower()
    if key not in MONTHS:
        raise ValueError(f"unknown month name {month!r}")
    return date(int(year), MONTHS[key], int(day))


@dataclass(frozen=True)
class Era:
    """One published column layout of a file family."""

    name: str
    header_file: str
    note: str = ""

    @cached_property
    def columns(self) -> tuple[str, ...]:
        with open(HEADERS_DIR / self.header_file, newline="", encoding="utf-8") as fh:
            return tuple(next(csv.reader(fh)))


@dataclass(frozen=True)
class GiasDatedUrl:
    """GIAS daily extracts: ``<base><stem>YYYYMMDD.csv``, tried from today backwards.

    An unpublished date answers with an HTML page (or an error), not a CSV.
    """

    stem: str

    def url(self, base_url: str, day: date) -> str:
        return f"{base_url.rstrip('/')}/{self.stem}{day:%Y%m%d}.csv"

    def file_name(self, day: date) -> str:
        return f"{self.stem}{day:%Y%m%d}.csv"

    def match(self, file_name: str) -> date | None:
        m = re.fullmatch(rf"{re.escape(self.stem)}(\d{{8}})\.csv", file_name, flags=re.I)
        if not m:
            return None
        try:
            return date(int(m[1][:4]), int(m[1][4:6]), int(m[1][6:]))
        except ValueError:
            return None


@dataclass(frozen=True)
class GovUkAttachments:
    """Files attached to a GOV.UK page, found through the GOV.UK content API.

    ``page`` is a content path (``/government/...``). When ``via_collection`` is true the
    page is a collection whose ``links.documents`` are release pages; each release's own
    attachments are then searched. ``pattern`` is matched against the normalised attachment
    title and file name and must capture ``day``, ``month`` and ``year``.
    """

    page: str
    pattern: str
    via_collection: bool = False
    document_title_pattern: str = ""

    def match(self, text: str) -> date | None:
        m = re.search(self.pattern, normalise_name(text))
        if not m:
            return None
        try:
            return parse_day_month_year(m["day"], m["month"], m["year"])
        except ValueError:
            return None


@dataclass(frozen=True)
class Source:
    name: str                       # raw table name: raw.<name>, asset raw/<name>
    title: str
    publisher: str
    description: str
    locator: GiasDatedUrl | GovUkAttachments
    cadence: str                    # "daily" | "monthly" | "twice yearly"
    published_encoding: str         # what the publisher writes; the reader also detects
    eras: tuple[Era, ...]
    key_columns: tuple[str, ...]    # must be in the header; also used to find the header line
    optional_trailing_columns: tuple[str, ...] = ()
    licence: str = OGL
    landing_page: str = ""
    notes: str = ""
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return f"raw.{self.name}"

    @property
    def publisher_group(self) -> str:
        return "gias" if isinstance(self.locator, GiasDatedUrl) else "ofsted"

    def snapshot_date(self, file_name: str, title: str = "") -> date | None:
        """The snapshot date a file name (or attachment title) stands for, or None."""
        for text in (file_name, title):
            if text and (found := self.locator.match(text)):
                return found
        return None


GIAS_DOWNLOADS = "https://www.get-information-schools.service.gov.uk/Downloads"
MI_PAGE = "/government/statistical-data-sets/monthly-management-information-ofsteds-school-inspections-outcomes"
OFFICIAL_STATS_COLLECTION = (
    "/government/collections/maintained-schools-and-academies-inspections-and-outcomes-official-statistics"
)

SOURCES: tuple[Source, ...] = (
    Source(
        name="gias_establishments",
        title="GIAS all establishment data (edubasealldata)",
        publisher="Department for Education (Get Information about Schools)",
        description="Every establishment GIAS knows, open and closed, one row per URN.",
        locator=GiasDatedUrl("edubasealldata"),
        cadence="daily",
        published_encoding="cp1252",
        eras=(
            Era("2025-04 onwards (135 columns)", "edubasealldata_header_2025-04-onwards_135cols.csv"),
            Era("2023 to 2024-05 (140 columns)", "edubasealldata_header_2023-2024_140cols.csv"),
            Era("2017 (120 columns)", "edubasealldata_header_2017_120cols.csv"),
        ),
        key_columns=("URN", "EstablishmentName"),
        landing_page=GIAS_DOWNLOADS,
    ),
    Source(
        name="gias_links",
        title="GIAS establishment links (links_edubasealldata)",
        publisher="Department for Education (Get Information about Schools)",
        description="Predecessor/successor and other links between URNs, both directions.",
        locator=GiasDatedUrl("links_edubasealldata"),
        cadence="daily",
        published_encoding="cp1252",
        eras=(Era("2021 onwards (5 columns)", "links_edubasealldata_header.csv"),),
        key_columns=("URN", "LinkURN", "LinkType"),
        landing_page=GIAS_DOWNLOADS,
    ),
    Source(
        name="gias_groups",
        title="GIAS all group records (allgroupsdata)",
        publisher="Department for Education (Get Information about Schools)",
        description="Trusts, federations, sponsors and other groups, one row per Group UID.",
        locator=GiasDatedUrl("allgroupsdata"),
        cadence="daily",
        published_encoding="cp1252",
        eras=(Era("2023 onwards (21 columns)", "allgroupsdata_header.csv"),),
        key_columns=("Group UID", "Group Type"),
        landing_page=GIAS_DOWNLOADS,
        notes="Every field is quoted, Group UID included; dates dd/mm/yyyy.",
    ),
    Source(
        name="gias_group_links",
        title="GIAS all group links records (alllinksdata)",
        publisher="Department for Education (Get Information about Schools)",
        description="School (URN) to group links with the date each school joined.",
        locator=GiasDatedUrl("alllinksdata"),
        cadence="daily",
        published_encoding="cp1252",
        eras=(Era("2020 onwards (20 columns)", "alllinksdata_header.csv"),),
        key_columns=("URN", "Group UID"),
        landing_page=GIAS_DOWNLOADS,
        notes="No 'left' date: a link is current as of the snapshot.",
    ),
    Source(
        name="gias_academy_trust_links",
        title="GIAS academy sponsor and trust links (grouplinks_edubaseallacademiesandfree)",
        publisher="Department for Education (Get Information about Schools)",
        description="Open academies and free schools to their trust and sponsor, with joined date.",
        locator=GiasDatedUrl("grouplinks_edubaseallacademiesandfree"),
        cadence="daily",
        published_encoding="cp1252",
        eras=(Era("2025 (21 header names, 20 values)", "grouplinks_edubaseallacademiesandfree_header.csv"),),
        key_columns=("URN", "Linked UID"),
        optional_trailing_columns=("HasSharedHT",),
        landing_page=GIAS_DOWNLOADS,
        notes="Rows carry 20 values for 21 header names: the last, HasSharedHT, is never written.",
    ),
    Source(
        name="ofsted_mi_latest",
        title="Ofsted MI: state-funded schools, latest inspections as at <date>",
        publisher="Ofsted",
        description="Monthly snapshot: each open state-funded school's most recent inspections.",
        locator=GovUkAttachments(
            page=MI_PAGE,
            pattern=r"state funded schools latest inspections (?:as )?at "
                    r"(?P<day>\d{1,2}) (?P<month>[a-z]+) (?P<year>\d{4})",
        ),
        cadence="monthly",
        published_encoding="utf-8 or cp1252 (varies by release)",
        eras=(
            Era("report cards, from Nov 2025 (85 columns)", "ofsted_mi_latest_2025-11-onwards_85cols.csv"),
            Era("EIF, to Aug 2024 (74 columns)", "ofsted_mi_latest_2024-08_74cols.csv"),
        ),
        key_columns=("URN",),
        landing_page="https://www.gov.uk" + MI_PAGE,
        notes="Literal 'NULL' strings; the header may follow title lines; names drift in case.",
    ),
    Source(
        name="ofsted_mi_in_year",
        title="Ofsted MI: state-funded schools, all inspections, year to date published by <date>",
        publisher="Ofsted",
        description="Monthly: every inspection published so far in the academic year.",
        locator=GovUkAttachments(
            page=MI_PAGE,
            pattern=r"state funded schools all inspections year to date published by "
                    r"(?P<day>\d{1,2}) (?P<month>[a-z]+) (?P<year>\d{4})",
        ),
        cadence="monthly",
        published_encoding="utf-8 or cp1252 (varies by release)",
        eras=(
            Era("report cards, from Nov 2025 (41 columns)", "ofsted_mi_in_year_2025-11-onwards_41cols.csv"),
            Era("2024/25 sub-judgements only (58 columns)", "ofsted_mi_in_year_2024-09_58cols.csv"),
        ),
        key_columns=("URN",),
        landing_page="https://www.gov.uk" + MI_PAGE,
    ),
    Source(
        name="ofsted_official_stats",
        title="Ofsted official statistics: inspections and outcomes as at <date>",
        publisher="Ofsted",
        description="Official statistics releases (most recent inspection per open school), "
                    "the history before the monthly MI files.",
        locator=GovUkAttachments(
            page=OFFICIAL_STATS_COLLECTION,
            via_collection=True,
            document_title_pattern=r"inspections and outcomes",
            pattern=r"(?:state funded|maintained) schools? (?:and academies )?inspections and outcomes "
                    r"(?:as )?at (?P<day>\d{1,2}) (?P<month>[a-z]+) (?P<year>\d{4})",
        ),
        cadence="twice yearly",
        published_encoding="cp1252 (older releases), utf-8 (some newer)",
        eras=(Era("Common Inspection Framework, 2017 (51 columns)", "ofsted_official_stats_2017-12_51cols.csv"),),
        key_columns=("URN",),
        landing_page="https://www.gov.uk" + OFFICIAL_STATS_COLLECTION,
    ),
)

SOURCES_BY_NAME = {s.name: s for s in SOURCES}


def get_source(name: str) -> Source:
    try:
        return SOURCES_BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(SOURCES_BY_NAME)}") from None


def match_file(file_name: str) -> tuple[Source, date] | None:
    """Which source (and snapshot date) a file under its upstream name belongs to."""
    for source in SOURCES:
        if (day := source.snapshot_date(file_name)) is not None:
            return source, day
    return None
