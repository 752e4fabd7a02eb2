"""Power probe for issue 13's planted-improver bar (8 of 9 planted improvers in the top decile):
where the improvers are lost, how far better designs or ranking statistics get, and an upper bound
from the evidence itself. Exploration, not part of the pipeline; it reuses the simulation study's
worlds (studies/improvement_simulation_draws.py) and the real SQL up to the per-joiner matched rows,
then recomputes each group's estimate in pandas so that many read-outs can be compared on the same
drawn worlds (pandas and scipy come with the project's environment through its dependencies).

    python studies/improvement_power_probe.py dump --kind planted --seeds 1001:1021 --window 3 --hmax 6 --out P.parquet
    python studies/improvement_power_probe.py dump --kind null --seeds 1:61 --window 3 --hmax 6 --out N.parquet
    python studies/improvement_power_probe.py evaluate --planted P.parquet --null N.parquet --read h5 latest

The recomputation reproduces patterns.group_improvement_comparisons exactly for the primary horizon
(the same effect, intervals, per-kind between-group variance and shrinkage; checked on world 1001).
Findings are in studies/results/improvement_power.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import norm

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

Z = 1.96
STATS = ("shrunk", "p_above_kind", "excess", "ci_low")


def dump(args) -> None:
    """Draw worlds and keep every joiner's matched row (not_yet_joined pool) at every horizon reached."""
    from school_groups.sql_runner import build_model, discover
    from studies import improvement_simulation_draws as draws
    from studies.improvement_simulation_worlds import PLANTED_DECLINER, PLANTED_IMPROVER, planted_groups
    draws.school_level = args.level
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    con = draws.load(args.warehouse, {"improvement_join_window_years": args.window})
    # load() pins every horizon to the primary one; the probe reads several
    for key, value in (("improvement_horizon_min_years", args.hmin), ("improvement_horizon_max_years", args.hmax)):
        con.execute("update meta.settings set value = ? where key = ?", [value, key])
    improvers, generator_decliners, decliners = planted_groups(con, truth)
    models = {m.name: m for m in discover() if m.layer == "patterns"}
    sql = models["group_improvement_comparisons"].sql
    joiner_rows = sql[:sql.index(",\nscoped as (")] + """
        select episode_id, horizon_years, group_key, group_kind, start_date, joined_on, improved, not_yet_judged,
               match_level, m, q, is_matched, cell
        from joiner_rows where comparison_pool = 'not_yet_joined'"""
    effects = {} if args.kind == "null" else (
        {g: PLANTED_IMPROVER for g in improvers} | {g: PLANTED_DECLINER for g in generator_decliners | decliners})
    first, last = map(int, args.seeds.split(":"))
    frames = []
    for seed in range(first, last):
        draws.draw_world(con, seed, effects, 0.0, False)
        build_model(con, models["improvement_episodes"], fingerprint="probe")
        frames.append(con.execute(joiner_rows).df().assign(seed=seed))
        print(seed, flush=True)
    pd.concat(frames).to_parquet(args.out)
    meta = {"improvers": sorted(improvers), "decliners": sorted(decliners | generator_decliners),
            "ranked": sorted(k for k, in con.execute("select distinct group_key from patterns.school_evidence"
                                                      ).fetchall())}
    Path(str(args.out) + ".json").write_text(json.dumps(meta), encoding="utf-8")


def wilson(p, n):
    centre, half, d = p + Z * Z / (2 * n), Z * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)), 1 + Z * Z / n
    return np.maximum(0, np.minimum(p, (centre - half) / d)), np.minimum(1, np.maximum(p, (centre + half) / d))


def estimates(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """effect, null variance and interval as group_improvement_comparisons computes them."""
    mt = rows[rows.is_matched]
    cells = mt.groupby(keys + ["horizon_years", "match_level", "cell"]).agg(
        n_c=("q", "size"), q_c=("q", "mean"), m_c=("m", "mean")).reset_index()
    cells["v"] = cells.n_c ** 2 * cells.q_c * (1 - cells.q_c) / cells.m_c
    g = mt.groupby(keys).agg(n=("q", "size"), p=("improved", "mean"), qbar=("q", "mean")).join(
        cells.groupby(keys).v.sum().rename("wv")).reset_index()
    low, high = wilson(g.p, g.n)
    g["effect"] = g.p - g.qbar
    g["null_var"] = g.qbar * (1 - g.qbar) / g.n + g.wv / g.n ** 2
    g["ci_low"] = g.effect - np.sqrt((g.p - low) ** 2 + Z * Z * g.wv / g.n ** 2)
    g["ci_high"] = g.effect + np.sqrt((high - g.p) ** 2 + Z * Z * g.wv / g.n ** 2)
    return g


def world(rows: pd.DataFrame, min_joiners: int = 3):
    g = estimates(rows, ["group_key", "group_kind"])
    kind = estimates(rows, ["group_kind"]).set_index("group_kind").effect
    system = estimates(rows.assign(all=1), ["all"]).iloc[0]
    g["eligible"] = g.n >= min_joiners
    el = g[g.eligible]
    tau_all = max(0.0, el.effect.var() - el.null_var.mean()) if len(el) > 1 else 0.0
    tau = {k: max(0.0, e.effect.var() - e.null_var.mean()) if len(e) >= 2 else tau_all
           for k, e in el.groupby("group_kind")}
    g["tau2"] = g.group_kind.map(lambda k: tau.get(k, tau_all))
    g["prior"] = g.group_kind.map(kind)
    shrink = g.tau2 / (g.tau2 + g.null_var)
    g["shrunk"] = g.prior + (g.effect - g.prior) * shrink
    # posterior probability (normal prior N(kind mean, tau2)) that the group beats its kind's mean
    g["p_above_kind"] = norm.sf(0, loc=(g.effect - g.prior) * shrink,
                                scale=np.maximum(np.sqrt(g.tau2 * g.null_var / (g.tau2 + g.null_var)), 1e-9))
    # joiners improved beyond what their matched comparisons predict
    g["excess"] = g.n * (g.effect - g.prior)
    g["flag"] = np.where(g.eligible & (g.ci_low > 0), "improver",
                         np.where(g.eligible & (g.ci_high < 0), "decliner", ""))
    return g, system


def read(d: pd.DataFrame, how: str) -> pd.DataFrame:
    """One row per joiner episode: at a fixed horizon ('h5'), or at the latest horizon it has reached
    ('latest': rows exist only for reached horizons, and which are reached depends on the start date alone),
    or a set time after joining ('lag+3')."""
    if how.startswith("h"):
        return d[d.horizon_years == int(how[1:])]
    if how == "latest":
        return d.sort_values("horizon_years").groupby(["seed", "episode_id"]).tail(1)
    if how.startswith("lag+"):
        # each joiner at the first whole-year horizon at least K years after it joined (a new academy is
        # normally first inspected in its third year); its comparisons are read at that horizon too
        lag = (pd.to_datetime(d.joined_on) - pd.to_datetime(d.start_date)).dt.days / 365.25
        return d[d.horizon_years == np.ceil(lag + float(how[4:])).clip(lower=d.horizon_years.min())]
    raise SystemExit(f"unknown read {how}")


def evaluate(args) -> None:
    out = {}
    for how in args.read:
        res = {}
        if args.planted:
            d, meta = pd.read_parquet(args.planted), json.loads(Path(str(args.planted) + ".json").read_text())
            improvers, ranked = set(meta["improvers"]), set(meta["ranked"])
            top, bound, eligible = {s: [] for s in STATS}, [], []
            for _seed, w in read(d, how).groupby("seed"):
                g, _ = world(w)
                g = g[g.group_key.isin(ranked)]
                decile = len(g) / 10
                for s in STATS:
                    order = g.sort_values([s, "group_key"], ascending=[False, True]).group_key.tolist()
                    top[s].append(sum(1 for i, k in enumerate(order) if k in improvers and i + 1 <= decile))
                # a trust with one matched joiner that improved is indistinguishable from the ~200-300 other
                # trusts with one improved joiner (the decile is 45-75 trusts): an improver needs two or more
                bound.append(int(((g.n >= 2) & g.group_key.isin(improvers)).sum()))
                eligible.append(int((g.eligible & g.group_key.isin(improvers)).sum()))
            def mean_and_share(v):   # mean improvers in the top decile; share of worlds with at least 8
                return [round(float(np.mean(v)), 2), round(float(np.mean(np.array(v) >= 8)), 2)]
            res |= {f"top_decile_{s}": mean_and_share(v) for s, v in top.items()}
            res |= {"improvers_with_2_matched": mean_and_share(bound),
                    "improvers_eligible": round(float(np.mean(eligible)), 2)}
        if args.null:
            d, meta = pd.read_parquet(args.null), json.loads(Path(str(args.null) + ".json").read_text())
            shares, covered = [], []
            for _seed, w in read(d, how).groupby("seed"):
                g, system = world(w)
                g = g[g.group_key.isin(set(meta["ranked"]))]
                shares.append((g.flag != "").sum() / max(1, g.eligible.sum()))
                covered.append(system.ci_low <= 0 <= system.ci_high)
            res |= {"null_flag_share": round(float(np.mean(shares)), 4),
                    "null_covers_zero": round(float(np.mean(covered)), 3), "null_worlds": len(shares)}
        out[how] = res
        print(how, json.dumps(res), flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("dump")
    p.add_argument("--warehouse", type=Path, default=ROOT / "data" / "home" / "warehouse.duckdb")
    p.add_argument("--truth", type=Path, default=ROOT / "data" / "mirror-national-42" / "ground_truth.json")
    p.add_argument("--kind", choices=["null", "planted"], required=True)
    p.add_argument("--seeds", required=True, help="first:last (exclusive)")
    p.add_argument("--window", type=float, default=2)
    p.add_argument("--hmin", type=int, default=3)
    p.add_argument("--hmax", type=int, default=5)
    p.add_argument("--level", default="independent")
    p.add_argument("--out", type=Path, required=True)
    e = sub.add_parser("evaluate")
    e.add_argument("--planted", type=Path)
    e.add_argument("--null", type=Path)
    e.add_argument("--read", nargs="+", default=["h5", "latest"])
    args = parser.parse_args(argv)
    (dump if args.command == "dump" else evaluate)(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
