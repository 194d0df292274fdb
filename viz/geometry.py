"""Map geometry: world coordinates, base-map pixels and the screen view.

Three spaces, like a paper map under a magnifier:

* **world**: UTM 49N metres (what agents use) or WGS84 lat/lon;
* **base**: pixels of the pre-rendered base map, an equirectangular image of
  the world grid (row 0 = north) with x scaled by cos(latitude) so that a
  pixel is square on the ground at mid-latitude;
* **screen**: pixels of the window, through a `View` (zoom + origin).

All conversions are vectorised numpy: drawing 10 k residents is one call.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


class MapGeometry:
    """World ↔ base-pixel conversions for one world grid.

    Args:
        grid: The world's `Grid`.
        longest_px: Size of the base map's longest side in pixels.
    """

    def __init__(self, grid, longest_px: int = 1600) -> None:
        self.grid = grid
        d = grid.cell_size_deg
        self.d = d
        self.lon_w = float(grid.lon[0] - d / 2)
        self.lat_n = float(grid.lat[0] + d / 2)
        ny, nx = grid.shape
        lat_mid = float(np.mean(grid.lat))
        self.ppc_y = max(4.0, longest_px / max(ny, nx))
        self.ppc_x = self.ppc_y * math.cos(math.radians(lat_mid))
        self.width = int(round(nx * self.ppc_x))
        self.height = int(round(ny * self.ppc_y))

    def ll_to_base(self, lat, lon) -> tuple[np.ndarray, np.ndarray]:
        """Lat/lon degrees → base pixels (u right, v down)."""
        u = (np.asarray(lon, dtype=float) - self.lon_w) / self.d * self.ppc_x
        v = (self.lat_n - np.asarray(lat, dtype=float)) / self.d * self.ppc_y
        return u, v

    def base_to_ll(self, u, v) -> tuple[np.ndarray, np.ndarray]:
        """Base pixels → (lat, lon) degrees."""
        lon = self.lon_w + np.asarray(u, dtype=float) / self.ppc_x * self.d
        lat = self.lat_n - np.asarray(v, dtype=float) / self.ppc_y * self.d
        return lat, lon

    def xy_to_base(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """UTM metres → base pixels (fast polynomial inverse of the grid)."""
        lat, lon = self.grid.latlon_fast(x, y)
        return self.ll_to_base(lat, lon)

    def base_to_xy(self, u, v) -> tuple[np.ndarray, np.ndarray]:
        """Base pixels → UTM metres."""
        lat, lon = self.base_to_ll(u, v)
        return self.grid.to_xy(lat, lon)

    def metres_per_base_px(self) -> float:
        """Ground size of one base pixel (north-south), metres."""
        return self.d * 111_320.0 / self.ppc_y


@dataclass
class View:
    """Which part of the base map the window shows: zoom and top-left origin.

    `zoom` is screen pixels per base pixel; `ox, oy` the base pixel shown at
    the map area's top-left corner; `rect` the map area on the screen.
    """

    rect: tuple[int, int, int, int]
    zoom: float = 1.0
    ox: float = 0.0
    oy: float = 0.0

    MIN_ZOOM = 0.2
    MAX_ZOOM = 24.0

    @property
    def key(self) -> tuple[float, float, float, tuple]:
        """Hashable state (cache key of view-dependent drawings)."""
        return (round(self.zoom, 6), round(self.ox, 3), round(self.oy, 3), self.rect)

    def fit(self, width: int, height: int) -> None:
        """Show the whole base map, centred."""
        _, _, w, h = self.rect
        self.zoom = min(w / width, h / height)
        self.ox = (width - w / self.zoom) / 2
        self.oy = (height - h / self.zoom) / 2

    def to_screen(self, u, v) -> tuple[np.ndarray, np.ndarray]:
        """Base pixels → screen pixels (float)."""
        x0, y0, _, _ = self.rect
        return (
            (np.asarray(u, dtype=float) - self.ox) * self.zoom + x0,
            (np.asarray(v, dtype=float) - self.oy) * self.zoom + y0,
        )

    def to_base(self, sx, sy) -> tuple[np.ndarray, np.ndarray]:
        """Screen pixels → base pixels."""
        x0, y0, _, _ = self.rect
        return (
            (np.asarray(sx, dtype=float) - x0) / self.zoom + self.ox,
            (np.asarray(sy, dtype=float) - y0) / self.zoom + self.oy,
        )

    def zoom_at(self, factor: float, sx: float, sy: float) -> None:
        """Zoom by `factor` keeping the base point under (sx, sy) fixed."""
        bu, bv = self.to_base(sx, sy)
        self.zoom = float(np.clip(self.zoom * factor, self.MIN_ZOOM, self.MAX_ZOOM))
        x0, y0, _, _ = self.rect
        self.ox = float(bu) - (sx - x0) / self.zoom
        self.oy = float(bv) - (sy - y0) / self.zoom

    def center_on(self, u: float, v: float, zoom: float) -> None:
        """Centre the map area on base point (u, v) at `zoom`."""
        _, _, w, h = self.rect
        self.zoom = float(np.clip(zoom, self.MIN_ZOOM, self.MAX_ZOOM))
        self.ox = float(u) - w / 2 / self.zoom
        self.oy = float(v) - h / 2 / self.zoom

    def pan(self, dx_px: float, dy_px: float) -> None:
        """Move the map by screen pixels (drag direction)."""
        self.ox -= dx_px / self.zoom
        self.oy -= dy_px / self.zoom

    def contains(self, sx: float, sy: float) -> bool:
        """Whether a screen point is inside the map area."""
        x0, y0, w, h = self.rect
        return x0 <= sx < x0 + w and y0 <= sy < y0 + h
