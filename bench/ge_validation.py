"""Time the Great Expectations half of the checks on a built warehouse, table by table.

    .venv/bin/python bench/ge_validation.py WAREHOUSE.duckdb [--repeat 2]

Opens the warehouse read-only (copy it first if a run may be writing it), validates every
spec's expectations exactly as a run does (``school_groups.quality.validate_expectations``) and
prints seconds per table, the total, and a digest of the outcomes so that two versions of the
code can be compared for speed and for identical results. The GE context is made before the
clock starts (its import and set-up are paid once per run, not per table).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time

import duckdb

from school_groups.quality import _gx_batches, reference_values, validate_expectations
from school_groups.settings import load_settings
from school_groups.specs import load_specs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("warehouse")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    con = duckdb.connect(args.warehouse, read_only=True)
    thresholds = load_settings().thresholds | reference_values()
    started = time.perf_counter()
    _gx_batches()
    print(f"GE import and context: {time.perf_counter() - started:.2f} s")
    specs = [s for s in load_specs().values() if s.expectations]
    for attempt in range(1, args.repeat + 1):
        seconds, outcomes = {}, {}
        for spec in specs:
            started = time.perf_counter()
            outcomes[spec.table] = [o.__dict__ for o in validate_expectations(spec, con, thresholds)]
            seconds[spec.table] = time.perf_counter() - started
        digest = hashlib.sha256(json.dumps(outcomes, sort_keys=True, default=str).encode()).hexdigest()[:16]
        print(f"attempt {attempt}: {sum(seconds.values()):.2f} s for {sum(len(s.expectations) for s in specs)} "
              f"expectations on {len(specs)} tables; outcomes digest {digest}")
    for table, secs in sorted(seconds.items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {secs:6.2f} s  {table}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
