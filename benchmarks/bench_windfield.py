"""Benchmark: one Holland-H08 wind-field tick and a 72 h hourly swath on the Jiangmen grid.

Grid: 21.3-22.95 N, 111.8-113.35 E at 30 arc-seconds (199 x 187 cells). The per-cell pure
Python loop is timed on a subset of cells and scaled linearly to the full grid (stated in the
output); its values are checked against the vectorised kernel.

Run from the repo root: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_windfield.py``
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from scenarios.typhoon.track import interpolate_hourly, load_track, time_stretch
from scenarios.typhoon.windfield import (
    GRADIENT_TO_SURFACE,
    RHO_AIR,
    StormState,
    b_holland_2008,
    coriolis,
    peak_swath,
    track_states,
    wind_field,
)

R_EARTH_M = 6371.0e3


def jiangmen_grid() -> tuple[np.ndarray, np.ndarray]:
    step = 1.0 / 120.0
    lat = np.arange(21.3, 22.95 + 1e-9, step)
    lon = np.arange(111.8, 113.35 + 1e-9, step)
    return np.meshgrid(lat, lon, indexing="ij")


def loop_wind(s: StormState, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Straightforward per-cell Python implementation of the same H08 formula."""
    vt = math.hypot(s.vt_east_m_s, s.vt_north_m_s)
    dp_hpa = s.penv_hpa - s.pc_hpa
    b = float(b_holland_2008(dp_hpa, s.dpc_dt_hpa_h, s.lat, vt, GRADIENT_TO_SURFACE))
    f = float(coriolis(s.lat))
    rm = s.rmax_km * 1e3
    out = np.zeros(len(lats))
    for k in range(len(lats)):
        la, lo = lats[k], lons[k]
        dy = math.radians(la - s.lat) * R_EARTH_M
        dx = math.radians(lo - s.lon) * math.cos(math.radians(0.5 * (la + s.lat))) * R_EARTH_M
        r = math.hypot(dx, dy)
        if r > 300e3 or r <= 1.0:
            continue
        x = (rm / r) ** b
        rf2 = 0.5 * r * f
        v = math.sqrt(max(0.0, b / RHO_AIR * x * dp_hpa * 100 * math.exp(-x) + rf2 * rf2)) - rf2
        c = min(1.0, rm / r)
        v -= vt * c
        u = -dy / r * v + s.vt_east_m_s * c
        w = dx / r * v + s.vt_north_m_s * c
        out[k] = math.hypot(u, w) * s.decay
    return out


def run(n_tick: int = 200, n_loop_cells: int = 3000) -> dict:
    lat2d, lon2d = jiangmen_grid()
    track = load_track("Mangkhut 1822")
    hourly = interpolate_hourly(track)
    states = track_states(hourly)
    i_lf = int(np.argmin(np.abs(hourly.hours_since_landfall())))
    s = states[i_lf]

    wind_field(s, lat2d, lon2d)  # warm-up
    t0 = time.perf_counter()
    for _ in range(n_tick):
        wf = wind_field(s, lat2d, lon2d)
    tick_ms = (time.perf_counter() - t0) / n_tick * 1e3

    # 72 ticks (hourly, 72 h) all within reach of the grid: the states around landfall, cycled
    near = states[max(0, i_lf - 12) : i_lf + 12]
    ticks = [near[k % len(near)] for k in range(72)]
    t0 = time.perf_counter()
    peak = np.zeros(lat2d.shape)
    for st in ticks:
        np.fmax(peak, wind_field(st, lat2d, lon2d).speed, out=peak)
    swath72_ms = (time.perf_counter() - t0) * 1e3

    # real track stretched to ~72 h (time_stretch about landfall) through peak_swath
    stretched = time_stretch(track, 72.0 / float(track.hours[-1]))
    land = np.zeros(lat2d.shape, bool)
    t0 = time.perf_counter()
    peak_swath(stretched, lat2d, lon2d, land)
    peak_swath_ms = (time.perf_counter() - t0) * 1e3

    rng = np.random.default_rng(0)
    idx = rng.choice(lat2d.size, n_loop_cells, replace=False)
    t0 = time.perf_counter()
    ref = loop_wind(s, lat2d.ravel()[idx], lon2d.ravel()[idx])
    loop_s = time.perf_counter() - t0
    loop_tick_ms = loop_s / n_loop_cells * lat2d.size * 1e3
    max_abs_diff = float(np.max(np.abs(ref - wf.speed.ravel()[idx])))
    return {
        "grid_shape": lat2d.shape,
        "cells": lat2d.size,
        "tick_ms": tick_ms,
        "swath_72_ticks_ms": swath72_ms,
        "peak_swath_real_track_ms": peak_swath_ms,
        "peak_swath_steps": int(len(interpolate_hourly(stretched).time)),
        "python_loop_tick_ms_scaled": loop_tick_ms,
        "python_loop_subset_cells": n_loop_cells,
        "speedup": loop_tick_ms / tick_ms,
        "max_abs_diff_loop_vs_vectorised_m_s": max_abs_diff,
    }


@pytest.mark.benchmark
def test_bench_windfield():
    res = run(n_tick=20, n_loop_cells=500)
    assert res["max_abs_diff_loop_vs_vectorised_m_s"] < 1e-6
    assert res["tick_ms"] < 50.0


if __name__ == "__main__":
    for key, val in run().items():
        print(f"{key}: {val:.3f}" if isinstance(val, float) else f"{key}: {val}")
