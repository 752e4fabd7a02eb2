"""The Definitions: the asset graph against its recorded snapshot, and what one new model brings.

The snapshot (tests/snapshots/asset_graph.json: every asset's group, dependencies and check
names) replaces a hand-kept key list: a change to the graph shows up as a diff to review.
After an intended change, rewrite it with

    SCHOOL_GROUPS_UPDATE_SNAPSHOTS=1 python3 scripts/dev.py test tests/test_definitions.py
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from dagster import AssetKey

from pipelines.build import build_defs
from pipelines.definitions import defs
from school_groups.data_dictionary import build_empty, render
from school_groups.settings import load_settings
from school_groups.sources.registry import SOURCES
from school_groups.specs import SQL_ROOT, load_specs

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_graph.json"


def graph_of(definitions) -> dict:
    graph = definitions.resolve_asset_graph()
    out = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        out[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(k.to_user_string() for k in node.parent_keys),
            "checks": sorted(c.name for c in node.check_keys),
        }
    return out


def test_asset_graph_matches_its_snapshot():
    current = graph_of(defs)
    if os.environ.get("SCHOOL_GROUPS_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    recorded = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    added, removed = sorted(set(current) - set(recorded)), sorted(set(recorded) - set(current))
    changed = sorted(k for k in set(current) & set(recorded) if current[k] != recorded[k])
    assert not (added or removed or changed), (
        f"asset graph differs from {SNAPSHOT.name}: added {added}, removed {removed}, changed {changed}; "
        "if intended, rerun with SCHOOL_GROUPS_UPDATE_SNAPSHOTS=1")


def test_every_source_and_spec_has_its_asset_described_from_the_spec():
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string().replace("/", ".") for k in graph.get_all_asset_keys()}
    specs = load_specs()
    assert {s.table for s in SOURCES} <= keys
    # every table an asset builds has a spec, and every spec but the publication's own has an asset
    assert keys - {"publish.published", "report.system_report"} <= set(specs)
    assert set(specs) - keys == {"meta.publication"}
    for table, spec in specs.items():
        if table not in keys:
            continue
        node = graph.get(AssetKey(table.split(".")))
        assert spec.description.split()[0] in (node.description or ""), table
        schema = node.metadata["dagster/column_schema"]
        assert [c.name for c in schema.columns] == [c.name for c in spec.columns]
        assert all(c.description for c in schema.columns)
        assert {c.name for c in spec.checks} <= {c.name for c in node.check_keys}
    for source in SOURCES:
        assert source.publisher in (graph.get(AssetKey(["raw", source.name])).description or "")


THROWAWAY_SQL = "select group_kind, count(*) as groups from core.groups group by group_kind\n"
THROWAWAY_YML = """\
table: patterns.throwaway_counts
description: Groups counted by kind, a throwaway model added by a test.
grain: One row per group kind.
published: true
columns:
- name: group_kind
  description: Kind of group, as core.groups has it
- name: groups
  description: Number of groups of that kind
frame: |
  select group_kind, groups from patterns.throwaway_counts
checks:
- name: group_kind_unique
  description: One row per kind
  severity: ERROR
  expect: ExpectColumnValuesToBeUnique
  kwargs: {column: group_kind}
- name: no_empty_kind
  description: Every kind counted has a group
  severity: WARN
  violations: select * from patterns.throwaway_counts where groups < 1
"""


def test_a_new_model_is_two_files_and_everything_else_follows(tmp_path):
    root = tmp_path / "dbt_like_sql"
    shutil.copytree(SQL_ROOT, root)
    (root / "patterns" / "throwaway_counts.sql").write_text(THROWAWAY_SQL)
    (root / "patterns" / "throwaway_counts.yml").write_text(THROWAWAY_YML)

    built = build_defs(load_settings(home=tmp_path), sql_root=root)
    graph = built.resolve_asset_graph()
    key = AssetKey(["patterns", "throwaway_counts"])
    node = graph.get(key)
    # its asset, reading core.groups, with the column descriptions from the spec
    assert node.group_name == "patterns" and AssetKey(["core", "groups"]) in node.parent_keys
    columns = {c.name: c.description for c in node.metadata["dagster/column_schema"].columns}
    assert columns == {"group_kind": "Kind of group, as core.groups has it", "groups": "Number of groups of that kind"}
    # its checks, the ERROR one blocking
    checks = {c.name: c for c in node.check_keys}
    assert set(checks) == {"group_kind_unique", "no_empty_kind"}
    specs = {s.key.name: s for a in built.assets if hasattr(a, "check_specs") for s in a.check_specs
             if s.asset_key == key}
    assert specs["group_kind_unique"].blocking and not specs["no_empty_kind"].blocking
    # its place in the publish list
    assert key in graph.get(AssetKey(["publish", "published"])).parent_keys
    # its dictionary entry, with the type DuckDB gives the column
    con = build_empty(load_settings().thresholds, root)
    try:
        text = render(con, load_specs(root))
    finally:
        con.close()
    entry = text[text.index("### `patterns.throwaway_counts`"):]
    assert "Groups counted by kind" in entry and "| `groups` | BIGINT | Number of groups of that kind |" in entry
    assert "| `no_empty_kind` | WARN | Every kind counted has a group |" in entry


def test_jobs_schedules_sensor_and_serial_execution():
    assert {j.name for j in defs.resolve_all_job_defs()} >= {"gias_refresh", "ofsted_refresh", "full_refresh"}
    schedules = {s.name: s for s in defs.schedules}
    assert schedules["gias_daily"].cron_schedule == "0 7 * * *"
    assert schedules["ofsted_mi_monthly"].job_name == "ofsted_refresh"
    assert [s.name for s in defs.sensors] == ["ofsted_mi_release_sensor", "dq_report_on_success",
                                              "dq_report_on_failure", "recover_dead_runs"]
    gias_job = defs.resolve_job_def("gias_refresh")
    gias_keys = {k.to_user_string() for k in gias_job.asset_layer.selected_asset_keys}
    assert "raw/gias_links" in gias_keys and "raw/ofsted_mi_latest" not in gias_keys
    assert defs.resolve_job_def("full_refresh").executor_def.name == "in_process"


@pytest.mark.slow
def test_dg_check_defs_passes():
    """``dg check defs`` (dagster-dg-cli, pinned with dagster) loads the same Definitions."""
    import subprocess
    import sys

    dg = Path(sys.executable).parent / "dg"
    env = {**os.environ, "VIRTUAL_ENV": str(Path(sys.executable).parents[1])}
    done = subprocess.run([str(dg), "check", "defs"], cwd=Path(__file__).resolve().parents[1], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "All definitions loaded successfully" in done.stdout + done.stderr
