"""Render the data dictionary (markdown) from the table specs (``dbt_like_sql/<layer>/<name>.yml``).

    python -m school_groups.data_dictionary           # write docs/DATA_DICTIONARY.md
    python -m school_groups.data_dictionary --check   # fail if it is stale or a column is undocumented

Tables, grains, column descriptions and checks come from the specs. Column types, and the
Definitions section's code lists (outcome bands, eras, kinds, signals), come from the SQL
models themselves, built in memory on empty raw tables (no data, no Dagster), so the types are
the ones the warehouse will have and a column a spec forgets is caught here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from .quality import column_drift
from .raw.load import ensure_manifest, ensure_raw_table
from .sampling.indicators import INDICATORS
from .settings import PROJECT_ROOT, THRESHOLDS_FILE, load_thresholds
from .sources.registry import SOURCES
from .specs import SQL_ROOT, TableSpec, load_specs
from .sql_runner import SETTINGS_DDL, build_all, discover

OUTPUT = PROJECT_ROOT / "docs" / "DATA_DICTIONARY.md"


def build_empty(thresholds: dict[str, tuple[float, str]], root: Path = SQL_ROOT) -> duckdb.DuckDBPyConnection:
    """Every SQL model built in memory on empty raw tables, in dependency order."""
    con = duckdb.connect()
    ensure_manifest(con)
    for source in SOURCES:
        ensure_raw_table(con, source)
    con.execute(SETTINGS_DDL)
    con.executemany("insert into meta.settings values (?, ?, ?, 'dictionary')",
                    [(k, v, text) for k, (v, text) in thresholds.items()])
    build_all(con, discover(root), {("raw", s.name) for s in SOURCES} | {("raw", "source_files"), ("meta", "settings")})
    return con


def column_types(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> dict[str, str] | None:
    if not con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
                       [spec.layer, spec.name]).fetchall()[0][0]:
        return None
    return {r[0]: r[1] for r in con.execute(f'describe {spec.layer}."{spec.name}"').fetchall()}


def undocumented(con: duckdb.DuckDBPyConnection, specs: dict[str, TableSpec]) -> list[str]:
    """Columns a built table has that its spec does not describe, and described columns it lacks
    (``quality.column_drift``, the same comparison each build logs)."""
    problems = []
    for spec in specs.values():
        if column_types(con, spec) is None:
            continue
        drift = column_drift(spec, con)
        problems += [f"{spec.table}.{c}: not in {spec.path.name}" for c in drift["undocumented"]]
        problems += [f"{spec.table}.{c}: in {spec.path.name} but not built" for c in drift["described_but_missing"]]
    return problems


def cell(value) -> str:
    """A markdown table cell: pipes escaped, numbers without trailing zeros."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def definitions(con: duckdb.DuckDBPyConnection, thresholds: dict[str, tuple[float, str]]) -> list[str]:
    """The Definitions section: outcome bands, views, weightings, signals and the sample tables."""
    weak = thresholds["weak_band_rank_min"][0]
    out = ["", "## Definitions", "", "### What an inspection means: the rules", "",
           "Each rule in one sentence, with the Ofsted source it follows.", "",
           "- **Attribution.** An inspection belongs to the school inspected: where a file lists a predecessor on "
           "every row (official statistics), an inspection started before the academy opened (`Provider open date "
           "- QA`) is the predecessor's and one on or after it is the academy's own, and the MI's `URN at time of "
           "...` columns decide the rest; `attribution_rule` records which rule decided each row (Ofsted, official "
           "statistics methodology: outcomes are those of the school in its current form where it has been "
           "inspected).",
           "- **Inherited judgements.** A predecessor's judgement counts for a school only until the school is "
           "inspected in its current form, and only in the `including_inherited` view (Ofsted, \"Changes to "
           "Ofsted's statistical reporting of inspection outcomes\", 2018).",
           "- **Direction.** A judgement of school X can count for school Y only if X is Y's ancestor through "
           "GIAS predecessor/successor links (`core.school_ancestry`), never a sibling, a split school's parts, or "
           "two schools open on the same date (GIAS links; Ofsted counts each inspection for one school).",
           "- **Kinds of inspection.** The kind comes from the published type fields, never from whether a grade "
           "is filled; only graded inspections and report cards are judgements, monitoring and urgent visits "
           "carry no grade (Ofsted MI: `Inspection type`, `Inspection type grouping`, `Event type grouping`).",
           "- **Ungraded inspections.** An ungraded inspection is evidence, read against the standing it confirms "
           "(the one its outcome names, else the school's last judgement): \"Standards maintained\" at an "
           "Outstanding school confirms Outstanding (Ofsted, school inspection handbook, section 8 outcomes).",
           "- **Recency.** Two measures side by side, the age of the latest judgement and the age of the latest "
           "evidence of any kind (graded, ungraded, report card); stale means no evidence of any kind within "
           f"`stale_after_years` (default {thresholds['stale_after_years'][0]:g}, the legal limit between "
           "inspections) (Ofsted main findings: \"98% graded or ungraded under the EIF\", 31 Aug 2025).",
           "- **Eras apart.** Every published figure is computed within its reporting era on that era's own "
           "scale: overall effectiveness good or outstanding to 31 Aug 2024, the share good or outstanding per key "
           "judgement for Sept 2024 - 9 Nov 2025, and report-card grades per evaluation area on the five-point "
           "scale from 10 Nov 2025 (Ofsted official statistics as at 31 Aug 2024 and 31 Aug 2025; Ofsted: "
           "report-card grades cannot be compared with earlier grades and \"needs attention\" is not a fail).", "",
           "The reporting eras and the breaks in every trend (`staging.ofsted_reporting_eras`):", "",
           "| reporting_era | label | reported until | why a line stops or starts |", "|---|---|---|---|"]
    out += [f"| `{e}` | {cell(label)} | {cell(until) if until else 'still reported'} | {cell(why)} |"
            for e, label, until, why in con.execute(
                "select reporting_era, label, reported_until::varchar, break_reason from staging.ofsted_reporting_eras "
                "order by sort_order").fetchall()]
    out += ["", "Kinds of inspection (`staging.ofsted_inspection_kinds`):", "",
            "| kind | judgement | recency evidence | what it is |", "|---|---|---|---|"]
    out += [f"| `{k}` | {cell(j)} | {cell(r)} | {cell(d)} |" for k, j, r, d in con.execute(
        "select inspection_kind, is_judgement, is_recency_evidence, description from staging.ofsted_inspection_kinds"
    ).fetchall()]
    out += ["", "### The cross-era summary band (a convention)", "",
            "Group-level band patterns (`patterns.group_outcome_patterns`, improvement, signals, sampling) need one "
            "ordinal reading across frameworks; they use this named convention (`cross_era_band` in "
            "school_groups/thresholds.toml, recorded as `band_convention`), never the default view and never in "
            "published trends or area shares (`staging.ofsted_outcome_bands`):", "",
            "| mapping_version | scale | published value | band | concerns |", "|---|---|---|---|---|"]
    out += [f"| {' | '.join(cell(v) for v in row)} |" for row in con.execute(
        "select mapping_version, scale, value, band, concerns from staging.ofsted_outcome_bands "
        "order by mapping_version, scale, list_position(['strong', 'secure', 'improvement_needed', "
        "'serious_concern', 'not_graded'], band), value").fetchall()]
    out += ["", "Band ranks (`band_rank`): 1 strong, 2 secure, 3 improvement_needed, 4 serious_concern; not_graded "
            "has no rank and never counts as a judgement. *Good or better* = rank <= 2 (strong or secure). "
            f"*Weak* = rank >= `weak_band_rank_min` in meta.settings (default {weak:g}). Only graded and report-card "
            "inspections with a ranked band are judgements in the pattern tables.", "",
            "### Views", "",
            "Which judgement counts for a school. Group tables (`patterns.school_evidence` and the tables built on "
            "it: one row per open state-funded school in each group it belongs to now) use three views; in each, "
            "the latest graded or report-card judgement that qualifies counts (by inspection start date), and a "
            "school with none keeps its row with NULL `outcome_band` (no evidence):", "",
            "- `under_group_only`: judgements of the school's current URN whose inspection started after it joined "
            "the group (`joined_on`); a judgement on the join date counts as before joining. When the join date is "
            "unknown (an LA spell older than GIAS records) every judgement of the current URN qualifies.",
            "- `own_judgements`: judgements of the school's current URN, made before or after it joined.",
            "- `including_inherited`: the current URN's latest judgement or, while it has none, the latest inherited "
            "one (an ancestor's, or one Ofsted's file lists for the school; carried until the school is judged "
            "itself): Ofsted's official-statistics method.", "",
            "Snapshot tables (`patterns.snapshot_judgements`, `patterns.area_outcome_shares`, "
            "`patterns.system_trends`: the schools an Ofsted file lists on its as-at date) use two views, each "
            "counting the latest judgement started on or before the file's as-at date:", "",
            "- `including_inherited`: the URN's own latest judgement or, while it has none, the latest inherited "
            "one (an ancestor's, or filed under its URN by Ofsted: Ofsted's official-statistics method since 2018).",
            "- `own_judgements`: only judgements made on the URN itself.", "",
            "### Weightings", "",
            "`patterns.group_outcome_patterns` gives every share three times:", "",
            "- `schools`: each school with evidence counts once (weight 1).",
            "- `pupils`: each school is weighted by its pupils (GIAS), or by `pupil_weight_missing` "
            f"(default {thresholds['pupil_weight_missing'][0]:g}) when the count is missing; Wilson intervals then "
            "use Kish's effective number (sum w)^2 / sum w^2.",
            "- `dfe`: DfE's multi-academy-trust weighting: pupils x the school's time-in-trust weight (whole "
            "academic years, 3, 4, or 5 for five and more; mainstream schools with a known join date only, "
            "`patterns.school_trajectories.dfe_weight`); schools it does not count are left out "
            "(`schools_left_out_of_weighting`).", "",
            "Suppression (`suppress_below_schools`) is decided on the unweighted number of schools with evidence, "
            "for every weighting.", "",
            *improvement_design(thresholds),
            "### Signals", "",
            "The signals `patterns.group_signals` can raise (`patterns.signal_rules`, thresholds as built); none is "
            "a grade and none is combined into a score:", "",
            "| signal | type | rule | threshold |", "|---|---|---|---:|"]
    out += [f"| `{s}` | {cell(t)} | {cell(r)} | {cell(v)} |" for s, t, r, v in con.execute(
        "select signal, signal_type, rule, threshold from patterns.signal_rules "
        "order by signal_type = 'effective_practice', signal").fetchall()]
    out += ["", "### Sample tables", "",
            "Written by the Python assets of `assets/sampling/assets.py`, not by SQL models (their columns are "
            "below, in the sampling layer); each keeps every period's rows (rebuilding a period replaces only its "
            "rows). The system indicators estimated are ratios "
            "of `sampling.sampling_frame` columns summed over groups:", "",
            "| indicator | numerator | denominator | meaning |", "|---|---|---|---|"]
    out += [f"| `{i.name}` | `{i.numerator}` | `{i.denominator}` | {cell(i.description)} |" for i in INDICATORS]
    return out


def improvement_design(thresholds: dict[str, tuple[float, str]]) -> list[str]:
    """How "does the group improve weak schools?" is answered, in plain words, with a worked example."""
    def v(key: str) -> str:
        return f"{thresholds[key][0]:g}"
    return [
        "### Does the group improve weak schools? The design", "",
        "`patterns.improvement_episodes` -> `patterns.group_improvement_comparisons` -> "
        "`patterns.group_improvement` (the headline). In plain words:", "",
        "1. **An episode starts at a weak judgement** (graded or report card, cross-era band rank at least "
        f"`weak_band_rank_min` = {v('weak_band_rank_min')}) of a school that was in no academy trust that day. "
        "The school is followed through its successor URNs, so a converter keeps its episode.",
        "2. **Joiners** are episodes whose school joined an academy trust within `improvement_join_window_years` "
        f"= {v('improvement_join_window_years')} of the start (one per join: the earliest weak judgement in that "
        "window). The trust is credited with the episode even if the school later leaves or closes "
        "(intention to treat); leaving and closing are reported as outcomes of their own.",
        "3. **One clock for both sides.** Every episode is observed at whole-year horizons after its start "
        f"(`improvement_horizon_min_years` = {v('improvement_horizon_min_years')} to "
        f"`improvement_horizon_max_years` = {v('improvement_horizon_max_years')}); the headline reads "
        f"`improvement_primary_horizon_years` = {v('improvement_primary_horizon_years')}. The standing at a "
        "horizon is the latest evidence by then (graded, report card, or an ungraded inspection confirming a "
        "standing). With none the episode is *not yet judged*: it stays in the table and in "
        "`share_not_yet_judged`, shown beside the share improved. Horizons later than the data are not reached "
        "and left out.",
        "4. **Controls** for a joiner are episodes starting from the same band in the same framework era that "
        "had *not joined a trust by the joiner's elapsed time from start to joining*, whatever happened to "
        "them later, never the same school and never a school that was ever in the joiner's trust. They are "
        "matched on the band of the judgement before the start (weak twice running is not weak once after "
        "years of good), phase, disadvantage band (FSM tertile) and region, dropping region, then "
        "disadvantage, then phase, then the prior band when a cell has fewer than `comparison_min_cell` = "
        f"{v('comparison_min_cell')} episodes judged by the horizon (`mean_match_level` records how far).",
        "5. **Within kind.** Besides that headline pool (`not_yet_joined`), each trust is compared with "
        "schools still in no trust at the horizon (`stayed_with_la`) and with joiners of other trusts of the "
        "same kind (`other_trusts`).",
        "6. **The effect** is the joiners' share improved minus their controls' share improved, both among "
        "episodes judged by the horizon, over the same matched joiners, with Newcombe's interval. "
        "`effect_shrunk` pulls each trust towards its kind's effect by how precise its own is (the "
        "between-group variance is estimated within each kind); order trusts on it. A trust's figures are "
        f"eligible with at least `improvement_min_joiners` = {v('improvement_min_joiners')} matched joiners.", "",
        "**Worked example** (the hand-built case in `tests/test_improvement_design.py`). Old Mill (URN 1) is "
        "judged requires improvement on 15 Jan 2018 while maintained by its LA, and converts into Trust T on "
        "1 Sep 2018 as URN 101: 229 days later, inside the window, so its episode is T's. URN 101 is first "
        "judged good on 1 Mar 2021. At the two- and three-year horizons (Jan 2020, Jan 2021) it is not yet "
        "judged; at four and five years it has improved. Its controls are requires-improvement episodes of "
        "the same era that had not joined a trust 229 days after their start: Brook (URN 2), which stayed with "
        "the LA and was judged good in 2019, qualifies; a school that joined another trust 50 days after its "
        "judgement does not (it had joined by then), nor does one that joined T itself five years later. "
        "T's three joiners at five years: Old Mill improved; a school that moved on to another trust in 2019 "
        "is still T's and was judged requires improvement again (same); a school that closed in 2020 was "
        "never judged again (not yet judged, and closed). Share improved 1 of 3, not yet judged 1 of 3; "
        "the effect compares the 2 judged joiners (1 improved: 50%) with their judged controls (100%): -50 "
        "percentage points, shown with its interval but not eligible (2 matched joiners).", "",
        "The design was checked by simulation on the national synthetic mirror (`studies/improvement_simulation.py`, "
        "results in `studies/results/improvement_simulation.json` and the README).", ""]


def table_section(con: duckdb.DuckDBPyConnection, spec: TableSpec) -> list[str]:
    types = column_types(con, spec) or {}
    out = ["", f"### `{spec.table}`", "", cell(spec.description), "", f"*Grain:* {cell(spec.grain)} "
           f"*Published:* {'yes' if spec.published else 'no'}. *Spec:* `{spec.path.relative_to(PROJECT_ROOT)}`"
           if spec.path.is_relative_to(PROJECT_ROOT) else f"*Grain:* {cell(spec.grain)}", "",
           "| column | type | description |", "|---|---|---|"]
    out += [f"| `{c.name}` | {types.get(c.name, '')} | {cell(c.description)} |" for c in spec.columns]
    if spec.columns_note:
        out += ["", cell(spec.columns_note)]
    if spec.checks:
        out += ["", "| check | severity | what it asserts |", "|---|---|---|"]
        out += [f"| `{c.name}` | {c.severity} | {cell(c.description)} |" for c in spec.checks]
    return out


def render(con: duckdb.DuckDBPyConnection, specs: dict[str, TableSpec] | None = None) -> str:
    specs = specs or load_specs()
    thresholds = load_thresholds(THRESHOLDS_FILE)
    out = ["# Data dictionary", "",
           "Generated by `python -m school_groups.data_dictionary` from the table specs "
           "(`dbt_like_sql/<layer>/<name>.yml`). Do not edit by hand.", "",
           "## Thresholds (`meta.settings`)", "",
           "Every analysis threshold the models and checks read (from `school_groups/thresholds.toml`, each "
           "overridable by `SCHOOL_GROUPS_<KEY>`), recorded with the `config_id` of the whole set.", "",
           "| key | default | meaning |", "|---|---:|---|"]
    out += [f"| `{k}` | {v:g} | {cell(text)} |" for k, (v, text) in sorted(thresholds.items())]
    out += ["", "Bookkeeping tables, not described further: `meta.model_state` (each SQL model's fingerprint at its "
            "last build: an unchanged model is not rebuilt), `meta.check_state` (each table's check outcomes with "
            "the fingerprint of what they read: unchanged checks are reused), `meta.publish_state` and "
            "`meta.run_inputs` (what the last publication was built from: a rerun with nothing new does nothing)."]
    out += definitions(con, thresholds)
    layer = None
    order = {name: i for i, name in enumerate(("raw", "meta", "staging", "quarantine", "core", "patterns", "sampling"))}
    for spec in sorted(specs.values(), key=lambda s: (order.get(s.layer, 99), s.name)):
        if spec.layer != layer:
            layer = spec.layer
            out += ["", f"## {layer}"]
        out += table_section(con, spec)
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    con = build_empty(load_thresholds(THRESHOLDS_FILE))
    try:
        specs = load_specs()
        missing = undocumented(con, specs)
        if missing:
            print("columns and specs disagree:", *missing, sep="\n  ")
            return 1
        text = render(con, specs)
    finally:
        con.close()
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is stale: run python -m school_groups.data_dictionary")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
