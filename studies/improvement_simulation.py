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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The study's parts (studies/ is a package once ROOT is on the path); the test uses them from here.
from studies import improvement_simulation_draws as draws  # noqa: E402
from studies.improvement_simulation_draws import SCHOOL_LEVELS, draw_world, load  # noqa: E402,F401
from studies.improvement_simulation_worlds import (PLANTED_DECLINER, PLANTED_IMPROVER, SYSTEM_EFFECT,  # noqa: E402
                                                   null_world, planted_groups, planted_world, selection_world)

RESULTS = ROOT / "studies" / "results" / "improvement_simulation.json"


def build_warehouse(work: Path) -> tuple[Path, Path]:
    from synthetic.generate import generate
    mirror, home = work / "mirror", work / "home"
    generate("national", 42, mirror)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_GROUPS_") and k != "DAGSTER_HOME"}
    env |= {"SCHOOL_GROUPS_HOME": str(home), "SCHOOL_GROUPS_SOURCE": str(mirror)}
    subprocess.run([sys.executable, "-m", "pipelines.cli", "run"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return home / "warehouse.duckdb", mirror / "ground_truth.json"


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
    draws.school_level = args.school_level
    with tempfile.TemporaryDirectory() as tmp:
        warehouse, truth_file = (args.warehouse, args.truth) if args.warehouse else build_warehouse(Path(tmp))
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        overrides = {k: float(v) for k, v in (item.split("=", 1) for item in args.set)}
        con = load(warehouse, overrides)
    improvers, generator_decliners, decliners = planted_groups(con, truth)
    started = time.time()
    report = {"mirror": {k: truth[k] for k in ("generator", "generator_version", "scale", "seed")},
              "model": {"school_mean": 0.3, "school_sd": 0.8, "noise_sd": 0.6, "cuts": [1.2, -0.6, -1.4],
                        "ramp_days": 900, "school_level": draws.school_level,
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
