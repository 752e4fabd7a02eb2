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
    snapshots_comparable: bool = True   # False where row counts legitimately reset (in-year files)
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

GIAS_PUBLISHER = "Department for Education (Get Information about Schools)"
DATE_IN_TITLE = r"(?P<day>\d{1,2}) (?P<month>[a-z]+) (?P<year>\d{4})"


def gias_daily(name: str, stem: str, title: str, description: str, eras: tuple[Era, ...],
               key_columns: tuple[str, ...], **extra) -> Source:
    """A GIAS daily extract: cp1252, CRLF, dd-mm-yyyy (allgroupsdata: dd/mm/yyyy)."""
    return Source(name=name, title=f"GIAS {title} ({stem})", publisher=GIAS_PUBLISHER, description=description,
                  locator=GiasDatedUrl(stem), cadence="daily", published_encoding="cp1252", eras=eras,
                  key_columns=key_columns, landing_page=GIAS_DOWNLOADS, **extra)


def ofsted(name: str, title: str, description: str, locator: GovUkAttachments, cadence: str,
           eras: tuple[Era, ...], **extra) -> Source:
    """An Ofsted CSV on GOV.UK: UTF-8 or cp1252 depending on the release, keyed by URN."""
    return Source(name=name, title=title, publisher="Ofsted", description=description, locator=locator,
                  cadence=cadence, published_encoding=extra.pop("published_encoding", "utf-8 or cp1252 (varies)"),
                  eras=eras, key_columns=("URN",), landing_page="https://www.gov.uk" + locator.page, **extra)


# Columns GIAS exports write last, unquoted, with commas inside ("Linked establishments": every link
# of a school, comma-separated), so a row with several spills into extra fields. The reader joins the
# extra fields back into the column and lists the rows it repaired (school_groups/raw/reader.py).
OVERFLOWING_LAST_COLUMNS = ("Linked establishments",)

SOURCES: tuple[Source, ...] = (
    gias_daily(
        "gias_establishments", "edubasealldata", "all establishment data",
        "Every establishment GIAS knows, open and closed, one row per URN.",
        (Era("2025-04 onwards (135 columns)", "edubasealldata_header_2025-04-onwards_135cols.csv"),
         Era("2023 to 2024-05 (140 columns)", "edubasealldata_header_2023-2024_140cols.csv"),
         Era("2017 (120 columns)", "edubasealldata_header_2017_120cols.csv")),
        ("URN", "EstablishmentName"),
    ),
    gias_daily(
        "gias_links", "links_edubasealldata", "establishment links",
        "Predecessor/successor and other links between URNs, both directions.",
        (Era("2021 onwards (5 columns)", "links_edubasealldata_header.csv"),),
        ("URN", "LinkURN", "LinkType"),
    ),
    gias_daily(
        "gias_groups", "allgroupsdata", "all group records",
        "Trusts, federations, sponsors and other groups, one row per Group UID.",
        (Era("2023 onwards (21 columns)", "allgroupsdata_header.csv"),),
        ("Group UID", "Group Type"),
        notes="Every field is quoted, Group UID included; dates dd/mm/yyyy.",
    ),
    gias_daily(
        "gias_group_links", "alllinksdata", "all group links records",
        "School (URN) to group links with the date each school joined.",
        (Era("2020 onwards (20 columns)", "alllinksdata_header.csv"),),
        ("URN", "Group UID"),
        notes="No 'left' date: a link is current as of the snapshot.",
    ),
    gias_daily(
        "gias_academy_trust_links", "grouplinks_edubaseallacademiesandfree", "academy sponsor and trust links",
        "Open academies and free schools to their trust and sponsor, with joined date.",
        (Era("2025 (21 header names, 20 values)", "grouplinks_edubaseallacademiesandfree_header.csv"),),
        ("URN", "Linked UID"),
        optional_trailing_columns=("HasSharedHT",),
        notes="Rows carry 20 values for 21 header names: the last, HasSharedHT, is never written.",
    ),
    ofsted(
        "ofsted_mi_latest", "Ofsted MI: state-funded schools, latest inspections as at <date>",
        "Monthly snapshot: each open state-funded school's most recent inspections.",
        GovUkAttachments(MI_PAGE, r"state funded schools latest inspections (?:as )?at " + DATE_IN_TITLE),
        "monthly",
        (Era("report cards, from Nov 2025 (85 columns)", "ofsted_mi_latest_2025-11-onwards_85cols.csv"),
         Era("EIF, to Aug 2024 (74 columns)", "ofsted_mi_latest_2024-08_74cols.csv")),
        notes="Literal 'NULL' strings; the header may follow title lines; names drift in case.",
    ),
    ofsted(
        "ofsted_mi_in_year", "Ofsted MI: state-funded schools, all inspections, year to date published by <date>",
        "Monthly: every inspection published so far in the academic year.",
        GovUkAttachments(MI_PAGE, r"state funded schools all inspections year to date published by " + DATE_IN_TITLE),
        "monthly",
        (Era("report cards, from Nov 2025 (41 columns)", "ofsted_mi_in_year_2025-11-onwards_41cols.csv"),
         Era("2024/25 sub-judgements only (58 columns)", "ofsted_mi_in_year_2024-09_58cols.csv")),
        snapshots_comparable=False,     # the year-to-date file starts again every September
    ),
    ofsted(
        "ofsted_official_stats", "Ofsted official statistics: inspections and outcomes as at <date>",
        "Official statistics releases (most recent inspection per open school), the history before the "
        "monthly MI files.",
        GovUkAttachments(
            OFFICIAL_STATS_COLLECTION,
            r"(?:state funded|maintained) schools? (?:and academies )?inspections and outcomes (?:as )?at "
            + DATE_IN_TITLE,
            via_collection=True, document_title_pattern=r"inspections and outcomes"),
        "twice yearly",
        (Era("Common Inspection Framework, 2017 (51 columns)", "ofsted_official_stats_2017-12_51cols.csv"),),
        published_encoding="cp1252 (older releases), utf-8 (some newer)",
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
