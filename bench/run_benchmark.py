"""Benchmark the whole pipeline on a mirror directory and record the results.

    .venv/bin/python bench/run_benchmark.py [--mirror DIR] [--scale national] [--seed 42]
                                            [--out bench/results] [--readme README.md] [--keep-work]

Without --mirror the synthetic mirror is generated once (``python -m synthetic.generate``)
into ``bench/.mirror-<scale>-<seed>/`` and reused while its ``ground_truth.json`` is from the current generator version.
Phases, each a child process timed on the wall clock, its peak RSS taken from ``os.wait4``:

- full:  ``python -m pipelines.cli run --job full_refresh`` into a fresh SCHOOL_GROUPS_HOME;
- rerun: the same command on the same home with unchanged inputs;
- floor: ``bench/floor.py``, a bare DuckDB script loading the same CSV files with read_csv.

Per-asset seconds come from the Dagster event log of each run (STEP_START to STEP_SUCCESS or
STEP_FAILURE). Writes ``<out>/<YYYY-MM-DD>.json`` and ``<out>/latest.md`` and prints the
markdown. Targets are measured and reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
MARKERS = ("<!-- bench:start -->", "<!-- bench:end -->")
TRUTH_FILE = "ground_truth.json"
TARGETS = {  # name: (limit, unit, how to read the measured value from the results)
    "full ≤ 60 s": (60, "s", lambda r: r["phases"]["full"]["wall_s"]),
    "full ≤ 4× floor": (4, "×", lambda r: r["ratios"]["full_over_floor"]),
    "rerun ≤ 10 s": (10, "s", lambda r: r["phases"]["rerun"]["wall_s"]),
    "peak RSS ≤ 2 GB": (2048, "MB", lambda r: max(r["phases"][p]["peak_rss_mb"] for p in ("full", "rerun"))),
}


class PhaseFailed(RuntimeError):
    """A measured command exited non-zero; the message holds the tail of its output."""


def run_measured(name: str, cmd: list[str], env: dict[str, str], logs: Path) -> dict:
    """Run ``cmd`` as a child process; its wall seconds and its own peak RSS (os.wait4).

    stdout and stderr go to ``logs/<name>.out`` and ``logs/<name>.err`` (read them after).
    Raises PhaseFailed when the command exits non-zero.
    """
    out, err = logs / f"{name}.out", logs / f"{name}.err"
    with open(out, "wb") as fo, open(err, "wb") as fe:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fo, stderr=fe)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = "\n".join((out.read_text(errors="replace") + err.read_text(errors="replace")).splitlines()[-40:])
        raise PhaseFailed(f"{name} exited with {proc.returncode}: {' '.join(cmd)}\n{tail}")
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is KiB
            "user_s": round(usage.ru_utime, 2), "sys_s": round(usage.ru_stime, 2)}


def child_env(**settings: str) -> dict[str, str]:
    """This process's environment without DAGSTER_HOME (the CLI makes its own under the home)."""
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    return env | settings


def ensure_mirror(scale: str, seed: int, logs: Path) -> tuple[Path, dict | None]:
    """The cached synthetic mirror for scale/seed, generated (and measured) when missing."""
    from synthetic.generate import is_current

    mirror = BENCH / f".mirror-{scale}-{seed}"
    if is_current(mirror):
        return mirror, None
    print(f"generating the {scale} mirror (seed {seed}) into {mirror} ...", file=sys.stderr, flush=True)
    cmd = [sys.executable, "-m", "synthetic.generate", "--scale", scale, "--seed", str(seed), "--out", str(mirror)]
    return mirror, run_measured("generate", cmd, child_env(), logs)


def asset_timings(dagster_home: Path) -> dict:
    """Seconds per asset for the latest run in the Dagster instance at ``dagster_home``.

    STEP_START to STEP_SUCCESS/STEP_FAILURE per step key; step keys are mapped to asset keys
    through the run's ASSET_MATERIALIZATION_PLANNED events (``raw__gias_links`` → ``raw/gias_links``).
    """
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    from dagster import DagsterEventType, DagsterInstance

    ends = {DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE}
    wanted = {DagsterEventType.STEP_START, DagsterEventType.ASSET_MATERIALIZATION_PLANNED} | ends
    with DagsterInstance.get() as instance:
        record = instance.get_run_records(limit=1)[0]
        run_id = record.dagster_run.run_id
        started, finished, asset_of = {}, {}, {}
        for entry in instance.all_logs(run_id, of_type=wanted):
            event = entry.dagster_event
            if event.event_type == DagsterEventType.ASSET_MATERIALIZATION_PLANNED:
                asset_of[entry.step_key] = event.asset_key.to_user_string()
            elif event.event_type == DagsterEventType.STEP_START:
                started[entry.step_key] = entry.timestamp
            else:
                finished[entry.step_key] = entry.timestamp
    return {
        "run_id": run_id,
        "status": record.dagster_run.status.value,
        "run_s": round(record.end_time - record.start_time, 2) if record.end_time and record.start_time else None,
        "assets": {asset_of.get(step, step.replace("__", "/")): round(finished[step] - t, 3)
                   for step, t in started.items() if step in finished},
    }


def pipeline_phase(name: str, mirror: Path, home: Path, logs: Path) -> dict:
    """Run the full_refresh job on ``mirror`` into ``home``; measurements plus per-asset times."""
    cmd = [sys.executable, "-m", "pipelines.cli", "run", "--job", "full_refresh"]
    env = child_env(SCHOOL_GROUPS_SOURCE=str(mirror), SCHOOL_GROUPS_HOME=str(home))
    result = run_measured(name, cmd, env, logs)
    return result | {"dagster": asset_timings(home / "dagster_home")}


def floor_phase(mirror: Path, work: Path, logs: Path) -> dict:
    """Run bench/floor.py on ``mirror`` into a fresh database under ``work``."""
    cmd = [sys.executable, str(BENCH / "floor.py"), str(mirror), str(work / "floor.duckdb")]
    result = run_measured("floor", cmd, child_env(), logs)
    return result | {"loaded": json.loads((logs / "floor.out").read_text())}


def mirror_facts(mirror: Path, floor: dict) -> dict:
    """Size of the mirror: every file, and the CSV files the pipeline (and the floor) load."""
    files = [p for p in mirror.rglob("*") if p.is_file()]
    loaded = floor["loaded"]["files"]
    return {"path": display_path(mirror), "files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "csv_files_loaded": len(loaded), "csv_bytes_loaded": sum(f["bytes"] for f in loaded),
            "rows_loaded_by_floor": floor["loaded"]["rows"]}


def machine_facts() -> dict:
    """Cores, memory, CPU model, platform and the versions that matter."""
    import dagster
    import duckdb

    def proc_field(path: str, key: str) -> str:
        try:
            return next(line.split(":", 1)[1].strip() for line in open(path) if line.startswith(key))
        except (OSError, StopIteration):
            return ""

    mem_kib = proc_field("/proc/meminfo", "MemTotal").split()
    return {"cores": os.cpu_count(), "memory_gb": round(int(mem_kib[0]) / 1024 ** 2, 1) if mem_kib else None,
            "cpu": proc_field("/proc/cpuinfo", "model name"), "platform": platform.platform(),
            "python": platform.python_version(), "duckdb": duckdb.__version__, "dagster": dagster.__version__,
            "settings": {k: v for k, v in os.environ.items()
                         if k.startswith("SCHOOL_GROUPS_") and k not in ("SCHOOL_GROUPS_SOURCE", "SCHOOL_GROUPS_HOME")}}


def display_path(path: Path) -> str:
    """``path`` relative to the project root when it is inside it."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def evaluate(results: dict) -> dict:
    """Ratios and, for each target, the measured value and whether it was met."""
    phases = results["phases"]
    results["ratios"] = {"full_over_floor": round(phases["full"]["wall_s"] / phases["floor"]["wall_s"], 2),
                         "rerun_over_full": round(phases["rerun"]["wall_s"] / phases["full"]["wall_s"], 2)}
    results["targets"] = {name: {"limit": limit, "unit": unit, "measured": measured(results),
                                 "met": measured(results) <= limit}
                          for name, (limit, unit, measured) in TARGETS.items()}
    return results


def table(header: list[str], rows: list[list], align: str) -> list[str]:
    """A markdown table; ``align`` holds one 'l' or 'r' per column."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def quantity(value: float, unit: str) -> str:
    """A measured value with its unit, e.g. '6.40 s', '15.6×', '292 MB'."""
    return {"s": f"{value:,.2f} s", "×": f"{value:,.1f}×", "MB": f"{value:,.0f} MB"}[unit]


def markdown(r: dict) -> str:
    """The results as a markdown section (phases, per-asset times, ratios, targets, machine)."""
    m, ph, mc = r["mirror"], r["phases"], r["machine"]
    source = f"synthetic {r['scale']}, seed {r['seed']}" if r["generated_mirror"] else "given mirror"
    lines = [f"### Benchmark {r['date']}: `{m['path']}` ({source})", "",
             f"{m['csv_files_loaded']} CSV files loaded, {m['csv_bytes_loaded'] / 1e6:,.1f} MB, "
             f"{m['rows_loaded_by_floor']:,} data rows (mirror: {m['files']} files, {m['bytes'] / 1e6:,.1f} MB).", ""]
    labels = {"generate": "generate mirror", "full": "full refresh (fresh home)",
              "rerun": "rerun (unchanged inputs)", "floor": "floor (bare DuckDB read_csv)"}
    lines += table(["phase", "wall s", "peak RSS MB"],
                   [[labels[p], f"{v['wall_s']:.2f}", f"{v['peak_rss_mb']:,.0f}"] for p, v in ph.items()], "lrr")
    full, rerun = ph["full"]["dagster"]["assets"], ph["rerun"]["dagster"]["assets"]
    lines += ["", "Per asset (Dagster step start to end):", ""]
    lines += table(["asset", "full s", "rerun s"],
                   [[f"`{a}`", f"{s:.2f}", f"{rerun[a]:.2f}" if a in rerun else "–"]
                    for a, s in sorted(full.items(), key=lambda kv: -kv[1])], "lrr")
    ratios = r["ratios"]
    lines += ["", f"Ratios: full / floor = **{ratios['full_over_floor']:.1f}×**, "
                  f"rerun / full = **{ratios['rerun_over_full']:.2f}**. Time inside the Dagster run "
                  f"(the rest is interpreter start, imports and summary): full {ph['full']['dagster']['run_s']} s, "
                  f"rerun {ph['rerun']['dagster']['run_s']} s.", ""]
    lines += table(["target", "measured", "result"],
                   [[name, quantity(t["measured"], t["unit"]), "met" if t["met"] else "**missed**"]
                    for name, t in r["targets"].items()], "lrl")
    lines += ["", f"Machine: {mc['cores']} cores ({mc['cpu'] or 'cpu unknown'}), {mc['memory_gb']} GB RAM, "
                  f"{mc['platform']}; Python {mc['python']}, DuckDB {mc['duckdb']}, Dagster {mc['dagster']}"
                  + (f"; settings {mc['settings']}" if mc["settings"] else "") + "."]
    return "\n".join(lines) + "\n"


def replace_between_markers(path: Path, text: str) -> bool:
    """Put ``text`` between the bench markers in ``path``; False (file untouched) without them."""
    content = path.read_text(encoding="utf-8")
    start, end = content.find(MARKERS[0]), content.find(MARKERS[1])
    if start == -1 or end < start:
        return False
    path.write_text(content[:start + len(MARKERS[0])] + "\n" + text + content[end:], encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirror", type=Path, help="an existing mirror directory (default: generate one, cached)")
    parser.add_argument("--scale", default="national", help="generator scale when no --mirror (default national)")
    parser.add_argument("--seed", type=int, default=42, help="generator seed when no --mirror (default 42)")
    parser.add_argument("--out", type=Path, default=BENCH / "results", help="results directory")
    parser.add_argument("--readme", type=Path, help="also put the markdown between the bench markers of this file")
    parser.add_argument("--keep-work", action="store_true", help="keep the scratch directory (home, logs, floor db)")
    args = parser.parse_args(argv)

    if args.mirror and not args.mirror.is_dir():
        parser.error(f"--mirror {args.mirror} is not a directory")
    work = Path(tempfile.mkdtemp(prefix="school-groups-bench-"))
    keep = args.keep_work
    try:
        mirror, phases = run_phases(args, work)
        results = evaluate({
            "date": datetime.now().strftime("%Y-%m-%d"),
            "timestamp": datetime.now().astimezone().isoformat(timespec="seconds"),
            "scale": None if args.mirror else args.scale, "seed": None if args.mirror else args.seed,
            "generated_mirror": not args.mirror, "mirror": mirror_facts(mirror, phases["floor"]),
            "phases": phases, "machine": machine_facts(),
        })
        text = markdown(results)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{results['date']}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
        (args.out / "latest.md").write_text(text, encoding="utf-8")
        if args.readme and not replace_between_markers(args.readme, text):
            print(f"{args.readme}: no {MARKERS[0]} … {MARKERS[1]} markers; left unchanged", file=sys.stderr)
        print(text)
        return 0
    except PhaseFailed as exc:
        keep = True
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if keep:
            print(f"scratch directory kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def run_phases(args: argparse.Namespace, work: Path) -> tuple[Path, dict[str, dict]]:
    """The mirror (generated if needed) and the measured phases, in order, logs under ``work``."""
    logs = work / "logs"
    logs.mkdir()
    phases: dict[str, dict] = {}
    if args.mirror:
        mirror = args.mirror.resolve()
    else:
        mirror, generated = ensure_mirror(args.scale, args.seed, logs)
        if generated:
            phases["generate"] = generated
    for name in ("full", "rerun"):
        print(f"{name}: pipeline on {mirror} ...", file=sys.stderr, flush=True)
        phases[name] = pipeline_phase(name, mirror, work / "home", logs)
    print("floor: bare DuckDB ...", file=sys.stderr, flush=True)
    phases["floor"] = floor_phase(mirror, work, logs)
    return mirror, phases

if __name__ == "__main__":
    raise SystemExit(main())
