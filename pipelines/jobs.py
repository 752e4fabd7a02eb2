"""Jobs: refresh what one publisher feeds, or everything."""

from dagster import AssetSelection, define_asset_job

from assets.raw.assets import raw_asset_key
from school_groups.sources.registry import SOURCES


def publisher_selection(publisher: str) -> AssetSelection:
    keys = [raw_asset_key(s) for s in SOURCES if s.publisher_group == publisher]
    # Downstream layers (staging, core, ...) follow their inputs automatically.
    return AssetSelection.assets(*keys).downstream()


gias_refresh = define_asset_job(
    "gias_refresh", selection=publisher_selection("gias"),
    description="Fetch today's GIAS files and rebuild everything that depends on them.")
ofsted_refresh = define_asset_job(
    "ofsted_refresh", selection=publisher_selection("ofsted"),
    description="Fetch new Ofsted MI and official statistics files and rebuild what depends on them.")
full_refresh = define_asset_job(
    "full_refresh", selection=AssetSelection.all(),
    description="Every asset, in dependency order (the demo runs this).")

system_report = define_asset_job(
    "system_report",
    selection=AssetSelection.groups("sampling").downstream(),
    description="Draw the period's sample from the tables already built, estimate, publish and write the report.")

JOBS = [gias_refresh, ofsted_refresh, full_refresh, system_report]
