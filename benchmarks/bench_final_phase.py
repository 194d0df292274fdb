"""The batch process's work after the last run, timed on a stored batch (issue #15).

After its last run a batch pools what it has not pooled yet, scores, and writes
runs.parquet, the scorecard, report.html and the hazard figures. This times each
part on a batch stored by `bench_parent_pool.py --keep DIR` (real runs copied
under new run numbers, events not kept, so the report re-runs its typical and
worst runs for their timelines, as `--events none` would), in a fresh process,
and prints one JSON line: pooling, scoring and writing seconds and peak RSS.
Since pooling moved into the run (`_InOrder`), a batch's time after its last run
is `score_s + write_s`; before, it was `pool_s + score_s + write_s`.

Run it from an unpacked older commit (`PYTHONPATH=DIR`) to time that version on
the same stored batch, alternating versions.

Usage: python benchmarks/bench_final_phase.py SCENARIO STORED_DIR RUNS [--no-report]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import time
from pathlib import Path


def main() -> None:
    from sim.batch.aggregate import Pool
    from sim.batch.eventset import EventSet
    from sim.batch.executor import BatchSpec
    from sim.batch.montecarlo import _rerun, identity, pool_stored, pooled_result, write_outputs
    from sim.batch.outcomes import dynamic_indicators
    from sim.batch.store import BatchStore
    from sim.batch.uncertainty import UncertainScenario
    from sim.run import load_world

    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("stored", type=Path)
    ap.add_argument("runs", type=int)
    ap.add_argument("--no-report", action="store_true")
    a = ap.parse_args()
    us = UncertainScenario.load(a.scenario)
    nominal = us.nominal()
    world = load_world(nominal)
    store = BatchStore(a.stored)
    t0 = time.perf_counter()
    try:
        pool = Pool(dynamic_indicators(nominal), store.parts)
    except TypeError:  # a version before pooled samples spilled to disk
        pool = Pool(dynamic_indicators(nominal))
    pool = pool_stored(store, a.runs, pool)
    t1 = time.perf_counter()
    res = pooled_result(us, nominal, world, pool, nominal.indicators.year)
    t2 = time.perf_counter()
    res.events = EventSet(None, list(res.runs["run_id"]), _rerun(res))
    spec = BatchSpec(us.text, us.name, str(us.base_dir) if us.base_dir else None, us.vary)
    dest = a.stored.parent / (a.stored.name + "-final")
    shutil.rmtree(dest, ignore_errors=True)
    try:
        write_outputs(res, dest, identity(us, a.runs, 1, None), spec, 2, None, [],
                      not a.no_report)  # fmt: skip
        t3 = time.perf_counter()
    finally:
        shutil.rmtree(dest, ignore_errors=True)
    print(json.dumps({"pool_s": round(t1 - t0, 2), "score_s": round(t2 - t1, 2),
                      "write_s": round(t3 - t2, 2),
                      "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))  # fmt: skip


if __name__ == "__main__":
    main()
