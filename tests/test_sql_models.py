"""The SQL model runner, and the first staging and core models on the real links file."""

import shutil

import duckdb
import pytest
from dagster import materialize

from assets.meta import settings_table
from assets.raw.assets import RAW_ASSETS, source_files
from assets.sql_models import build_sql_assets
from school_groups.sql_runner import build_model, discover, tables_read

from .conftest import LINKS_FILE, SAMPLE, resources_for

pytestmark = pytest.mark.slow

RAW_KEYS = {k for a in [*RAW_ASSETS, source_files, settings_table] for k in a.keys}


def write_model(root, table: str, sql: str, columns=("x",)) -> None:
    """A model file and the spec beside it (a model without its spec is refused)."""
    layer, name = table.split(".")
    (root / layer).mkdir(exist_ok=True)
    (root / layer / f"{name}.sql").write_text(sql)
    (root / layer / f"{name}.yml").write_text(
        f"table: {table}\ndescription: A test model.\ngrain: One row per x.\npublished: false\n"
        "columns:\n" + "".join(f"- {{name: {c}, description: column {c}}}\n" for c in columns))


def test_models_declare_what_a_row_is_and_their_inputs_are_parsed():
    models = discover()
    assert {m.table for m in models} >= {"staging.gias_links", "staging.gias_groups", "staging.gias_establishments",
                                        "core.school_lineage"}
    for m in models:
        assert m.description and "row" in m.spec.grain.lower(), m.path
    lineage = next(m for m in models if m.table == "core.school_lineage")
    # a recursive CTE and several CTEs, yet only real tables count as inputs
    assert lineage.reads == (("staging", "gias_establishments"), ("staging", "gias_links"))


def test_unqualified_or_unknown_tables_are_refused(tmp_path):
    write_model(tmp_path, "staging.bad", "select * from gias_links\n")
    with pytest.raises(ValueError, match="must be schema-qualified"):
        discover(tmp_path)
    (tmp_path / "staging" / "bad.sql").write_text("select * from raw.not_a_source\n")
    with pytest.raises(ValueError, match=r"reads \['raw/not_a_source'\], which no asset produces"):
        build_sql_assets(RAW_KEYS, tmp_path)
    assert tables_read("select 1 from raw.a x join staging.\"b\" on true", tmp_path) == (("raw", "a"), ("staging", "b"))


def test_a_failing_model_leaves_the_previous_table(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create schema raw; create table raw.t as select 1 as x union all select 2")
    write_model(tmp_path, "staging.m", "select x from raw.t\n")
    good = tmp_path / "staging" / "m.sql"
    build_model(con, discover(tmp_path)[0])
    good.write_text("select x, 1 / 0 as boom, cast('a' as integer) as broken from raw.t\n")
    with pytest.raises(duckdb.Error):
        build_model(con, discover(tmp_path)[0])
    assert con.execute("select * from staging.m order by x").fetchall() == [(1,), (2,)]


@pytest.fixture(scope="module")
def links_warehouse(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    mirror = tmp_path_factory.mktemp("mirror")
    shutil.copy(LINKS_FILE, mirror)
    shutil.copy(SAMPLE / "edubasealldata20260105.csv", mirror)
    assets = [*RAW_ASSETS, source_files, *build_sql_assets(RAW_KEYS)]
    wanted = [a for a in assets if a.key.path[0] == "raw" or a.key.to_user_string() in
              ("staging/gias_links", "staging/gias_establishments", "quarantine/gias_establishments",
               "core/school_lineage")]
    result = materialize(wanted, resources=resources_for(mirror, home, home / "w.duckdb"))
    assert result.success
    con = duckdb.connect(str(home / "w.duckdb"), read_only=True)
    yield con
    con.close()


def test_staging_links_types_every_row(links_warehouse):
    con = links_warehouse
    total, dated, empty_raw, bad = con.execute(
        "select count(*), count(link_established_date), count(*) filter (link_established_date_raw = ''), "
        "count(*) filter (urn is null or link_urn is null) from staging.gias_links").fetchall()[0]
    assert total == 33_801 and bad == 0
    assert dated + empty_raw == total and empty_raw == 8_253       # SCHEMAS.md: 8,253 empty dates in 20250422
    # SCHEMAS.md: dates run from 1993 to 2025; some lie after the snapshot (links planned ahead)
    first, last, ahead = con.execute(
        "select year(min(link_established_date)), year(max(link_established_date)), "
        "count(*) filter (link_established_date > snapshot_date) from staging.gias_links").fetchall()[0]
    assert (first, last) == (1993, 2025) and 0 < ahead < 100


def test_lineage_joins_predecessors_and_successors(links_warehouse):
    con = links_warehouse
    # every predecessor/successor pair shares a lineage, and the id is the smallest URN in it
    split = con.execute("""
        select count(*) from staging.gias_links l
        join core.school_lineage a on a.urn = l.urn join core.school_lineage b on b.urn = l.link_urn
        where (l.link_type ilike 'predecessor%' or l.link_type ilike 'successor%') and a.lineage_id <> b.lineage_id
    """).fetchall()[0][0]
    assert split == 0
    assert con.execute("select count(*) from core.school_lineage where lineage_id > urn").fetchall()[0][0] == 0
    assert con.execute("select count(distinct urn) = count(*) from core.school_lineage").fetchall() == [(True,)]
    # a real case from the file: 100006 is linked to its merged predecessor 134643
    rows = dict(con.execute("select urn, lineage_id from core.school_lineage where urn in (100006, 134643)").fetchall())
    assert rows[100006] == rows[134643] == 100006
    # sixth-form-centre links do not merge lineages on their own
    sixth = con.execute("""
        select count(*) from staging.gias_links l
        join core.school_lineage a on a.urn = l.urn join core.school_lineage b on b.urn = l.link_urn
        where l.link_type = 'Sixth Form Centre Link' and a.lineage_id = b.lineage_id
          and not exists (select 1 from staging.gias_links x where x.urn = l.urn and x.link_urn = l.link_urn
                          and x.link_type <> 'Sixth Form Centre Link')
    """).fetchall()[0][0]
    total_sixth = con.execute("select count(*) from staging.gias_links where link_type = 'Sixth Form Centre Link'").fetchall()[0][0]
    assert total_sixth > 0 and sixth < total_sixth


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory):
    """Every asset materialised on the bundled real excerpts."""
    home = tmp_path_factory.mktemp("sample-home")
    upstream = [*RAW_ASSETS, source_files, settings_table]
    result = materialize([*upstream, *build_sql_assets(RAW_KEYS)], resources=resources_for("sample", home,
                                                                                          home / "w.duckdb"))
    assert result.success
    con = duckdb.connect(str(home / "w.duckdb"), read_only=True)
    yield con
    con.close()


def test_mi_trust_uids_resolve_to_the_same_trust_names_in_gias(sample_warehouse):
    pairs = sample_warehouse.execute("""
        with mi as (
            select distinct try_cast("Multi-academy trust UID" as integer) as uid, "Multi-academy trust name" as name
            from raw.ofsted_mi_latest where "Multi-academy trust UID" not in ('NULL', '')
            union
            select distinct try_cast("Multi-academy trust UID" as integer), "Multi-academy trust name"
            from raw.ofsted_mi_in_year where "Multi-academy trust UID" not in ('NULL', '')
        )
        select mi.uid, mi.name, g.group_name, g.group_kind from mi join core.groups g on g.group_uid = mi.uid
    """).fetchall()
    assert pairs, "no MAT UID is shared by the MI samples and the GIAS excerpts"
    for uid, mi_name, gias_name, kind in pairs:
        assert mi_name.casefold() == gias_name.casefold(), (uid, mi_name, gias_name)
        assert kind == "multi_academy_trust"
    assert 5143 in {uid for uid, *_ in pairs}        # United Learning Trust, as REFERENCE_FIGURES.md notes


def test_invariants_on_the_real_excerpts(sample_warehouse):
    from school_groups.quality import threshold_sql
    from school_groups.sql_runner import create_macros
    from school_groups.settings import load_settings
    from school_groups.specs import load_specs

    thresholds = load_settings().thresholds
    create_macros(sample_warehouse)          # invariants may call the models' macros
    for spec in load_specs().values():
        for check in spec.invariants:
            broken = sample_warehouse.execute(threshold_sql(check.violations, thresholds, check.name)).fetchall()
            if check.blocking:
                assert not broken, (spec.table, check.name, broken[:3])


def test_data_dictionary_documents_every_column_and_is_up_to_date(sample_warehouse):
    from school_groups.data_dictionary import main, undocumented
    from school_groups.specs import load_specs

    from school_groups.quality import column_drift

    # the warehouse built from the real excerpts has exactly the columns the specs describe
    assert undocumented(sample_warehouse, load_specs()) == []
    present = set(sample_warehouse.execute("select schema_name || '.' || table_name from duckdb_tables()").fetchall())
    drifts = {t: d for t, spec in load_specs().items() if (t,) in present
              for d in [{k: v for k, v in column_drift(spec, sample_warehouse).items() if v}] if d}
    assert drifts == {}
    assert main(["--check"]) == 0, "docs/DATA_DICTIONARY.md is stale: run python -m school_groups.data_dictionary"


def test_unchanged_models_are_not_rebuilt_and_new_data_rebuilds_them(tmp_path):
    mirror, home = tmp_path / "mirror", tmp_path / "home"
    mirror.mkdir()
    shutil.copy(LINKS_FILE, mirror)
    upstream = [*RAW_ASSETS, source_files, settings_table]
    assets = [*upstream, *build_sql_assets(RAW_KEYS)]
    resources = resources_for(mirror, home, home / "w.duckdb")

    def rebuilt(result) -> dict[str, bool]:
        events = [e.event_specific_data.materialization for e in result.get_asset_materialization_events()]
        return {m.asset_key.to_user_string(): m.metadata["rebuilt"].value for m in events if "rebuilt" in m.metadata}

    first = rebuilt(materialize(assets, resources=resources))
    assert first["staging/gias_links"] and first["core/school_lineage"]
    second = rebuilt(materialize(assets, resources=resources))
    assert not any(second.values()), second
    lines = LINKS_FILE.read_bytes().split(b"\r\n")
    (mirror / "links_edubasealldata20250501.csv").write_bytes(b"\r\n".join(lines[:-1]))
    third = rebuilt(materialize(assets, resources=resources))
    assert third["staging/gias_links"] and third["core/school_lineage"]
    assert not third["staging/ofsted_framework_eras"]
