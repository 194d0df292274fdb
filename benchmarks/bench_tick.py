"""Cost of one Mesa tick against the number of resident groups (10 k vs 100 k).

The tick is `DrillModel.step()`: move every evacuating group along its path,
sample the hazard field at every group and update states, all vectorised over
numpy columns. For contrast the same update is also run the idiomatic Mesa way
(`agents.do("step")`, one Python call per agent) at the same sizes.

Usage: python benchmarks/bench_tick.py [--sizes 10000 100000] [--repeats 20]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from sim.agents.residents import ResidentGroups, ResidentState
from sim.hazards.base import NullHazard
from sim.model import DrillModel
from sim.routing import StraightLineRouter
from sim.scenario import validate_scenario_dict
from sim.world import World


class FieldHazard(NullHazard):
    """A static gridded field: intensity is a nearest-cell lookup."""

    def __init__(self, world: World) -> None:
        self.world = world
        ny, nx = world.grid.shape
        self.field = np.linspace(0, 2, nx)[None, :].repeat(ny, 0)
        self.exposure_threshold = 1.0

    def intensity_at(self, x, y):
        r, c = self.world.grid.index_xy(x, y)
        return self.field[r, c]


def build(world: World, n: int) -> DrillModel:
    sc = validate_scenario_dict(
        {
            "scenario": {
                "id": "b",
                "title": "b",
                "hazard": "scripted",
                "start_time": "2025-01-01T00:00:00+08:00",
                "duration_h": 24,
            },
            "world": {"pack": "synthetic"},
            "run": {"tick_min": 1},
        }
    )
    m = DrillModel(sc, world, 0, router=StraightLineRouter(), hazard=FieldHazard(world))
    rng = np.random.default_rng(0)
    x0, y0 = world.grid.x_m.min(), world.grid.y_m.min()
    span = world.grid.x_m.max() - x0
    res = ResidentGroups(
        x0 + rng.random(n) * span,
        y0 + rng.random(n) * span,
        np.full(n, 500),
        np.zeros(n, int),
        np.zeros(n, int),
    )
    half = np.arange(0, n, 2)
    res.start_moving(half, 0.0, res.x[half] + 5000, res.y[half], np.full(half.size, 600.0))
    res.state[1::2] = ResidentState.SHELTERED  # protected: only logs reach, no exposure
    m.residents = res
    m.env.run(until=1)
    return m


def mesa_style(world: World, n: int, repeats: int) -> float:
    import mesa

    class Agent(mesa.Agent):
        def __init__(self, model, x, y, hz):
            super().__init__(model)
            self.x, self.y, self.hz, self.state = x, y, hz, 0

        def step(self):
            self.x += 5000 / 600  # one minute along the path
            r, c = self.hz.world.grid.index_xy(self.x, self.y)
            if self.hz.field[r, c] > 1.0:
                self.state = 4

    model = mesa.Model(rng=0)
    hz = FieldHazard(world)
    rng = np.random.default_rng(0)
    x0 = world.grid.x_m.min()
    for _ in range(n):
        Agent(model, x0 + rng.random() * 20000, world.grid.y_m.min() + rng.random() * 20000, hz)
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        model.agents.do("step")
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--mesa-repeats", type=int, default=3)
    ap.add_argument("--mesa-max", type=int, default=100_000, help="largest size also run per-agent")
    a = ap.parse_args()
    world = World.synthetic()
    rows = []
    for n in a.sizes:
        m = build(world, n)
        ts = []
        for _ in range(a.repeats):
            m.env.run(until=m.env.now + 1)  # exactly one Mesa tick (tick_min = 1)
            t = time.perf_counter()
            m.step()
            ts.append(time.perf_counter() - t)
        vec = statistics.median(ts)
        mesa_t = mesa_style(world, n, a.mesa_repeats) if n <= a.mesa_max else float("nan")
        rows.append((n, vec, mesa_t))
    print(
        "| resident groups | vectorised tick (ms) | ns per group | per-agent Mesa tick (ms) | Mesa / vectorised |"
    )
    print("|---|---|---|---|---|")
    for n, v, me in rows:
        mt = f"{me * 1e3:.1f}" if me == me else "–"
        ratio = f"{me / v:.0f}×" if me == me else "–"
        print(f"| {n:,} | {v * 1e3:.2f} | {v / n * 1e9:.0f} | {mt} | {ratio} |")
    print()
    for (n0, v0, _), (n1, v1, _) in zip(rows, rows[1:], strict=False):
        verdict = "no worse than linear" if v1 / v0 <= n1 / n0 * 1.1 else "worse than linear"
        print(f"{n0:,} → {n1:,} groups (×{n1 / n0:.0f}): tick cost ×{v1 / v0:.1f} ({verdict})")


if __name__ == "__main__":
    main()
