"""Sea and river distress calls during a typhoon.

Fishing boats that did not reach port and ships dragging anchor call for help
in the hours around landfall. Counts are scenario parameters (the plan and the
MSA give fleet sizes, not distress rates); places are drawn uniformly over sea
cells within / beyond 12 nautical miles of the coast and over the nodes of the
river graph (潭江, 银洲湖, 西江, 江门水道); times uniformly in a window
relative to landfall. All draws come from the `incidents` stream before the run,
so changing the response plan never changes the calls (paired seeds).
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.ndimage import distance_transform_edt

if TYPE_CHECKING:
    from sim.model import DrillModel

NM_M = 1852.0
SEA_LIMIT_NM = 12.0


@dataclass(frozen=True)
class Call:
    """One pre-drawn distress call."""

    t_min: float
    x_m: float
    y_m: float
    domain: str
    kind: str
    needs: str
    work_min: float
    attrs: dict


def coast_distance_nm(world) -> np.ndarray:
    """Distance of every sea cell to the nearest land cell, in nautical miles (land = 0).

    Computed once per world (kept read-only in the world's cache): every run of a
    batch draws its calls on the same world.
    """
    cache = getattr(world, "_cache", {})
    dist = cache.get("coast_distance_nm")
    if dist is None:
        g = world.grid
        dy = float(abs(np.diff(g.y_m[:, 0]).mean()))
        dx = float(abs(np.diff(g.x_m[0, :]).mean()))
        dist = distance_transform_edt(~world.is_land, sampling=(dy, dx)) / NM_M
        dist.flags.writeable = False
        cache["coast_distance_nm"] = dist
    return dist


def draw_calls(world, params, landfall_min: float, rng: np.random.Generator) -> list[Call]:
    """All sea and river calls of a run, sorted by time."""
    calls: list[Call] = []
    dist = coast_distance_nm(world)
    g = world.grid
    sea = ~world.is_land
    for n, lo, hi, label in (
        (params.sea.within_12nm, 0.3, SEA_LIMIT_NM, "within_12nm"),
        (params.sea.beyond_12nm, SEA_LIMIT_NM, np.inf, "beyond_12nm"),
    ):
        sel = sea & (dist > lo) & (dist <= hi)
        if n == 0:
            continue
        if not sel.any():
            raise ValueError(f"hazard.sea: no sea cells {label} in world {world.name!r}")
        xs, ys, ds = g.x_m[sel], g.y_m[sel], dist[sel]
        k = rng.integers(0, xs.size, n)
        t = landfall_min + rng.uniform(*params.sea.window_h, n) * 60.0
        for ki, ti in zip(k, t, strict=True):
            calls.append(
                Call(
                    float(ti),
                    float(xs[ki]),
                    float(ys[ki]),
                    "sea",
                    "vessel_distress",
                    params.sea.needs,
                    params.sea.work_min,
                    {"offshore_nm": round(float(ds[ki]), 3), "zone": label},
                )
            )
    nr = params.river.count
    if nr:
        nodes = list(world.rivers.nodes(data=True))
        if not nodes:
            raise ValueError(f"hazard.river.count={nr} but world {world.name!r} has no rivers")
        names = {}
        for a, b, d in world.rivers.edges(data=True):
            names.setdefault(a, d.get("name", ""))
            names.setdefault(b, d.get("name", ""))
        k = rng.integers(0, len(nodes), nr)
        t = landfall_min + rng.uniform(*params.river.window_h, nr) * 60.0
        for ki, ti in zip(k, t, strict=True):
            nid, d = nodes[int(ki)]
            calls.append(
                Call(
                    float(ti),
                    float(d["x_m"]),
                    float(d["y_m"]),
                    "river",
                    "river_distress",
                    params.river.needs,
                    params.river.work_min,
                    {"river": names.get(nid, "")},
                )
            )
    calls.sort(key=lambda c: c.t_min)
    return calls


def call_process(model: DrillModel, calls: list[Call]) -> Generator:
    """SimPy process reporting each call at its time (calls before t=0 are reported at 0)."""
    env = model.env
    end = model.spec.duration_min
    for c in calls:
        if c.t_min >= end:
            return
        if c.t_min > env.now:
            yield env.timeout(c.t_min - env.now)
        model.report_incident(
            c.kind,
            c.x_m,
            c.y_m,
            domain=c.domain,
            needs=c.needs,
            priority=1,
            work_min=c.work_min,
            **c.attrs,
        )
