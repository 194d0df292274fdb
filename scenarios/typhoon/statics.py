"""Per-world constants of the typhoon hazard, computed once per process (issue #15).

A batch worker runs hundreds of typhoons on one world. The grid's coordinates, the
nearest land cell of every cell, the coastal geometry of the surge model, the distance
to the coast and the slope depend on the world (and on a few fixed parameters) only, so
each run reuses them instead of recomputing them (distance transforms, a hash-based
unique, ~15 ms a run). Everything here is deterministic; the cached arrays are made
read-only so that no run can change what the next one sees.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import distance_transform_edt

from scenarios.typhoon.flood import CoastalFlood
from scenarios.typhoon.infrastructure import LifelineTopology
from scenarios.typhoon.params import Surge
from scenarios.typhoon.windfield import GridWind

# by id(world), with a weak reference to check it is still that world (a cache entry
# never keeps a world alive)
_CACHE: dict[int, tuple[weakref.ref, WorldStatics]] = {}
_MAX_WORLDS = 4


@dataclass
class WorldStatics:
    """Constant fields of one world for the typhoon hazard (arrays read-only)."""

    lon2d: np.ndarray
    lat2d: np.ndarray
    is_land: np.ndarray
    cell_m: tuple[float, float]
    nearest_land: np.ndarray  # flat index of the nearest land cell, per cell
    topology: LifelineTopology
    land_counts_direct: bool  # land cells look themselves up and are all the modelled cells
    coast_km: np.ndarray
    slope_deg: np.ndarray
    floods: dict  # CoastalFlood templates by (inland_km, seawall_m)
    winds: dict  # GridWind by (model, land_factor)


def _frozen(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def world_statics(world) -> WorldStatics:
    """The constants of `world` (computed on first use in this process)."""
    hit = _CACHE.get(id(world))
    if hit is not None and hit[0]() is world:
        return hit[1]
    g = world.grid
    lon2d, lat2d = np.meshgrid(g.lon, g.lat)
    shape = g.shape
    is_land = np.array(world.is_land, bool)
    dy = float(abs(np.diff(g.y_m[:, 0]).mean()))
    dx = float(abs(np.diff(g.x_m[0, :]).mean()))
    _, (ri, ci) = distance_transform_edt(~is_land, return_indices=True)
    near = (ri * shape[1] + ci).ravel()
    topology = LifelineTopology.of(near)
    land_flat = np.flatnonzero(is_land)
    direct = np.array_equal(near[land_flat], land_flat) and np.array_equal(topology.live, land_flat)
    coast_km = distance_transform_edt(is_land, sampling=(dy, dx)) / 1000.0
    gy, gx = np.gradient(np.asarray(world.elevation_m, float), dy, dx)
    slope_deg = np.degrees(np.arctan(np.hypot(gx, gy)))
    s = WorldStatics(
        *(_frozen(a) for a in (lon2d, lat2d, is_land)),
        cell_m=(dy, dx),
        nearest_land=_frozen(near),
        topology=topology,
        land_counts_direct=bool(direct),
        coast_km=_frozen(coast_km),
        slope_deg=_frozen(slope_deg),
        floods={},
        winds={},
    )
    for key in [k for k, (ref, _) in _CACHE.items() if ref() is None]:
        del _CACHE[key]
    if len(_CACHE) >= _MAX_WORLDS:
        _CACHE.clear()
    _CACHE[id(world)] = (weakref.ref(world), s)
    return s


def coastal_flood(world, s: WorldStatics, p: Surge) -> CoastalFlood:
    """A fresh `CoastalFlood` for one run; its geometry is built once per world."""
    key = (float(p.inland_km), float(p.seawall_m))
    tpl = s.floods.get(key)
    if tpl is None:
        tpl = CoastalFlood(s.lat2d, s.lon2d, s.is_land, world.elevation_m, s.cell_m, p)
        s.floods[key] = tpl
    return tpl.fresh(p)


def grid_wind(g, s: WorldStatics, model: str, land_factor: float) -> GridWind:
    """The (stateless) `GridWind` of the world grid, land roughness factor applied."""
    key = (model, float(land_factor))
    gw = s.winds.get(key)
    if gw is None:
        factor = _frozen(np.where(s.is_land, land_factor, 1.0))
        gw = GridWind(g.lat, g.lon, model=model, factor=factor)
        s.winds[key] = gw
    return gw
