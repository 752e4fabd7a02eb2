"""The Dagster asset that writes the readers' report after each publication."""


from dagster import AssetKey, MaterializeResult, MetadataValue, ResourceParam, asset

from assets.publish import PUBLISHED_DB
from school_groups.report.build import build_report
from school_groups.report.profile_pages import groups_dir
from school_groups.settings import Settings

REPORT = AssetKey(["report", "system_report"])


@asset(key=REPORT, deps=[AssetKey(["publish", "published"])], group_name="report", kinds={"html"},
       description="A static, self-contained HTML report per sample period (system trends with each Ofsted "
                   "reporting era on its own scale and lines broken at framework and source changes, outcome "
                   "patterns by group kind, improvement of weak joiners, evidence age, sample estimates against census, key "
                   "findings, methods and breaks), built only from the published DuckDB file; every page says when "
                   "the data are synthetic. Written to $SCHOOL_GROUPS_HOME/reports/system/report-<period>.html and "
                   "latest.html (the main page), with one profile page per sampled group and their index in "
                   "groups-<period>/ beside them.")
def system_report(settings: ResourceParam[Settings]) -> MaterializeResult:
    path = build_report(settings.published_dir / PUBLISHED_DB, settings.report_dir)
    period = path.stem.removeprefix("report-")
    profiles = path.parent / groups_dir(period)
    return MaterializeResult(metadata={
        "report": MetadataValue.path(str(path)),
        "url": MetadataValue.url(path.resolve().as_uri()),
        "period": period,
        "bytes": path.stat().st_size,
        "profiles_index": MetadataValue.path(str(profiles / "index.html")),
        "profile_pages": sum(1 for p in profiles.glob("*.html") if p.name != "index.html"),
    })
