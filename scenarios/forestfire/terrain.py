"""The fine local fire grid cut from the world, and walking over terrain.

The world pack is a 30″ (~850 m) raster: far too coarse for fire spread. Each
fire gets its own square UTM grid (30-60 m cells, a scenario setting) centred on
the ignition; elevation is bilinearly interpolated from the world DEM (a user
DEM given in the scenario's ``world.dem`` has already replaced the world layer)
and land cover is taken from the nearest world cell, then mapped to fuel.

Walking speed off-road follows Tobler's (1993) hiking function
``W = 6 exp(-3.5 |S + 0.05|)`` km/h (S = dh/dx), times 3/5 off paths as Tobler
advises; a loaded fire crew is assumed to move at that off-path pace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import map_coordinates
from scipy.spatial import cKDTree

TOBLER_OFFPATH = 0.6  # Tobler (1993): off-path travel is 3/5 of on-path speed


def world_elevation(world, x_m, y_m) -> np.ndarray:
    """Bilinear elevation (m) of the world DEM at UTM points (vectorised)."""
    g = world.grid
    lat, lon = g.latlon_fast(np.asarray(x_m, float), np.asarray(y_m, float))
    d = g.cell_size_deg
    row = (g.lat[0] - lat) / d
    col = (lon - g.lon[0]) / d
    return map_coordinates(
        np.asarray(world.elevation_m, float),
        [np.ravel(row), np.ravel(col)],
        order=1,
        mode="nearest",
    ).reshape(np.shape(row))


@dataclass(frozen=True)
class LocalGrid:
    """A square UTM grid around a point; row 0 is north, columns go east."""

    x0: float  # west edge (m)
    y0: float  # north edge (m)
    cell_m: float
    n: int
    elevation_m: np.ndarray
    landcover: np.ndarray

    @classmethod
    def around(cls, world, x_m: float, y_m: float, half_width_m: float, cell_m: float) -> LocalGrid:
        """Cut an ``2*half_width_m`` square grid of ``cell_m`` cells centred on (x, y)."""
        if not 10.0 <= cell_m <= 500.0:
            raise ValueError(f"hazard.grid.cell_m = {cell_m}: expected 10-500 m (about 30-60 m)")
        n = int(math.ceil(2 * half_width_m / cell_m))
        x0 = x_m - n * cell_m / 2
        y0 = y_m + n * cell_m / 2
        c = (np.arange(n) + 0.5) * cell_m
        xx, yy = np.meshgrid(x0 + c, y0 - c)
        elev = world_elevation(world, xx, yy)
        lc = world.sample("landcover", xx.ravel(), yy.ravel()).reshape(n, n)
        return cls(x0, y0, float(cell_m), n, elev, np.asarray(lc, np.uint8))

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        return (self.n, self.n)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in metres."""
        s = self.n * self.cell_m
        return (self.x0, self.y0 - s, self.x0 + s, self.y0)

    def rc(self, x_m, y_m) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row, column (clipped) and an inside flag for UTM points."""
        col = np.floor((np.asarray(x_m, float) - self.x0) / self.cell_m).astype(np.intp)
        row = np.floor((self.y0 - np.asarray(y_m, float)) / self.cell_m).astype(np.intp)
        inside = (row >= 0) & (row < self.n) & (col >= 0) & (col < self.n)
        return np.clip(row, 0, self.n - 1), np.clip(col, 0, self.n - 1), inside

    def xy(self, row, col) -> tuple[np.ndarray, np.ndarray]:
        """UTM cell-centre coordinates of (row, col)."""
        return (
            self.x0 + (np.asarray(col) + 0.5) * self.cell_m,
            self.y0 - (np.asarray(row) + 0.5) * self.cell_m,
        )


def tobler_kmh(slope: np.ndarray, off_path: bool = True) -> np.ndarray:
    """Tobler (1993) walking speed (km/h) on slope dh/dx (signed, uphill positive)."""
    v = 6.0 * np.exp(-3.5 * np.abs(np.asarray(slope, float) + 0.05))
    return v * (TOBLER_OFFPATH if off_path else 1.0)


def walk(world, start_xy, end_xy, step_m: float = 50.0) -> tuple[float, float, float]:
    """Straight-line walk over the world DEM: (minutes, ground length m, climb m).

    The profile is sampled every ``step_m``; each segment's time is its slope
    length over Tobler's off-path speed for its slope.
    """
    (x0, y0), (x1, y1) = start_xy, end_xy
    d = math.hypot(x1 - x0, y1 - y0)
    if d < 1.0:
        return 0.0, 0.0, 0.0
    k = max(2, int(math.ceil(d / step_m)) + 1)
    t = np.linspace(0.0, 1.0, k)
    z = world_elevation(world, x0 + t * (x1 - x0), y0 + t * (y1 - y0))
    dx = d / (k - 1)
    dz = np.diff(z)
    seg = np.hypot(dx, dz)
    minutes = float(np.sum(seg / (tobler_kmh(dz / dx) * 1000.0 / 60.0)))
    return minutes, float(seg.sum()), float(np.clip(dz, 0, None).sum())


def nearest_road_point(world, x_m: float, y_m: float) -> tuple[float, float]:
    """The road-network node nearest to (x, y): where crews leave their vehicles."""
    cache = world._cache  # the World's own lazy cache (networks live there too)
    if "ff_road_tree" not in cache:
        xy = np.array([(d["x_m"], d["y_m"]) for _, d in world.roads.nodes(data=True)], float)
        if xy.size == 0:
            raise ValueError(f"world {world.name!r} has no road nodes for fire crews to stage at")
        cache["ff_road_tree"] = (cKDTree(xy), xy)
    tree, xy = cache["ff_road_tree"]
    _, i = tree.query([x_m, y_m])
    return float(xy[i, 0]), float(xy[i, 1])
