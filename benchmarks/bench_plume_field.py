"""Benchmark: puff-cloud concentration field, vectorised vs per-cell Python loop.

Grid 400 x 400 (50 m cells), 200 CCPS puffs. Three implementations in one run:

* ``loop``: straightforward per-cell, per-puff Python loop with ``math.exp``.
  It is run on a random subset of cells and its time scaled to the full grid
  (stated in the table).
* ``broadcast``: :func:`puff_concentration_at` (chunked numpy broadcasting over
  receptor x puff).
* ``separable``: :func:`puff_field` (one (ny, N) @ (N, nx) matrix product).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_plume_field.py`` (or via pytest -m benchmark).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from scenarios.chemical.dispersion import (
    puff_concentration_at,
    puff_field,
    puff_sigma_y,
    puff_sigma_z,
)

NX = NY = 400
N_PUFFS = 200
LOOP_CELLS = 2000


def _setup(seed: int = 0):
    rng = np.random.default_rng(seed)
    gx = np.arange(NX) * 50.0 - 5000.0
    gy = np.arange(NY) * 50.0 - 5000.0
    travel = np.linspace(10.0, 8000.0, N_PUFFS)
    px = travel * 0.8 + rng.normal(0, 50, N_PUFFS) - 3000
    py = travel * 0.4 + rng.normal(0, 50, N_PUFFS) - 2000
    mass = np.full(N_PUFFS, 5.0)
    return gx, gy, px, py, mass, travel


def _loop_cells(cells, gx, gy, px, py, mass, travel, stab="D"):
    sh = puff_sigma_y(travel, stab).tolist()
    sz = puff_sigma_z(travel, stab).tolist()
    pxl, pyl, ml = px.tolist(), py.tolist(), mass.tolist()
    out = []
    k = (2 * math.pi) ** 1.5
    for iy, ix in cells:
        x, y = gx[ix], gy[iy]
        c = 0.0
        for j in range(len(pxl)):
            s = sh[j]
            c += (
                2
                * ml[j]
                / (k * s * s * sz[j])
                * math.exp(-((x - pxl[j]) ** 2 + (y - pyl[j]) ** 2) / (2 * s * s))
            )
        out.append(c)
    return np.array(out)


def _best(fn, repeat=5):
    best = math.inf
    res = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        best = min(best, time.perf_counter() - t0)
    return best, res


def run() -> dict[str, float]:
    gx, gy, px, py, mass, travel = _setup()
    rng = np.random.default_rng(1)
    flat = rng.choice(NX * NY, LOOP_CELLS, replace=False)
    cells = [(int(i // NX), int(i % NX)) for i in flat]
    t_loop_sub, loop_vals = _best(
        lambda: _loop_cells(cells, gx, gy, px, py, mass, travel), repeat=3
    )
    t_loop = t_loop_sub * (NX * NY) / LOOP_CELLS
    xx, yy = np.meshgrid(gx, gy)
    t_bc, bc = _best(
        lambda: puff_concentration_at(xx.ravel(), yy.ravel(), px, py, mass, travel, "D"), repeat=3
    )
    t_sep, sep = _best(lambda: puff_field(gx, gy, px, py, mass, travel, "D"))
    ref = np.array([sep[iy, ix] for iy, ix in cells])
    np.testing.assert_allclose(loop_vals, ref, rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(bc.reshape(sep.shape), sep, rtol=1e-9, atol=1e-300)
    return {
        "loop_s": t_loop,
        "loop_subset_s": t_loop_sub,
        "broadcast_s": t_bc,
        "separable_s": t_sep,
    }


def _table(r: dict[str, float]) -> str:
    rows = [
        "| method | time for 400x400 grid, 200 puffs | speed-up vs loop |",
        "|---|---|---|",
        f"| Python loop per cell (timed on {LOOP_CELLS} random cells = {r['loop_subset_s']:.3f} s, scaled x{NX * NY // LOOP_CELLS}) | {r['loop_s']:.2f} s | 1x |",
        f"| numpy broadcast (puff_concentration_at) | {r['broadcast_s'] * 1e3:.1f} ms | {r['loop_s'] / r['broadcast_s']:.0f}x |",
        f"| separable matmul (puff_field) | {r['separable_s'] * 1e3:.2f} ms | {r['loop_s'] / r['separable_s']:.0f}x |",
    ]
    return "\n".join(rows)


@pytest.mark.benchmark
def test_bench_plume_field():
    r = run()
    print("\n" + _table(r))
    assert r["separable_s"] < r["loop_s"]


if __name__ == "__main__":
    print(_table(run()))
