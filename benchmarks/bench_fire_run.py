"""Benchmark: wall time of one 24 h run of the 古兜山 scenario (target ≤ 2 s median).

Run:  .venv/bin/python benchmarks/bench_fire_run.py [--repeats 7]

The world is loaded once (as in `jmsim run --runs N`); each repeat is a full
`sim.run.run` with a new seed: model build (1,811 resident groups, 14 units),
24 h of SimPy/Mesa clock, the fire kernel with suppression and the event log.
A second row times the same run without residents, to show where time goes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.run import load_world, run  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

SCEN = (
    Path(__file__).resolve().parents[1] / "scenarios" / "forestfire" / "gudoushan_dry_season.yaml"
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    a = ap.parse_args()
    scen = load_scenario(SCEN)
    world = load_world(scen)
    run(scen, 0, world=world)  # warm caches (road trees, imports)
    rows = []
    for label, sc in (
        ("古兜山 24 h, full", scen),
        ("古兜山 24 h, no residents", scen.model_copy(update={"residents": None})),
    ):
        times, events = [], 0
        for k in range(a.repeats):
            t0 = time.perf_counter()
            r = run(sc, 1000 + k, world=world)
            times.append(time.perf_counter() - t0)
            events = len(r.log)
        rows.append((label, statistics.median(times), min(times), max(times), events))
    print("| run | median s | min s | max s | events (last) | target |")
    print("|---|---|---|---|---|---|")
    for label, med, lo, hi, ev in rows:
        print(f"| {label} | {med:.3f} | {lo:.3f} | {hi:.3f} | {ev} | ≤ 2 s median |")
    print(
        f"\n1,000 Monte Carlo runs ≈ {rows[0][1] * 1000 / 60:.1f} min on this machine (one core)."
    )


if __name__ == "__main__":
    main()
