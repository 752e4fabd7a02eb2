"""The one ``Definitions`` of the project (``dagster dev`` loads this module)."""

from dagster import Definitions, in_process_executor

from assets.raw.assets import RAW_ASSETS, source_files

from .jobs import JOBS
from .resources import build_resources
from .schedules import SCHEDULES
from .sensors import SENSORS

defs = Definitions(
    assets=[*RAW_ASSETS, source_files],
    jobs=JOBS,
    schedules=SCHEDULES,
    sensors=SENSORS,
    resources=build_resources(),
    # One process, one step at a time: DuckDB allows a single writer per file.
    executor=in_process_executor,
)
