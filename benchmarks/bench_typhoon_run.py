"""Benchmark: one typhoon hazard tick on the Jiangmen world grid and a whole 72 h Mangkhut run.

Measured side by side in one process:
    * the bare wind-field kernel (one H08 tick, 198 x 186 cells);
    * one full hazard tick (wind + swath + lifelines + surge/flood + roads + residents);
    * a whole 72 h Mangkhut run (`sim.run.run`, hazard tick 20 min, ~3,200 resident groups),
      and the same run with the scorecard as `jmsim run` prints it.

Run from the repo root: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_typhoon_run.py``

Before/after (issue #15): ``--baseline DIR`` also times one Mangkhut run as a batch worker
does it (`RunContext.execute`: the run, its event table and digest; world loaded once)
with the code in DIR (e.g. ``git archive <old commit> | tar -x -C DIR``) and with this
tree, in alternating subprocesses (``--pairs`` of each, 3 runs per subprocess after a
warm-up run), and prints the ratio of medians and whether the event-table digests agree.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

SCENARIO = "scenarios/typhoon/mangkhut_2018.yaml"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def measure() -> list[tuple[str, float, str]]:
    """(label, seconds, note) rows."""
    from sim.indicators.scorecard import build_scorecard
    from sim.model import DrillModel
    from sim.run import load_world, run
    from sim.scenario import load_scenario

    scen = load_scenario(SCENARIO)
    world = load_world(scen)
    model = DrillModel(scen, world, 1)
    hz = model.hazard
    model.env.run(until=1)  # start(): router, residents, orders
    lf = hz.timeline.landfall_min
    state = hz.timeline.state_at(lf)
    t_kernel = _best(lambda: hz.timeline.wind(state, hz.lat2d, hz.lon2d), 50)
    t_tick = _best(lambda: hz.advance(model, lf), 20)
    t_run = _best(lambda: run(scen, 1, world=world), 3)

    def full():
        res = run(scen, 1, world=world)
        build_scorecard(scen, res.events(), world)

    t_full = _best(full, 2)
    n = int(np.prod(world.grid.shape))
    return [
        ("wind-field kernel, 1 tick", t_kernel, f"{n:,} cells"),
        ("hazard tick (all layers)", t_tick, "wind, swath, lifelines, surge, roads, residents"),
        ("72 h Mangkhut run", t_run, f"{int(72 * 60 / hz.tick_min)} hazard ticks"),
        ("72 h run + scorecard", t_full, "as `jmsim run` (bootstrap CIs)"),
    ]


def table(rows: list[tuple[str, float, str]]) -> str:
    """Markdown table with ratios to the first row."""
    base = rows[0][1]
    out = ["| measurement | time | ratio to kernel | note |", "|---|---|---|---|"]
    for label, t, note in rows:
        shown = f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s"
        out.append(f"| {label} | {shown} | {t / base:,.0f}x | {note} |")
    return "\n".join(out)


@pytest.mark.benchmark
def test_ty_bench_typhoon_run():
    rows = measure()
    print("\n" + table(rows))
    assert rows[2][1] < 60.0


def worker_runs(n: int = 3) -> dict:
    """Seconds per run on the batch-worker path, and the event-table digest of each seed.

    Wall and CPU (`time.process_time`) seconds per run, and the CPU seconds spent in
    the typhoon hazard tick (`TyphoonHazard.advance`, timed by a wrapper) in each run.
    """
    from pathlib import Path

    from scenarios.typhoon.hazard import TyphoonHazard
    from sim.batch.executor import BatchSpec, RunContext, RunJob

    tick = [0.0]
    advance = TyphoonHazard.advance

    def timed(self, model, t_min):
        t0 = time.process_time()
        advance(self, model, t_min)
        tick[0] += time.process_time() - t0

    TyphoonHazard.advance = timed
    f = Path(SCENARIO)
    ctx = RunContext(BatchSpec(f.read_text(), f.name, str(f.parent.resolve())))
    ctx.execute(RunJob(0, 1))  # warm-up: lazy imports, caches
    times, cpu, ticks, digests = [], [], [], []
    for i in range(n):
        tick[0] = 0.0
        t0, c0 = time.perf_counter(), time.process_time()
        out = ctx.execute(RunJob(i, 1 + i))
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        ticks.append(tick[0])
        digests.append(out.row["events_sha256"])
    return {"times": times, "cpu": cpu, "tick_cpu": ticks, "digests": digests}


def before_after(baseline: str, pairs: int) -> str:
    """Alternate subprocesses of the baseline tree and this tree; medians and ratio."""
    import json
    import os
    import statistics
    import subprocess
    import sys
    from pathlib import Path

    here = str(Path(__file__).resolve().parents[1])
    bench_dir = str(Path(__file__).resolve().parent)
    code = (
        f"import json, sys; sys.path.insert(0, {bench_dir!r}); import bench_typhoon_run as b; "
        "import sim; assert sim.__file__.startswith(sys.argv[1]), sim.__file__; "
        "print(json.dumps(b.worker_runs()))"
    )
    res: dict[str, list] = {"before": [], "after": []}
    cpu: dict[str, list] = {"before": [], "after": []}
    tick: dict[str, list] = {"before": [], "after": []}
    digests: dict[str, list] = {}
    for _ in range(pairs):
        for side, root in (("before", baseline), ("after", here)):
            env = {**os.environ, "PYTHONPATH": root}
            out = subprocess.run(
                [sys.executable, "-c", code, root], cwd=root, env=env, check=True,
                capture_output=True, text=True,
            ).stdout  # fmt: skip
            d = json.loads(out.strip().splitlines()[-1])
            res[side] += d["times"]
            cpu[side] += d["cpu"]
            tick[side] += d["tick_cpu"]
            digests[side] = d["digests"]
    med = {k: {s: statistics.median(v[s]) for s in v} for k, v in
           (("wall", res), ("cpu", cpu), ("tick", tick))}  # fmt: skip
    share = {s: statistics.median(np.divide(tick[s], cpu[s])) for s in tick}
    same = "identical" if digests["before"] == digests["after"] else "DIFFERENT"
    rows = [
        "| Mangkhut 72 h run, batch-worker path | wall s | CPU s | hazard tick CPU s "
        "| tick share | runs |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for side, label in (("before", f"before ({baseline})"), ("after", "after (this tree)")):
        rows.append(
            f"| {label} | {med['wall'][side]:.3f} | {med['cpu'][side]:.3f} "
            f"| {med['tick'][side]:.3f} | {share[side]:.0%} | {len(res[side])} |"
        )
    r = {k: med[k]["after"] / med[k]["before"] for k in med}
    rows += [
        f"| **after / before** | **{r['wall']:.2f}** | **{r['cpu']:.2f}** | **{r['tick']:.2f}** "
        "| | |",
        "",
        f"event tables of seeds 1-3: {same} before and after (medians; {pairs} alternating "
        "pairs of subprocesses)",
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", help="a checkout of the code to compare with")
    ap.add_argument("--pairs", type=int, default=3)
    a = ap.parse_args()
    if a.baseline:
        print(before_after(a.baseline, a.pairs))
    else:
        print(table(measure()))
