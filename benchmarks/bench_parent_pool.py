"""Peak RSS of a batch's parent-side pooling at 100 / 1,000 / 10,000 runs, without the runs.

A proxy for the 10,000-run acceptance when the machine cannot run 10,000 simulations in
time: 8 real runs of a scenario (default the synthetic drill; `--scenario
scenarios/typhoon/mangkhut_2018.yaml` for Mangkhut) are stored once (`run_batch(...,
events="none")`, parts kept), then copied under new run numbers into stored batches of N
runs, and a fresh process does what the batch process does with them — read every part in
run order, pool (`Pool.add`), build the runs table and the scorecard (`pooled_result`) —
and reports its own peak RSS (`getrusage`) and the time that took. Not covered: the
executor's bookkeeping during a live batch (see `bench_memory.py --watch` for that) and
report.html. `--keep DIR` keeps the stored batches (and reuses them); `--card` writes each
scorecard next to them, to compare two versions of the code on the same stores.

Usage: python benchmarks/bench_parent_pool.py [--runs 100,1000,10000] [--scenario FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DRILL = ROOT / "tests/fixtures/synthetic_drill.yaml"
REAL = 8


def make_real(tmp: Path, scenario: Path) -> Path:
    """REAL finished runs of `scenario`, their run parts kept."""
    from sim.batch import store as store_mod
    from sim.batch.montecarlo import run_batch
    from sim.batch.uncertainty import UncertainScenario

    if (tmp / "real" / ".parts" / f"run-{REAL - 1:06d}.parquet").is_file():
        return tmp / "real" / ".parts"
    store_mod.BatchStore.finish = lambda self: None  # keep .parts
    run_batch(UncertainScenario.load(scenario), runs=REAL, seed=1, out=tmp / "real",
              report=False, events="none", progress=False, workers=2)  # fmt: skip
    return tmp / "real" / ".parts"


def make_stored(parts: Path, runs: int, out: Path) -> None:
    """`runs` parts made of the real summaries, cycled, each with its own run number and id."""
    import pyarrow.parquet as pq

    from sim.batch.store import _ROW_KEY, BatchStore

    store = BatchStore(out)
    if store.part_path(runs - 1).is_file():
        return
    store.parts.mkdir(parents=True)
    tables = [pq.read_table(parts / f"run-{k:06d}.parquet") for k in range(REAL)]
    for k in range(runs):
        table = tables[k % REAL]
        meta = json.loads(table.schema.metadata[_ROW_KEY])
        meta["row"].update(run=k, run_id=f"copy{k}")
        pq.write_table(table.replace_schema_metadata({_ROW_KEY: json.dumps(meta).encode()}),
                       store.part_path(k))  # fmt: skip


def child(out: Path, runs: int, scenario: Path, card: bool) -> None:
    """Pool a stored batch as the batch process does; print peak RSS."""
    from sim.batch.aggregate import Pool
    from sim.batch.montecarlo import pool_stored, pooled_result
    from sim.batch.outcomes import dynamic_indicators
    from sim.batch.store import BatchStore
    from sim.batch.uncertainty import UncertainScenario
    from sim.run import load_world

    us = UncertainScenario.load(scenario)
    nominal = us.nominal()
    world = load_world(nominal)
    t = time.perf_counter()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    store = BatchStore(out)
    try:
        pool = Pool(dynamic_indicators(nominal), store.parts)
    except TypeError:  # a version before pooled samples spilled to disk
        pool = Pool(dynamic_indicators(nominal))
    pool = pool_stored(store, runs, pool)
    t_pool = time.perf_counter() - t
    res = pooled_result(us, nominal, world, pool, nominal.indicators.year)
    assert len(res.runs) == runs
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if card:
        res.scorecard.to_csv(out / f"scorecard-{card}.csv", index=False)
    print(json.dumps({"rss_mb": rss, "world_mb": base, "pool_s": t_pool,
                      "score_s": time.perf_counter() - t - t_pool}))  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", default="100,1000,10000")
    ap.add_argument("--scenario", type=Path, default=DRILL)
    ap.add_argument("--keep", type=Path, help="keep (and reuse) the stored batches here")
    ap.add_argument("--card", default="", help="write scorecard-CARD.csv into each batch")
    ap.add_argument("--repeat", type=int, default=1, help="fresh processes per line (median)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(Path(a.child[0]), int(a.child[1]), a.scenario, a.card)
        return
    base = None
    with tempfile.TemporaryDirectory(prefix="jmsim-pool-") as d:
        root = a.keep or Path(d)
        parts = make_real(root, a.scenario)
        for n in [int(x) for x in a.runs.split(",")]:
            out = root / f"b{n}"
            make_stored(parts, n, out)
            rs = []
            for _ in range(a.repeat):
                cmd = [sys.executable, __file__, "--child", str(out), str(n),
                       "--scenario", str(a.scenario), "--card", a.card]  # fmt: skip
                p = subprocess.run(cmd, capture_output=True, text=True, check=True)
                rs.append(json.loads(p.stdout.strip().splitlines()[-1]))
            r = sorted(rs, key=lambda x: x["rss_mb"])[len(rs) // 2]
            base = base or r["rss_mb"]
            print(f"{n:>6} runs: parent pooling peak RSS {r['rss_mb']:.0f} MB "
                  f"({r['rss_mb'] / base:.2f}x the first; {r['world_mb']:.0f} MB before pooling), "
                  f"pooling {r['pool_s']:.1f} s, scorecard {r['score_s']:.1f} s", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
