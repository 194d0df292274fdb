"""Benchmark: one typhoon hazard tick on the Jiangmen world grid and a whole 72 h Mangkhut run.

Measured side by side in one process:
    * the bare wind-field kernel (one H08 tick, 198 x 186 cells);
    * one full hazard tick (wind + swath + lifelines + surge/flood + roads + residents);
    * a whole 72 h Mangkhut run (`sim.run.run`, hazard tick 20 min, ~3,200 resident groups),
      and the same run with the scorecard as `jmsim run` prints it.

Run from the repo root: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_typhoon_run.py``
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


if __name__ == "__main__":
    print(table(measure()))
