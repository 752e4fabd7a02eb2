"""The one ``Definitions`` of the project (``dagster dev`` loads this module)."""

from dagster import Definitions, in_process_executor

from assets.meta import settings_table
from assets.publish import build_publish_asset
from assets.raw.assets import RAW_ASSETS, source_files
from assets.report.asset import system_report
from assets.sampling.assets import SAMPLING_ASSETS

from .jobs import JOBS
from .resources import build_resources
from .schedules import SCHEDULES
from .sensors import SENSORS
from .expectations import build_expectation_checks
from .invariants import build_invariant_checks
from .sql_models import build_sql_assets

RAW_LAYER = [*RAW_ASSETS, source_files, settings_table]
SQL_ASSETS = build_sql_assets({key for a in RAW_LAYER for key in a.keys})
TABLES = {key for a in [*RAW_LAYER, *SQL_ASSETS, *SAMPLING_ASSETS] for key in a.keys}
CHECKS = [*build_invariant_checks(TABLES), *build_expectation_checks(TABLES)]
PUBLISH = build_publish_asset(
    blocking=[k for c in CHECKS for k in c.check_keys if c.get_spec_for_check_key(k).blocking],
    advisory=[k for c in CHECKS for k in c.check_keys if not c.get_spec_for_check_key(k).blocking])

defs = Definitions(
    assets=[*RAW_LAYER, *SQL_ASSETS, *SAMPLING_ASSETS, PUBLISH, system_report],
    asset_checks=CHECKS,
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=build_resources(),
    # One process, one step at a time: DuckDB allows a single writer per file.
    executor=in_process_executor,
)
