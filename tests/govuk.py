"""A local stand-in for GOV.UK: content API JSON and asset files, served by ``LocalServer``.

Titles, media ids and file names are real ones (see ../shared/data/ofsted/MI_FORMATS.md);
the bytes served are the bundled real-format sample files.
"""

from __future__ import annotations

from school_groups.sources.registry import MI_PAGE, OFFICIAL_STATS_COLLECTION

from .conftest import SAMPLE, Reply, attachment, content_item

MI_FILES = [
    ("Management information - state-funded schools - latest inspections as at 31 August 2024",
     "67e1b0c4a1b2c3d4e5f60718",
     "Management_information_-_state-funded_schools_-_latest_inspections_as_at_31_Aug_2024.csv"),
    ("Management information - state-funded schools - all inspections - year to date published by 31 May 2025",
     "683c1a5e2ab4c9f0d1e2f304",
     "Management_information_-_state-funded_schools_-_all_inspections_-_year_to_date_published_by_31_May_2025.csv"),
    ("Management information - state-funded schools - all inspections - year to date published by 28 February 2026",
     "69a0b1c2d3e4f5061728394a",
     "Management_information_-_state-funded_schools_-_all_inspections_-_year_to_date_published_by_28_Feb_2026.csv"),
    ("Management information - state-funded schools - latest inspections as at 30 June 2026",
     "6a54efeba6586e258d371d9c",
     "Management_information_-_state-funded_schools_-_latest_inspections_as_at_30_June_2026.csv"),
]
ODS = ("Management information - state-funded schools - as at 30 June 2026 (ODS)", "6a54efeba6586e258d371d9d",
       "Management_information_-_state-funded_schools_-_as_at_30_June_2026.ods")
OXFORDSHIRE = "maintained-schools-and-academies-inspections-and-outcomes-as-at-31-december-2017-oxfordshire.csv"
RELEASE_2017 = "/government/statistics/maintained-schools-and-academies-inspections-and-outcomes-as-at-31-december-2017"


def serve_mi_page(server, files=MI_FILES) -> list[str]:
    """Publish the MI page and its CSVs (plus an ODS to ignore); returns the CSV URLs."""
    atts, urls = [], []
    for title, media, name in files:
        url = server.route(f"/media/{media}/{name}", Reply(body=(SAMPLE / name).read_bytes()))
        atts.append(attachment(title, url))
        urls.append(url)
    title, media, name = ODS
    atts.append(attachment(title, f"{server.base_url}/media/{media}/{name}",
                           "application/vnd.oasis.opendocument.spreadsheet"))
    server.route(f"/api/content{MI_PAGE}", json_reply(content_item(atts, MI_PAGE)))
    return urls


def serve_official_stats(server) -> str:
    """A collection listing one matching release (with the Oxfordshire file) and one unrelated page."""
    url = server.route(f"/media/5a7f0c1d40f0b6230268e4a2/{OXFORDSHIRE}", Reply(body=(SAMPLE / OXFORDSHIRE).read_bytes()))
    release = content_item([
        attachment("Maintained schools and academies inspections and outcomes as at 31 December 2017: data", url),
        attachment("Main findings", f"{server.base_url}/media/5a7f0c1d40f0b6230268e4a3/main_findings.pdf",
                   "application/pdf"),
    ], RELEASE_2017)
    server.route(f"/api/content{RELEASE_2017}", json_reply(release))
    collection = {
        "base_path": OFFICIAL_STATS_COLLECTION,
        "document_type": "document_collection",
        "details": {},
        "links": {"documents": [
            {"title": "Maintained schools and academies inspections and outcomes as at 31 December 2017",
             "base_path": RELEASE_2017, "api_path": f"/api/content{RELEASE_2017}"},
            {"title": "Methodology for Ofsted's official statistics", "base_path": "/government/publications/method"},
        ]},
    }
    server.route(f"/api/content{OFFICIAL_STATS_COLLECTION}", json_reply(collection))
    return url


def json_reply(doc: dict) -> Reply:
    import json

    return Reply(body=json.dumps(doc).encode(), content_type="application/json")
