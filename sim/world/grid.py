"""Regular lat/lon raster with UTM (metre) coordinates of cell centres."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
from pyproj import Transformer


@cache
def _transformers(crs: str) -> tuple[Transformer, Transformer]:
    """Cached forward/inverse transformers (creating them costs ~10 ms each)."""
    fwd = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    inv = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return fwd, inv


@dataclass(frozen=True, eq=False)
class Grid:
    """Cell-centre coordinates of a regular geographic raster.

    Raster convention: row 0 is the northern-most row, so ``lat`` is descending
    and ``lon`` ascending. ``x_m``/``y_m`` hold projected (``crs``) centres so
    agents can move in metres while layers stay on the geographic grid.
    """

    lat: np.ndarray
    lon: np.ndarray
    crs: str = "EPSG:32649"
    x_m: np.ndarray = field(init=False, repr=False)
    y_m: np.ndarray = field(init=False, repr=False)
    _xy_to_ll: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lat = np.asarray(self.lat, dtype=float)
        lon = np.asarray(self.lon, dtype=float)
        if lat.ndim != 1 or lon.ndim != 1 or lat.size < 2 or lon.size < 2:
            raise ValueError("Grid lat/lon must be 1-D with at least 2 cells")
        if not (np.all(np.diff(lat) < 0) and np.all(np.diff(lon) > 0)):
            raise ValueError("Grid lat must be descending (row 0 = north), lon ascending")
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "lon", lon)
        lon2, lat2 = np.meshgrid(lon, lat)
        x, y = self.to_xy(lat2, lon2)
        object.__setattr__(self, "x_m", x)
        object.__setattr__(self, "y_m", y)
        object.__setattr__(self, "_xy_to_ll", self._fit_inverse(x, y, lat2, lon2))

    @staticmethod
    def _fit_inverse(x: np.ndarray, y: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Quadratic polynomial (x, y) → (lat, lon) fitted on the cell centres.

        Over a region of a few degrees the inverse projection is smooth, so the
        fit is good to metres (checked in tests against pyproj) and several times
        faster per point; `index_xy` (every resident, every tick) relies on it.
        """
        u, v = (x - x.mean()) / 1e5, (y - y.mean()) / 1e5
        cols = [np.ones_like(u), u, v, u * u, u * v, v * v]
        a = np.column_stack([c.ravel() for c in cols])
        coef, *_ = np.linalg.lstsq(a, np.column_stack([lat.ravel(), lon.ravel()]), rcond=None)
        return np.concatenate([[x.mean(), y.mean()], coef.ravel()])

    @property
    def shape(self) -> tuple[int, int]:
        """(ny, nx)."""
        return (self.lat.size, self.lon.size)

    @property
    def cell_size_deg(self) -> float:
        """Cell edge in degrees (grids are square in degrees)."""
        return float(abs(self.lat[0] - self.lat[1]))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Outer edges (west, south, east, north) in degrees."""
        h = self.cell_size_deg / 2
        return (
            float(self.lon[0] - h),
            float(self.lat[-1] - h),
            float(self.lon[-1] + h),
            float(self.lat[0] + h),
        )

    def to_xy(self, lat, lon) -> tuple[np.ndarray, np.ndarray]:
        """WGS84 degrees -> projected metres (vectorised)."""
        fwd, _ = _transformers(self.crs)
        x, y = fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x), np.asarray(y)

    def to_latlon(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Projected metres -> WGS84 (lat, lon) degrees (vectorised)."""
        _, inv = _transformers(self.crs)
        lon, lat = inv.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.asarray(lat), np.asarray(lon)

    def index(self, lat, lon) -> tuple[np.ndarray, np.ndarray]:
        """Nearest cell (row, col) for degree coordinates, clipped to the grid."""
        d = self.cell_size_deg
        row = np.rint((self.lat[0] - np.asarray(lat, dtype=float)) / d).astype(np.intp)
        col = np.rint((np.asarray(lon, dtype=float) - self.lon[0]) / d).astype(np.intp)
        return np.clip(row, 0, self.lat.size - 1), np.clip(col, 0, self.lon.size - 1)

    def index_xy(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Nearest cell (row, col) for projected coordinates, clipped to the grid."""
        lat, lon = self.latlon_fast(x, y)
        return self.index(lat, lon)

    def latlon_fast(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """(lat, lon) from projected metres via the fitted polynomial (see `_fit_inverse`)."""
        p = self._xy_to_ll
        u = (np.asarray(x, dtype=float) - p[0]) * 1e-5
        v = (np.asarray(y, dtype=float) - p[1]) * 1e-5
        c = p[2:].reshape(-1, 2)
        uu, uv, vv = u * u, u * v, v * v
        lat = c[0, 0] + c[1, 0] * u + c[2, 0] * v + c[3, 0] * uu + c[4, 0] * uv + c[5, 0] * vv
        lon = c[0, 1] + c[1, 1] * u + c[2, 1] * v + c[3, 1] * uu + c[4, 1] * uv + c[5, 1] * vv
        return lat, lon

    @classmethod
    def from_bounds(
        cls,
        west: float,
        south: float,
        east: float,
        north: float,
        cell_deg: float,
        crs: str = "EPSG:32649",
    ) -> Grid:
        """Grid whose outer cell edges are the given bounds."""
        ny = round((north - south) / cell_deg)
        nx = round((east - west) / cell_deg)
        lat = north - (np.arange(ny) + 0.5) * cell_deg
        lon = west + (np.arange(nx) + 0.5) * cell_deg
        return cls(lat=lat, lon=lon, crs=crs)
