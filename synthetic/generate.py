"""Generate a synthetic mirror directory: upstream file names and formats, plus ground truth.

    python -m synthetic.generate --scale national --seed 42 --out data/mirror-national-42
    python -m synthetic.generate --scale small --out /tmp/mirror-small

The output is an offline mirror (``SCHOOL_GROUPS_SOURCE=<dir>``) read through exactly the
code path of real files. ``ground_truth.json`` beside the files records the planted patterns
and the national figures the world was calibrated to, for tests of later pattern tables.
Same scale and seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Callable

from school_groups.sources.fetch import SYNTHETIC_MARKER

from . import calibration as cal
from . import gias_files, ofsted_files
from .world import World, build_world

# The pipeline recognises a synthetic mirror by this file, and says so wherever a reader looks.
TRUTH_FILE = SYNTHETIC_MARKER
# Bumped whenever the same scale and seed would write different files: cached mirrors made by
# an older generator are regenerated (see is_current).
GENERATOR_VERSION = 4


def is_current(mirror: Path) -> bool:
    """Whether ``mirror`` holds a complete mirror written by this generator version."""
    try:
        truth = json.loads((mirror / TRUTH_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return truth.get("generator_version") == GENERATOR_VERSION


def stock_figures(world: World, day: date) -> dict:
    """Share of open schools by latest graded judgement on ``day`` (predecessors included)."""
    grades: Counter = Counter()
    for site in world.sites:
        if site.urn_on(day) is None:
            continue
        graded = [i for i in site.inspections if i.kind == "graded" and i.published <= day]
        if graded:
            grades[graded[-1].grade] += 1
    total = sum(grades.values()) or 1
    return {"schools_with_a_graded_inspection": total,
            "good_or_outstanding": round((grades[1] + grades[2]) / total, 4),
            "outstanding": round(grades[1] / total, 4)}


def year_2024_25_figures(world: World) -> dict:
    """Ofsted's 2024/25 figures from the world: inspections started 1 Sept 2024 - 31 Aug 2025."""
    start, end = date(2024, 9, 1), date(2025, 8, 31)
    graded = [i for s in world.sites for i in s.inspections if i.kind == "graded" and start <= i.start <= end]
    ungraded = [i for s in world.sites for i in s.inspections if i.kind == "ungraded" and start <= i.start <= end]
    judgements = {name: round(sum(i.subgrades[k] <= 2 for i in graded) / (len(graded) or 1), 4)
                  for k, name in enumerate(("qoe", "ba", "pd", "lm"))}
    kept = sum(i.outcome in ("Standards maintained", "Improved significantly") for i in ungraded)
    return {"key_judgements_2024_25": judgements | {"graded_inspections": len(graded)},
            "ungraded_maintained_or_improved_2024_25": round(kept / (len(ungraded) or 1), 4),
            "ungraded_inspections_2024_25": len(ungraded)}


def generate(scale: str, seed: int, out: Path, progress: Callable[[str], None] | None = None) -> dict:
    """Write the mirror; ``progress`` (e.g. print) hears one line per phase and per file written."""
    started = time.monotonic()
    say = progress or (lambda _line: None)
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(scale, seed)
    say(f"  world drawn: {len(world.sites):,} school sites, {len(world.groups):,} groups, {len(world.las)} LAs "
        f"({time.monotonic() - started:.0f} s)")
    files: list[Path] = []

    def wrote(written: list[Path]) -> list[Path]:
        for path in written:
            files.append(path)
            say(f"  [{len(files)}] {path.name} ({path.stat().st_size / 1e6:.1f} MB, {time.monotonic() - started:.0f} s)")
        return written

    for day in world.scale.gias_snapshots:
        wrote(gias_files.write_all(world, day, out))
    snap = ofsted_files.Snapshotter(world)
    for d in world.scale.official_stats:
        wrote([ofsted_files.write_official_stats(snap, d, out)])
    for d in world.scale.latest_mi:
        wrote([ofsted_files.write_latest(snap, d, out)])
    for d in world.scale.in_year_mi:
        wrote([ofsted_files.write_in_year(snap, d, out)])
    stock = {d: stock_figures(world, date.fromisoformat(d)) for d in ("2018-08-31", "2024-08-31")}
    truth = {
        "generator": "synthetic.generate", "generator_version": GENERATOR_VERSION, "scale": scale, "seed": seed, "world_today": cal.TODAY.isoformat(),
        "calibration": {
            "targets": {"2018-08-31": {"good_or_outstanding": cal.TARGET_GO_2018, "outstanding": cal.TARGET_OUTSTANDING_2018},
                        "2024-08-31": {"good_or_outstanding": cal.TARGET_GO_2024, "outstanding": cal.TARGET_OUTSTANDING_2024}},
            "generated": stock,
            # Ofsted's published figures (calibration.py) and the world's values, same keys.
            "published": {"go_2018_08_31": cal.TARGET_GO_2018, "go_2024_08_31": cal.TARGET_GO_2024,
                          "key_judgements_2024_25": cal.TARGET_KEY_JUDGEMENTS_2024_25,
                          "ungraded_maintained_or_improved_2024_25": cal.TARGET_UNGRADED_MAINTAINED_OR_IMPROVED_2024_25},
            "go_2018_08_31": stock["2018-08-31"]["good_or_outstanding"],
            "go_2024_08_31": stock["2024-08-31"]["good_or_outstanding"],
            **year_2024_25_figures(world),
        },
        "counts": {
            "open_schools_today": sum(1 for s in world.sites if s.urn_on(cal.TODAY) is not None),
            "local_authorities": len(world.las),
            "groups_by_type": dict(sorted(Counter(g.kind_name for g in world.groups).items())),
        },
        "patterns": world.truth["patterns"],
        "files": {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)},
    }
    (out / TRUTH_FILE).write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    truth["seconds"] = round(time.monotonic() - started, 1)
    return truth


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(cal.SCALES), default="national")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    truth = generate(args.scale, args.seed, args.out, progress=print)
    size = sum((args.out / name).stat().st_size for name in truth["files"])
    print(f"wrote {len(truth['files'])} files ({size / 1e6:.0f} MB) and {TRUTH_FILE} to {args.out} "
          f"in {truth['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
