"""The Dagster asset that writes the readers' report after each publication."""


from dagster import AssetKey, MaterializeResult, MetadataValue, ResourceParam, asset

from assets.publish import PUBLISHED_DB
from school_groups.report.build import build_report
from school_groups.settings import Settings

REPORT = AssetKey(["report", "system_report"])


@asset(key=REPORT, deps=[AssetKey(["publish", "published"])], group_name="report", kinds={"html"},
       description="A static, self-contained HTML report per sample period (system trends with each Ofsted "
                   "reporting era on its own scale and lines broken at framework and source changes, outcome "
                   "patterns by group kind, improvement of weak joiners, evidence age, sample estimates against census, one "
                   "pattern profile per sampled group), built only from the published DuckDB file. Written to "
                   "$SCHOOL_GROUPS_HOME/reports/system/report-<period>.html and latest.html.")
def system_report(settings: ResourceParam[Settings]) -> MaterializeResult:
    path = build_report(settings.published_dir / PUBLISHED_DB, settings.report_dir)
    return MaterializeResult(metadata={
        "report": MetadataValue.path(str(path)),
        "url": MetadataValue.url(path.resolve().as_uri()),
        "period": path.stem.removeprefix("report-"),
        "bytes": path.stat().st_size,
    })
