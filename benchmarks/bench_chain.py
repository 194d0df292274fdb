"""Benchmark: the rain → runoff → routing tick of the typhoon chain, and a 72 h Mangkhut chain run.

Measured side by side in one process:
    * one vectorised chain tick on the Jiangmen world grid (198 x 186 cells, 185 reaches):
      R-CLIPER + orographic rain (:class:`RainField`), SCS-CN excess (:class:`RunoffGrid`),
      catchment sums, hillslope reservoirs and the sparse triangular Muskingum solve;
    * the same tick written as a straightforward per-cell / per-reach Python loop
      (``math`` per cell, ``NetworkRouter.step_loop``); results are checked equal;
    * a whole 72 h Mangkhut run with and without the chain (``mangkhut_2018_chain.yaml`` vs
      ``mangkhut_2018.yaml``).

Run from the repo root: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_chain.py``
"""

from __future__ import annotations

import copy
import math
import time

import numpy as np
import pytest

CHAIN = "scenarios/typhoon/mangkhut_2018_chain.yaml"
PLAIN = "scenarios/typhoon/mangkhut_2018.yaml"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _loop_tick(ch, lat, lon, vmax, u, v, dt_min, runoff_state, router):
    """Rain, excess, catchment sums and routing with explicit Python loops (reference)."""
    from scenarios.typhoon.rain import E_PRECIP, RHO_A_OVER_RHO_W, rcliper_profile
    from scenarios.typhoon.track import EARTH_RADIUS_KM

    rf, rs = ch.rain, ch.rivers
    p = rcliper_profile(vmax)
    ny, nx = rf.lat2d.shape
    n = rs.tree.down.size
    vol = [0.0] * n
    p_cum, q_cum = runoff_state
    lam = ch.runoff.lam
    coslat = math.cos(math.radians(lat))
    for i in range(ny):
        for j in range(nx):
            dy = math.radians(rf.lat2d[i, j] - lat)
            dx = math.radians(rf.lon2d[i, j] - lon) * coslat
            r = EARTH_RADIUS_KM * math.hypot(dx, dy)
            if r <= p.rm_km:
                rate = p.t0_mm_h + (p.tm_mm_h - p.t0_mm_h) * r / p.rm_km
            else:
                rate = p.tm_mm_h * math.exp(-(r - p.rm_km) / p.re_km)
            rate = max(rate, 0.0)
            if rate > 0:
                w = max(u[i, j] * rf.dh_dx[i, j] + v[i, j] * rf.dh_dy[i, j], 0.0)
                rate += E_PRECIP * RHO_A_OVER_RHO_W * rf.q_sat * w * 3.6e6
            if r > rf.max_radius_km:
                rate = 0.0
            rate *= rf.scale
            p_new = p_cum[i, j] + rate * dt_min / 60.0
            cn = ch.runoff.cn[i, j]
            if cn >= 100.0:
                q = p_new
            else:
                s = 25400.0 / cn - 254.0
                pe = max(p_new - lam * s, 0.0)
                q = pe * pe / (pe + s) if pe > 0 else 0.0
            dq = max(q - q_cum[i, j], 0.0)
            p_cum[i, j], q_cum[i, j] = p_new, q
            if rs.drains[i, j]:
                vol[rs.nearest_node[i, j]] += dq * 1e-3 * rs.cell_area_m2
    k = 1.0 - math.exp(-rs.dt_s / (rs.p.hillslope_lag_h * 3600.0))
    lateral = np.zeros(n)
    for m in range(n):
        rs.store_m3[m] += vol[m]
        rel = rs.store_m3[m] * k
        rs.store_m3[m] -= rel
        lateral[m] = rs.base[m] + rel / rs.dt_s
    for _ in range(rs.substeps):
        lat_m = lateral.copy()
        if rs._div is not None:
            s_, t_, share = rs._div
            lat_m[t_] += share * router.outflow[s_]
        router.step_loop(lat_m)
    return router.outflow.copy()


def measure() -> list[tuple[str, float, str]]:
    """(label, seconds, note) rows."""
    from sim.model import DrillModel
    from sim.run import load_world, run
    from sim.scenario import load_scenario

    scen = load_scenario(CHAIN)
    world = load_world(scen)
    model = DrillModel(scen, world, 1)
    hz = model.hazard
    ch = hz.chain
    lf = hz.timeline.landfall_min
    st = hz.timeline.state_at(lf)
    wf = hz.timeline.wind(st, hz.lat2d, hz.lon2d)
    u, v = wf.u, wf.v
    vmax = st.vmax_1min_m_s * st.decay
    dt = hz.tick_min
    # warm both paths into the same mid-storm state, then time one tick each
    for _ in range(6):
        ch.rain.update(st.lat, st.lon, vmax, u, v, dt)
        ch.rivers.step(ch.runoff.step(ch.rain.rate * dt / 60.0))
    snap = (
        copy.deepcopy(ch.runoff.p_cum),
        copy.deepcopy(ch.runoff.q_cum),
        ch.rivers.store_m3.copy(),
        copy.deepcopy(ch.rivers.router),
    )

    def vec():
        ch.runoff.p_cum, ch.runoff.q_cum = snap[0].copy(), snap[1].copy()
        ch.rivers.store_m3 = snap[2].copy()
        ch.rivers.router = copy.deepcopy(snap[3])
        ch.rain.update(st.lat, st.lon, vmax, u, v, dt)
        return ch.rivers.step(ch.runoff.step(ch.rain.rate * dt / 60.0))

    def loop():
        ch.rivers.store_m3 = snap[2].copy()
        router = copy.deepcopy(snap[3])
        return _loop_tick(
            ch, st.lat, st.lon, vmax, u, v, dt, (snap[0].copy(), snap[1].copy()), router
        )

    q_vec, q_loop = vec(), loop()
    np.testing.assert_allclose(q_vec, q_loop, rtol=1e-9)
    t_vec = _best(vec, 20)
    t_loop = _best(loop, 2)
    plain = load_scenario(PLAIN)
    t_plain = _best(lambda: run(plain, 1, world=world), 2)
    t_chain = _best(lambda: run(scen, 1, world=world), 2)
    n = int(np.prod(world.grid.shape))
    nr = ch.rivers.tree.down.size
    return [
        (
            "chain tick, vectorised",
            t_vec,
            f"{n:,} cells, {nr} reaches, {ch.rivers.substeps} substeps",
        ),
        ("chain tick, plain loop", t_loop, "per-cell math + per-reach Muskingum loop"),
        ("72 h Mangkhut run, no chain", t_plain, "mangkhut_2018.yaml"),
        ("72 h Mangkhut run, with chain", t_chain, "mangkhut_2018_chain.yaml"),
    ]


def table(rows: list[tuple[str, float, str]]) -> str:
    """Markdown table: each row's time and its ratio to the row above it's pair."""
    out = ["| measurement | time | ratio | note |", "|---|---|---|---|"]
    for k, (label, t, note) in enumerate(rows):
        base = rows[k - k % 2][1]
        shown = f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s"
        out.append(f"| {label} | {shown} | {t / base:,.2f}x | {note} |")
    return "\n".join(out)


@pytest.mark.benchmark
def test_ty_bench_chain():
    rows = measure()
    print("\n" + table(rows))
    assert rows[0][1] < rows[1][1]


if __name__ == "__main__":
    print(table(measure()))
