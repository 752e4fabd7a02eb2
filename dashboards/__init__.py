"""The readers' dashboard: a Streamlit app over the published files only.

It reads ``$SCHOOL_GROUPS_HOME/published/published.duckdb`` read-only (never the warehouse), so it
runs while the pipeline writes, and it notices a new publication (a new ``meta.publication`` run
id) on the next page load. Imports: ``school_groups`` only, never ``assets``, ``pipelines`` or
Dagster (tests/test_import_layers.py). Start it with ``python3 scripts/dev.py dashboard``.
"""
