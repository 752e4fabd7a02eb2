"""Plain logic with no Dagster in it: reading and downloading sources, the SQL runner, table specs,
quality evaluation, the sampling design, the report. Imports neither ``assets`` nor ``pipelines``."""
