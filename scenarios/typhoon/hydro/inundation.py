"""Overbank river flooding by a volume-limited HAND fill, and urban waterlogging (内涝).

River flooding. HAND (height above nearest drainage; Rennó et al. 2008, *Remote Sens.
Environ.* 112:3469; Nobre et al. 2011, *J. Hydrol.* 404:13): a land cell within
``floodplain_km`` of the river has HAND = its elevation minus the ground at its nearest
reach (clipped at 0: cells below their drainage point are DEM artefacts of smoothing).
"Nearest" is Euclidean, not along D8 flow paths (the 30" DEM is 5' data smoothed, too
flat for flow paths), so extents are indicative only.

Volume limit: each pool (a stretch of river, ``pool`` maps reaches to pools; one reach
per pool by default) owns a level-pool floodplain store (filled by the water the
channel cannot carry, see :class:`~scenarios.typhoon.hydro.rivers.RiverSystem`). The
water surface L of a reach holding volume V is the level at which its HAND cells hold V:
V(L) = A_cell * sum over cells with HAND_i < L of (L - HAND_i), the HAND volume-stage
relation of Zheng et al. (2018, *JAWRA* 54(4):785, "River channel geometry and rating
curve estimation using height above the nearest drainage", eq. for the reach's
inundated volume) and the HAND-contour fill of Nobre et al. (2016, *Hydrol. Process.*
30:320). V(L) is piecewise linear between sorted HAND values, so the cells are sorted
once at set-up, the cumulative volume at each breakpoint is tabulated, and each tick
finds the level with one ``np.searchsorted``. Depth = L - HAND, zero above the level;
a cell floods only while its reach's store holds water, and the stored volume equals
the volume on the cells (to rounding).

Urban waterlogging: on urban cells, ponded depth grows by (rain rate - drainage capacity)
and drains at the capacity once rain eases (a single storage bucket; the capacity in mm/h
is a scenario setting, e.g. a 1-3 year design storm of the sewer network, *illustrative*).
Water collects on the low part of a cell (streets, underpasses): ``ponding_share`` is
that part, so the depth there is the excess volume divided by it (*illustrative*).
"""

from __future__ import annotations

import numpy as np


class RiverFloodplain:
    """Flood depth on the HAND cells of each reach, filled up to the reach's stored volume."""

    def __init__(
        self,
        elevation_m: np.ndarray,
        is_land: np.ndarray,
        nearest_reach: np.ndarray,
        dist_river_m: np.ndarray,
        reach_ground_m: np.ndarray,
        floodplain_km: float,
        levee_m: float,
        cell_area_m2: float,
        pool: np.ndarray | None = None,
    ) -> None:
        self.elev = np.asarray(elevation_m, float)
        self.cand = np.asarray(is_land, bool) & (dist_river_m <= floodplain_km * 1000.0)
        self.reach = np.asarray(nearest_reach, int)
        self.ground_m = np.asarray(reach_ground_m, float)
        self.levee_m = float(levee_m)
        self.area = float(cell_area_m2)
        self.hand = np.fmax(self.elev - self.ground_m[self.reach], 0.0)
        nr = self.ground_m.size
        self.pool = np.arange(nr) if pool is None else np.asarray(pool, int)
        n = int(self.pool.max()) + 1 if nr else 0
        # cells of each pool sorted by HAND, pools one after another
        cells = np.flatnonzero(self.cand.ravel())
        r, h = self.pool[self.reach.ravel()[cells]], self.hand.ravel()[cells]
        order = np.lexsort((h, r))
        r, h = r[order], h[order]
        self.n_cells = np.bincount(r, minlength=n)
        self.start = np.concatenate([[0], np.cumsum(self.n_cells)[:-1]])
        csum = np.cumsum(h)
        base = np.concatenate([[0.0], csum])[self.start]  # sum of HAND before each segment
        below = csum - h - base[r]  # sum of the lower HANDs in the segment
        k = np.arange(h.size) - self.start[r]  # number of lower cells
        vol = self.area * (k * h - below)  # V at L = h: nondecreasing in a segment
        vmax = np.zeros(n)
        np.maximum.at(vmax, r, vol)
        self._off = np.concatenate([[0.0], np.cumsum(vmax + 1.0)[:-1]])  # segments apart
        self._key = vol + self._off[r]
        self._sum_to = csum - base[r]  # sum of HAND of the cells up to and including this one
        self.has_cells = self.n_cells > 0  # per pool
        self.reach_level = np.full(nr, -np.inf)  # water level above reach ground (HAND terms)
        self.depth = np.zeros(self.elev.shape)
        self.max_depth = np.zeros(self.elev.shape)
        self.level = np.full(self.elev.shape, -np.inf)

    def levels(self, volume_m3: np.ndarray) -> np.ndarray:
        """Water level (m above reach ground) at which each pool's cells hold ``volume_m3``.

        -inf where a pool holds no water or has no floodplain cells.
        """
        v = np.asarray(volume_m3, float)
        wet = (v > 0) & self.has_cells
        j = np.flatnonzero(wet)
        pos = np.searchsorted(self._key, v[j] + self._off[j], side="right")
        k = np.clip(pos - self.start[j], 1, self.n_cells[j])  # cells under water
        s = self._sum_to[self.start[j] + k - 1]
        out = np.full(v.shape, -np.inf)
        out[j] = (v[j] / self.area + s) / k
        return out

    def update(self, volume_m3: np.ndarray) -> np.ndarray:
        """Depth grid for the floodplain volume stored per pool (m3)."""
        self.reach_level = self.levels(volume_m3)[self.pool]
        self.level = np.where(self.cand, self.reach_level[self.reach], -np.inf)
        self.depth = np.where(self.cand, np.fmax(self.level - self.hand, 0.0), 0.0)
        np.fmax(self.max_depth, self.depth, out=self.max_depth)
        return self.depth

    def volume_m3(self) -> float:
        """Water on the floodplain cells now (for the conservation check)."""
        return float(self.depth.sum() * self.area)


class UrbanWaterlogging:
    """Ponded depth on urban cells where rain exceeds the drainage capacity."""

    def __init__(self, urban: np.ndarray, capacity_mm_h: float, ponding_share: float = 1.0) -> None:
        self.urban = np.asarray(urban, bool)
        self.capacity = float(capacity_mm_h)
        self.share = float(ponding_share)
        self.depth_mm = np.zeros(self.urban.shape)
        self.max_depth_mm = np.zeros(self.urban.shape)

    def update(self, rate_mm_h: np.ndarray, dt_min: float) -> np.ndarray:
        """New ponded depth (m) after ``dt_min`` of rain at ``rate_mm_h``."""
        h = dt_min / 60.0
        self.depth_mm = np.where(
            self.urban,
            np.fmax(self.depth_mm + (rate_mm_h - self.capacity) * h / self.share, 0.0),
            0.0,
        )
        np.fmax(self.max_depth_mm, self.depth_mm, out=self.max_depth_mm)
        return self.depth_mm / 1000.0
