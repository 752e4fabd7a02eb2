"""Jobs: refresh what one publisher feeds, or everything."""

from dagster import AssetSelection, define_asset_job

from assets.raw.assets import raw_asset_key
from school_groups.sources.registry import SOURCES


def publisher_selection(publisher: str) -> AssetSelection:
    keys = [raw_asset_key(s) for s in SOURCES if s.publisher_group == publisher]
    # Downstream layers (staging, core, ...) follow their inputs automatically.
    return AssetSelection.assets(*keys).downstream()


# A run started from the UI or a schedule that is still going after this long (waiting behind another
# run for the warehouse, or hung) is ended as failed by Dagster's run monitoring (the instance's
# dagster.yaml enables it; pipelines/cli.py writes it), with that reason in its log.
TAGS = {"dagster/max_runtime": str(2 * 60 * 60)}

gias_refresh = define_asset_job(
    "gias_refresh", selection=publisher_selection("gias"), tags=TAGS,
    description="Fetch today's GIAS files and rebuild everything that depends on them.")
ofsted_refresh = define_asset_job(
    "ofsted_refresh", selection=publisher_selection("ofsted"), tags=TAGS,
    description="Fetch new Ofsted MI and official statistics files and rebuild what depends on them.")
full_refresh = define_asset_job(
    "full_refresh", selection=AssetSelection.all(), tags=TAGS,
    description="Every asset, in dependency order (the demo runs this).")

system_report = define_asset_job(
    "system_report",
    selection=AssetSelection.groups("sampling").downstream(), tags=TAGS,
    description="Draw the period's sample from the tables already built, estimate, publish and write the report.")

JOBS = [gias_refresh, ofsted_refresh, full_refresh, system_report]
