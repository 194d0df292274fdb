"""Lookout and camera viewsheds on the world DEM.

A target (a forest cell, or a fire's smoke column ``smoke_height_m`` above the
ground) is seen from an observer when it is within the observer's range and the
straight sight line clears the terrain at every sample in between. Earth
curvature with standard refraction (k = 0.13) is included. Everything is
vectorised over targets × samples; the DEM is the world's (bilinear), so ridges
narrower than ~1 km are smoothed away and coverage is optimistic (see
PROVENANCE.md: slopes are smoothed).

``lookout_coverage_key_forest`` = forest area in the key areas seen by at least
one lookout or camera / key forest area (shared INDICATORS.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .terrain import world_elevation

EARTH_R_M = 6_371_000.0
REFRACTION_K = 0.13
FOREST_CODES = (5, 6, 7, 8)


@dataclass(frozen=True)
class Observer:
    """A lookout tower or a camera: position, eye height above ground, range."""

    id: str
    kind: str
    x_m: float
    y_m: float
    height_m: float
    range_m: float


def visible(
    world, obs: Observer, tx: np.ndarray, ty: np.ndarray, target_h_m: float, samples: int = 48
) -> np.ndarray:
    """Boolean per target: within range and in line of sight from ``obs``."""
    tx = np.asarray(tx, float).ravel()
    ty = np.asarray(ty, float).ravel()
    d = np.hypot(tx - obs.x_m, ty - obs.y_m)
    ok = d <= obs.range_m
    if not ok.any():
        return ok
    idx = np.flatnonzero(ok)
    z0 = float(world_elevation(world, obs.x_m, obs.y_m)) + obs.height_m
    zt = world_elevation(world, tx[idx], ty[idx]) + target_h_m
    t = np.linspace(0.0, 1.0, samples + 2)[1:-1]
    px = obs.x_m + np.outer(tx[idx] - obs.x_m, t)
    py = obs.y_m + np.outer(ty[idx] - obs.y_m, t)
    terrain = world_elevation(world, px, py)
    dist = d[idx, None] * t
    # curvature drop of the terrain relative to the straight chord from the observer
    drop = dist * (d[idx, None] - dist) / (2 * EARTH_R_M) * (1 - REFRACTION_K)
    sight = z0 + (zt - z0)[:, None] * t
    ok[idx] = np.all(terrain - drop < sight, axis=1)
    return ok


def seen_by_any(world, observers: list[Observer], tx, ty, target_h_m: float) -> np.ndarray:
    """Index of the first observer that sees each target, or -1."""
    tx = np.asarray(tx, float).ravel()
    ty = np.asarray(ty, float).ravel()
    out = np.full(tx.size, -1, dtype=np.intp)
    for k, o in enumerate(observers):
        todo = out < 0
        if not todo.any():
            break
        v = visible(world, o, tx[todo], ty[todo], target_h_m)
        out[np.flatnonzero(todo)[v]] = k
    return out


def key_forest_cells(
    world, areas: list[tuple[float, float, float]]
) -> tuple[np.ndarray, np.ndarray]:
    """UTM centres of world forest cells inside Jiangmen and inside any key area.

    ``areas`` are (x_m, y_m, radius_m) circles; empty means all forest of the city.
    """
    forest = np.isin(world.landcover, FOREST_CODES) & (world.district > 0)
    x, y = world.grid.x_m[forest], world.grid.y_m[forest]
    if areas:
        keep = np.zeros(x.size, dtype=bool)
        for ax, ay, r in areas:
            keep |= np.hypot(x - ax, y - ay) <= r
        x, y = x[keep], y[keep]
    return x, y


def coverage(
    world, observers: list[Observer], areas: list[tuple[float, float, float]], target_h_m: float
) -> tuple[float, int, int]:
    """(share of key forest cells seen, cells seen, key cells). Cells are ~equal area."""
    x, y = key_forest_cells(world, areas)
    if x.size == 0:
        return float("nan"), 0, 0
    seen = int(np.count_nonzero(seen_by_any(world, observers, x, y, target_h_m) >= 0))
    return seen / x.size, seen, int(x.size)
