"""Simulation study of the improvement comparison (patterns.improvement_episodes ->
patterns.group_improvement_comparisons -> patterns.group_improvement), on the national synthetic
mirror's structure.

Each world keeps the mirror's schools, successors, trust memberships and inspection dates, and
draws every inspection's outcome again from a known model, so the truth is known:

    latent quality q = a_school + disadvantage shift + group effect x ramp + noise
    a_school ~ N(0.3, 0.8), noise ~ N(0, 0.6); band by cut points 1.2 / -0.6 / -1.4
    (about 18% strong, 64% secure, 13% improvement needed, 5% serious concern)

where the group effect applies to inspections made while the school is in the trust, growing over
900 days (as the generator does). Every draw is independent of the inspection dates, which come
from the mirror. (Tried first: the generator's own model, a persistent school level N(0, 0.95) with
a yearly random walk and noise 0.3. Weak schools then mostly stay weak, so a trust that makes its
weak joiners worse has almost nothing to make worse, and no planted decliner was flagged in 4
worlds; this model lets about half of weak schools improve by the fifth year, as the national
mirror does.) `--school-level first-judgement` ties the school level to the school's first
judgement in the mirror instead (0.5 x its band's value + N(0, 0.6)): a sensitivity run in which
joining depends on a level the matching fields only partly see. Worlds:

- null: no group has any effect;
- planted: the generator's planted improvers (+1.4) and multi-academy-trust decliners (-1.2), and
  up to as many decliners again (-1.2) among trusts with at least six joiners (13 on seed 42; the
  generator's have one weak joiner each: nothing could detect them from joiners); every other
  group none;
- selection: as the 2016 rule, every school judged in the worst band that never joined a trust is
  sent to a sponsor trust 90-300 days later, and joining any trust has one system effect (+0.4);
  the planted value is the joiners' average effect at the horizon, from the same world drawn again
  without the effect (common random numbers).

The SQL models themselves are run on every world (in memory, the primary horizon only). Random
numbers come from hashes of (world seed, tag, key), so a world is the same on every machine.

    python studies/improvement_simulation.py --warehouse HOME/warehouse.duckdb --truth MIRROR/ground_truth.json
    python studies/improvement_simulation.py            # generates the mirror and runs the pipeline first

Results go to studies/results/improvement_simulation.json (and a summary on stdout).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from school_groups.sql_runner import build_model, create_macros, discover  # noqa: E402

MODELS = ("improvement_episodes", "group_improvement_comparisons", "group_improvement")
RESULTS = ROOT / "studies" / "results" / "improvement_simulation.json"
PLANTED_IMPROVER, PLANTED_DECLINER, SYSTEM_EFFECT = 1.4, -1.2, 0.4   # the generator's planted sizes

# inputs of the three models, copied once from the warehouse
INPUTS = {
    "core.inspections_in_context": "select * from {src}",
    "core.inspections": "select * from {src}",
    "core.inspection_links": "select * from {src}",
    "core.schools": "select * from {src}",
    "core.group_memberships": "select * from {src}",
    "core.school_ancestry": "select * from {src}",
    "core.groups": "select * from {src}",
    "patterns.school_attributes": "select * from {src}",
    "patterns.school_evidence": "select distinct group_key from {src}",
    "meta.settings": "select * from {src}",
}


def uniform(seed: int, tag: str, key: str) -> str:
    """SQL for a uniform (0, 1) number fixed by (seed, tag, key)."""
    return f"((hash({seed}::varchar || '|{tag}|' || {key}) % 1000000007) + 0.5) / 1000000007.0"


def normal(seed: int, tag: str, key: str) -> str:
    return (f"(sqrt(-2 * ln({uniform(seed, tag + 'a', key)})) * cos(2 * pi() * {uniform(seed, tag + 'b', key)}))")


def load(warehouse: Path, overrides: dict[str, float] | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as src (read_only)")
    for table, select in INPUTS.items():
        schema = table.split(".")[0]
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create table {table} as " + select.format(src="src." + table))
    # trusts with enough joiners for a comparison to have power: where the planted decliners go
    con.execute("""create table study_candidates as
        select group_key, count(*) as joiners from src.patterns.improvement_episodes
        where cohort = 'joiner' and reached_horizon and group_kind = 'multi_academy_trust'
          and horizon_years = (select value from src.meta.settings where key = 'improvement_primary_horizon_years')
        group by group_key having count(*) >= 6""")
    con.execute("detach src")
    con.execute("create table core.memberships_as_built as select * from core.group_memberships")
    for table in ("inspections_in_context", "inspections", "inspection_links"):
        con.execute(f"create table core.{table}_as_built as select * from core.{table}")
    for key, value in (overrides or {}).items():
        if not con.execute("select count(*) from meta.settings where key = ?", [key]).fetchall()[0][0]:
            raise SystemExit(f"--set {key}: no such setting in meta.settings")
        con.execute("update meta.settings set value = ? where key = ?", [value, key])
    # the study reads the primary horizon only
    con.execute("""update meta.settings set value = (select value from meta.settings
                                                     where key = 'improvement_primary_horizon_years')
                   where key in ('improvement_horizon_min_years', 'improvement_horizon_max_years')""")
    create_macros(con)
    return con


SCHOOL_LEVELS = {
    # independent of everything in the mirror
    "independent": "0.3 + 0.8 * {z}",
    # tied to the school's first judgement in the mirror: in the generator, weak schools were the ones
    # sponsored, so joining then depends on a level the matching fields see only through two judgements
    "first-judgement": "coalesce(0.5 * n.level + 0.15, 0.3) + 0.6 * {z}",
}
school_level = "independent"


def draw_world(con, seed: int, effects: dict[str, float], system_effect: float, send_to_sponsors: bool) -> None:
    """Draw every standing again: the outcome bands of core.inspections_in_context, core.inspections (and
    its overall effectiveness) and core.inspection_links; for selection, the memberships too."""
    con.execute("create or replace table core.group_memberships as select * from core.memberships_as_built")
    if send_to_sponsors:
        send(con, seed)
    con.execute("create or replace temp table effects (group_key varchar, beta double)")
    if effects:
        con.executemany("insert into effects values (?, ?)", list(effects.items()))
    trust = "m.group_kind in ('multi_academy_trust', 'single_academy_trust')"
    con.execute(f"""
        create or replace temp table drawn_bands as
        with fsm as (
            select quantile_cont(fsm_percent, 0.333333333333) as low, quantile_cont(fsm_percent, 0.666666666667) as high
            from patterns.school_attributes
        ),
        first_judgement as (
            select a.lineage_id, arg_min(case e.outcome_band when 'strong' then 1.4 when 'secure' then 0.3
                                              when 'improvement_needed' then -0.9 when 'serious_concern' then -1.7 end,
                                         (e.inspection_start, e.inspection_number)) as level
            from core.inspections_in_context_as_built e
            join patterns.school_attributes a on a.urn = e.urn_at_inspection
            where e.inspection_kind in ('graded', 'report_card')
            group by a.lineage_id
        ),
        school as (
            select a.urn, {SCHOOL_LEVELS[school_level].format(z=normal(seed, 'school', 'a.lineage_id::varchar'))}
                   + case when a.fsm_percent < f.low then 0.15 when a.fsm_percent >= f.high then -0.15 else 0 end as a
            from patterns.school_attributes a cross join fsm f
            left join first_judgement n on n.lineage_id = a.lineage_id
        ),
        lift as (
            -- the effect of the trust the school was in that day, growing over 900 days
            select e.inspection_number,
                   sum((coalesce(x.beta, 0) + case when {trust} then {system_effect} else 0 end)
                       * least(1.0, date_diff('day', m.valid_from, e.inspection_start) / 900.0)) as lift
            from core.inspections_in_context_as_built e
            join core.group_memberships m on m.urn = e.urn_at_inspection and m.valid_from <= e.inspection_start
                                          and (m.valid_to is null or m.valid_to > e.inspection_start)
            left join effects x on x.group_key = m.group_key
            group by e.inspection_number
        ),
        drawn as (
            select e.*, coalesce(s.a, 0.3) + coalesce(l.lift, 0)
                        + 0.6 * {normal(seed, 'noise', 'e.inspection_number')} as q
            from core.inspections_in_context_as_built e
            left join school s on s.urn = e.urn_at_inspection
            left join lift l on l.inspection_number = e.inspection_number
        )
        select inspection_number,
               case when q > 1.2 then 'strong' when q > -0.6 then 'secure'
                    when q > -1.4 then 'improvement_needed' else 'serious_concern' end as outcome_band
        from drawn
        where inspection_kind in ('graded', 'report_card', 'ungraded')   -- monitoring visits keep theirs
    """)
    for table in ("inspections_in_context", "inspection_links", "inspections"):
        overall = (", case when t.overall_effectiveness is not null then band_rank(d.outcome_band) "
                   "else t.overall_effectiveness end as overall_effectiveness") if table == "inspections" else ""
        con.execute(f"""create or replace table core.{table} as
            select t.* replace (coalesce(d.outcome_band, t.outcome_band) as outcome_band {overall})
            from core.{table}_as_built t left join drawn_bands d using (inspection_number)""")


def send(con, seed: int) -> None:
    """The 2016 rule: a school judged in the worst band that never joined a trust joins a sponsor."""
    con.execute(f"""
        insert into core.group_memberships (urn, group_key, group_kind, is_responsible_body, valid_from, valid_to,
                                            how_joined, joined_date_published, start_date_known)
        with sponsors as (
            select group_key, row_number() over (order by group_key) - 1 as i, count(*) over () as n
            from core.groups where group_kind = 'multi_academy_trust'
        ),
        never as (
            select e.urn_at_inspection as urn, min(e.inspection_start) as judged
            from core.inspections_in_context_as_built e
            where e.outcome_band = 'serious_concern' and e.inspection_kind = 'graded'
              and not exists (select 1 from core.school_ancestry a join core.memberships_as_built m on m.urn = a.urn
                              where a.ancestor_urn = e.urn_at_inspection
                                and m.group_kind in ('multi_academy_trust', 'single_academy_trust'))
            group by all
        )
        select v.urn, s.group_key, 'multi_academy_trust', true,
               cast(v.judged + to_days(cast(90 + 210 * {uniform(seed, 'when', 'v.urn::varchar')} as integer)) as date),
               null, 'sponsored', false, true
        from never v
        join sponsors s on s.i = cast(floor({uniform(seed, 'who', 'v.urn::varchar')} * s.n) as integer)
    """)


def signal_models() -> tuple[str, ...]:
    """Every patterns model group_signals needs, in build order (patterns.school_attributes is an input)."""
    models = {m.table: m for m in discover()}
    order: list[str] = []

    def visit(table: str) -> None:
        if table in order or table == "patterns.school_attributes" or not table.startswith("patterns."):
            return
        for read in models[table].reads:
            visit(".".join(read))
        order.append(table)

    visit("patterns.group_signals")
    return tuple(t.split(".")[1] for t in order)


def run_models(con, names: tuple[str, ...] = MODELS) -> None:
    models = {m.name: m for m in discover() if m.layer == "patterns"}
    for name in names:
        build_model(con, models[name], fingerprint="simulation")


def signal_flags(con) -> tuple[dict[str, int], set[str]]:
    """Schools judged before and under each group, and the groups a decline signal fired for (the same
    signals tests/test_patterns_national.py counts for the generator's planted decliners)."""
    judged = dict(con.execute("select group_key, coalesce(schools_judged_before_and_under, 0) "
                              "from patterns.group_capacity").fetchall())
    fired = {k for k, in con.execute("""select distinct group_key from patterns.group_signals where signal in
        ('decline_after_joining', 'high_share_of_concerns', 'rapid_growth_falling_outcomes')""").fetchall()}
    return judged, fired


def results(con) -> dict:
    groups = con.execute("""select group_key, joiners_matched, effect, effect_ci_low, effect_ci_high, effect_shrunk,
                                   eligible from patterns.group_improvement where scope = 'group'""").fetchall()
    system = {r[0]: r[1:] for r in con.execute(
        """select comparison_pool, effect, effect_ci_low, effect_ci_high, joiners_matched, share_improved_matched,
                  comparison_share_improved
           from patterns.group_improvement_comparisons where scope = 'system'""").fetchall()}
    return {"groups": groups, "system": system["not_yet_joined"], "system_by_pool": system}


def flags(groups) -> dict[str, str]:
    out = {}
    for key, _n, effect, low, high, _shrunk, eligible in groups:
        if eligible and low is not None and low > 0:
            out[key] = "improver"
        elif eligible and high is not None and high < 0:
            out[key] = "decliner"
    return out


def null_world(con, seeds) -> dict:
    flagged_shares, covered, widths, effects = [], 0, [], []
    for seed in seeds:
        draw_world(con, seed, {}, 0.0, False)
        run_models(con)
        r = results(con)
        eligible = [g for g in r["groups"] if g[6]]
        flagged_shares.append(len(flags(r["groups"])) / max(1, len(eligible)))
        effect, low, high = r["system"][:3]
        covered += low <= 0 <= high
        widths.append(high - low)
        effects.append(effect)
    return {"worlds": len(seeds), "mean_share_of_eligible_groups_flagged": statistics.fmean(flagged_shares),
            "max_share_flagged_in_a_world": max(flagged_shares),
            "system_interval_covers_zero": covered / len(seeds),
            "system_effect_mean": statistics.fmean(effects), "system_effect_sd": statistics.pstdev(effects),
            "system_interval_mean_width": statistics.fmean(widths)}


def planted_world(con, seeds, improvers: set[str], generator_decliners: set[str], decliners: set[str]) -> dict:
    effects = {g: PLANTED_IMPROVER for g in improvers} | {g: PLANTED_DECLINER for g in generator_decliners | decliners}
    in_top, ranked, decliner_flags, other_flags, eligible_improvers, generator_flags = [], [], [], [], [], []
    signalled, signalled_others = [], []
    min_judged = con.execute("select value from meta.settings where key = 'signal_decline_min_schools'"
                             ).fetchall()[0][0]
    chain = signal_models()
    for seed in seeds:
        draw_world(con, seed, effects, 0.0, False)
        run_models(con, chain)
        groups = results(con)["groups"]
        judged, fired = signal_flags(con)
        signalled += [g in fired for g in generator_decliners | decliners if judged.get(g, 0) >= min_judged]
        signalled_others += [g in fired for g, n in judged.items()
                             if n >= min_judged and g not in generator_decliners | decliners | improvers]
        # every trust with an estimate, ordered on the empirical-Bayes effect
        order = [g[0] for g in sorted((g for g in groups if g[5] is not None), key=lambda g: (-g[5], g[0]))]
        decile = len(order) / 10
        ranks = [order.index(g) + 1 for g in improvers if g in order]
        in_top.append(sum(r <= decile for r in ranks))
        ranked.append(len(ranks))
        eligible_improvers.append(sum(1 for g in groups if g[0] in improvers and g[6]))
        flagged = flags(groups)
        sizes = {g[0]: g[1] for g in groups}
        decliner_sizes = [sizes[g] for g in decliners if g in sizes and sizes[g] > 0]
        for g in decliners:
            if sizes.get(g, 0) > 0:
                decliner_flags.append(flagged.get(g) == "decliner")
        generator_flags += [flagged.get(g) == "decliner" for g in generator_decliners if sizes.get(g, 0) > 0]
        if decliner_sizes:
            low, high = min(decliner_sizes), max(decliner_sizes)
            for key, n, *_ in groups:
                if key not in decliners | generator_decliners | improvers and low <= n <= high:
                    other_flags.append(flagged.get(key) == "decliner")
    return {"worlds": len(seeds), "improvers_planted": len(improvers),
            "improvers_with_an_estimate_mean": statistics.fmean(ranked),
            "improvers_eligible_mean": statistics.fmean(eligible_improvers),
            "improvers_in_top_decile_mean": statistics.fmean(in_top),
            "worlds_with_at_least_8_in_top_decile": sum(t >= 8 for t in in_top) / len(seeds),
            "decliners_planted": len(decliners),
            "decliners_planted_at": sorted(decliners),
            "decliner_flag_rate": statistics.fmean(decliner_flags) if decliner_flags else None,
            "generator_decliners_planted": len(generator_decliners),
            "generator_decliner_flag_rate": statistics.fmean(generator_flags) if generator_flags else None,
            "other_groups_of_their_size_flag_rate": statistics.fmean(other_flags) if other_flags else None,
            # the decline signals of patterns.group_signals, over every planted decliner with at least
            # signal_decline_min_schools schools judged before and under it, and over the other trusts so judged
            "decliners_signalled_rate": statistics.fmean(signalled) if signalled else None,
            "other_groups_signalled_rate": statistics.fmean(signalled_others) if signalled_others else None}


def selection_world(con, seeds) -> dict:
    """Two planted values, from the same world drawn with and without the effect (common random numbers):
    the joiners' own average effect (their share improved, judged and matched, with minus without), and
    the value the headline design estimates, which also subtracts what the effect did to the comparisons
    (intention to treat: a 'not yet joined' comparison that joins a trust later gains the effect too).
    'stayed_with_la' comparisons never join by the horizon, so the joiners' own effect is its target."""
    targets = {"not_yet_joined": "design", "stayed_with_la": "joiners_own"}
    covered, gaps, estimates = ({p: 0 for p in targets}, {p: [] for p in targets}, {p: [] for p in targets})
    planted = {"joiners_own": [], "design": []}
    for seed in seeds:
        draw_world(con, seed, {}, 0.0, True)           # the same world without the effect
        run_models(con)
        without = results(con)["system_by_pool"]
        draw_world(con, seed, {}, SYSTEM_EFFECT, True)
        run_models(con)
        with_effect = results(con)["system_by_pool"]
        own = with_effect["not_yet_joined"][4] - without["not_yet_joined"][4]
        truth = {"joiners_own": own,
                 "design": own - (with_effect["not_yet_joined"][5] - without["not_yet_joined"][5])}
        for name, value in truth.items():
            planted[name].append(value)
        for pool, target in targets.items():
            effect, low, high = with_effect[pool][:3]
            covered[pool] += low <= truth[target] <= high
            gaps[pool].append(effect - truth[target])
            estimates[pool].append(effect)
    return {"worlds": len(seeds), "system_effect_latent": SYSTEM_EFFECT,
            "planted_value_joiners_own_mean": statistics.fmean(planted["joiners_own"]),
            "planted_value_design_mean": statistics.fmean(planted["design"]),
            **{pool: {"target": targets[pool], "estimate_mean": statistics.fmean(estimates[pool]),
                      "estimate_minus_planted_mean": statistics.fmean(gaps[pool]),
                      "interval_covers_planted_value": covered[pool] / len(seeds)} for pool in targets}}


def build_warehouse(work: Path) -> tuple[Path, Path]:
    from synthetic.generate import generate
    mirror, home = work / "mirror", work / "home"
    generate("national", 42, mirror)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_GROUPS_") and k != "DAGSTER_HOME"}
    env |= {"SCHOOL_GROUPS_HOME": str(home), "SCHOOL_GROUPS_SOURCE": str(mirror)}
    subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return home / "warehouse.duckdb", mirror / "ground_truth.json"


def planted_groups(con, truth: dict) -> tuple[set[str], set[str], set[str]]:
    """The generator's planted improvers and decliners, and up to as many decliners again chosen (by a
    fixed hash) among the other trusts with at least six joiners: the generator's decliners have one weak joiner each,
    too few for any comparison to detect, so they alone would test nothing."""
    def keys(pattern):
        return {f"gias:{p['group_uid']}" for p in truth["patterns"]
                if p["pattern"] == pattern and p["group_kind"] == "Multi-academy trust"}
    improvers, decliners = keys("improves_weak_joiners"), keys("declines_after_joining")
    candidates = [k for k, in con.execute("select group_key from study_candidates order by hash(group_key), group_key"
                                         ).fetchall() if k not in improvers | decliners]
    return improvers, decliners, set(candidates[:len(decliners)])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, help="a warehouse built on the national synthetic mirror")
    parser.add_argument("--truth", type=Path, help="that mirror's ground_truth.json")
    parser.add_argument("--null-worlds", type=int, default=200)
    parser.add_argument("--planted-worlds", type=int, default=50)
    parser.add_argument("--selection-worlds", type=int, default=50)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--school-level", choices=sorted(SCHOOL_LEVELS), default="independent",
                        help="how a school's underlying level is drawn (first-judgement: a sensitivity run)")
    parser.add_argument("--only", choices=["null", "planted", "selection"], action="append",
                        help="run only these worlds, merging them into an existing --out file")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a setting (sensitivity analysis), e.g. --set improvement_join_window_years=3")
    args = parser.parse_args(argv)
    global school_level
    school_level = args.school_level
    with tempfile.TemporaryDirectory() as tmp:
        warehouse, truth_file = (args.warehouse, args.truth) if args.warehouse else build_warehouse(Path(tmp))
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        overrides = {k: float(v) for k, v in (item.split("=", 1) for item in args.set)}
        con = load(warehouse, overrides)
    improvers, generator_decliners, decliners = planted_groups(con, truth)
    started = time.time()
    report = {"mirror": {k: truth[k] for k in ("generator", "generator_version", "scale", "seed")},
              "model": {"school_mean": 0.3, "school_sd": 0.8, "noise_sd": 0.6, "cuts": [1.2, -0.6, -1.4],
                        "ramp_days": 900, "school_level": school_level,
                        "planted_improver": PLANTED_IMPROVER, "planted_decliner": PLANTED_DECLINER,
                        "system_effect": SYSTEM_EFFECT},
              "settings": dict(con.execute("select key, value from meta.settings where key like 'improvement%' "
                                           "or key in ('comparison_min_cell', 'confidence_z')").fetchall())}
    if args.only and args.out.exists():
        report = json.loads(args.out.read_text(encoding="utf-8")) | {k: report[k] for k in ("mirror", "model", "settings")}
    runs = {"null": lambda: null_world(con, range(1, args.null_worlds + 1)),
            "planted": lambda: planted_world(con, range(1001, 1001 + args.planted_worlds), improvers,
                                             generator_decliners, decliners),
            "selection": lambda: selection_world(con, range(2001, 2001 + args.selection_worlds))}
    for world, run in runs.items():
        if not args.only or world in args.only:
            report[world] = run()
            print(world, json.dumps(report[world]), flush=True)
    report["seconds"] = round(time.time() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
