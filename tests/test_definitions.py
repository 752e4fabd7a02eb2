"""The Definitions load and mirror the registry: one raw asset per source, keyed like its table."""

from dagster import AssetKey

from assets.sources.registry import SOURCES
from pipelines.definitions import defs
from pipelines.sql_models import discover


def test_every_source_has_a_raw_asset_keyed_like_its_table():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    models = {m.table.replace(".", "/") for m in discover()}
    python_assets = {"raw/source_files", "meta/settings", "publish/published", "report/system_report",
                     "sampling/sample_draw", "sampling/sample_estimates"}
    expected = {s.table.replace(".", "/") for s in SOURCES} | python_assets | models
    assert expected == keys
    for model in discover():
        node = graph.get(model.key)
        assert node.group_name == model.layer and node.description == model.description
    for source in SOURCES:
        node = graph.get(AssetKey(["raw", source.name]))
        assert node.group_name == "raw"
        assert source.publisher in (node.description or "")


def test_jobs_schedules_sensor_and_serial_execution():
    assert {j.name for j in defs.resolve_all_job_defs()} >= {"gias_refresh", "ofsted_refresh", "full_refresh"}
    schedules = {s.name: s for s in defs.schedules}
    assert schedules["gias_daily"].cron_schedule == "0 7 * * *"
    assert schedules["ofsted_mi_monthly"].job_name == "ofsted_refresh"
    assert [s.name for s in defs.sensors] == ["ofsted_mi_release_sensor", "dq_report_on_success",
                                              "dq_report_on_failure"]
    gias_job = defs.resolve_job_def("gias_refresh")
    gias_keys = {k.to_user_string() for k in gias_job.asset_layer.selected_asset_keys}
    assert "raw/gias_links" in gias_keys and "raw/ofsted_mi_latest" not in gias_keys
    assert defs.resolve_job_def("full_refresh").executor_def.name == "in_process"
