"""Overbank river flooding by height above nearest drainage, and urban waterlogging (内涝).

River flooding (HAND, Rennó et al. 2008, *Remote Sens. Environ.* 112:3469; Nobre et al. 2011):
a land cell within ``floodplain_km`` of the river has HAND = its elevation minus the
ground at its nearest reach (clipped at 0: cells below their drainage point are DEM
artefacts of smoothing). Once the reach overtops its levee, the water stands
levee + overtop metres above the reach's ground, and the cell floods to depth
= that height - HAND. "Nearest" is Euclidean here, not along D8 flow paths (the 30" DEM
is 5' data smoothed, too flat for flow paths), so extents are indicative only; a cell
above its reach's flood level never floods.

Urban waterlogging: on urban cells, ponded depth grows by (rain rate - drainage capacity)
and drains at the capacity once rain eases (a single storage bucket; the capacity in mm/h
is a scenario setting, e.g. a 1-3 year design storm of the sewer network, *illustrative*).
Water collects on the low part of a cell (streets, underpasses): ``ponding_share`` is
that part, so the depth there is the excess volume divided by it (*illustrative*).
"""

from __future__ import annotations

import numpy as np


class RiverFloodplain:
    """Flood depth on low land next to overtopping reaches."""

    def __init__(
        self,
        elevation_m: np.ndarray,
        is_land: np.ndarray,
        nearest_reach: np.ndarray,
        dist_river_m: np.ndarray,
        reach_ground_m: np.ndarray,
        floodplain_km: float,
        levee_m: float,
    ) -> None:
        self.elev = np.asarray(elevation_m, float)
        self.cand = np.asarray(is_land, bool) & (dist_river_m <= floodplain_km * 1000.0)
        self.reach = nearest_reach
        self.ground_m = np.asarray(reach_ground_m, float)
        self.levee_m = float(levee_m)
        self.hand = np.fmax(self.elev - self.ground_m[nearest_reach], 0.0)
        self.depth = np.zeros(self.elev.shape)
        self.max_depth = np.zeros(self.elev.shape)
        self.level = np.full(self.elev.shape, -np.inf)

    def update(self, overtop_m: np.ndarray) -> np.ndarray:
        """Depth grid for reaches overtopping by ``overtop_m`` (m above their levee crest)."""
        above = np.where(overtop_m > 0, self.levee_m + overtop_m, -np.inf)  # m above ground
        self.level = np.where(self.cand, above[self.reach], -np.inf)  # in HAND terms
        self.depth = np.where(self.cand, np.fmax(self.level - self.hand, 0.0), 0.0)
        np.fmax(self.max_depth, self.depth, out=self.max_depth)
        return self.depth


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
