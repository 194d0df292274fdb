"""Storm surge on the coastal sea cells of the world grid and flooding of low land behind them.

Per tick: the Holland (1980) pressure deficit gives the inverse-barometer rise,
and the onshore wind component gives a steady linear wind setup over a shelf
of one depth and width (`surge.py`). A land cell within `inland_km` of the coast
floods when the water level of its nearest coastal sea cell exceeds its
elevation plus a uniform sea-wall height. Flooded cells close the roads whose
midpoints lie in them and affect the residents there.

Validity limits (see `surge.py`): no bathymetry, Coriolis/Ekman or wave setup,
no tide unless given, steady state (no lag), no overland routing; the DEM has
no sea-wall or embankment detail (one uniform `seawall_m`), and is a smoothed
5' product, so flood extents are indicative only. Errors of a factor ~2 in
surge height are expected; use for drill scaling, never for warnings.
"""

from __future__ import annotations

import copy

import numpy as np
from scipy.ndimage import binary_dilation, distance_transform_edt

from scenarios.typhoon.params import Surge
from scenarios.typhoon.surge import holland_pressure_hpa, surge_m
from scenarios.typhoon.track import EARTH_RADIUS_KM
from scenarios.typhoon.windfield import StormState, WindField, b_holland_2008


class CoastalFlood:
    """Surge at coastal sea cells and the low-lying land it floods."""

    def __init__(
        self,
        lat2d: np.ndarray,
        lon2d: np.ndarray,
        is_land: np.ndarray,
        elevation_m: np.ndarray,
        cell_m: tuple[float, float],
        p: Surge,
    ) -> None:
        self.p = p
        self.lat2d, self.lon2d = lat2d, lon2d
        land = np.asarray(is_land, bool)
        sea = ~land
        self.coastal = sea & binary_dilation(land, structure=np.ones((3, 3), bool))
        dy, dx = cell_m
        d_to_land = distance_transform_edt(sea, sampling=(dy, dx))
        g_row, g_col = np.gradient(d_to_land, dy, dx)
        # onshore = towards land = -grad(distance); row index grows southwards
        east, north = -g_col, g_row
        norm = np.hypot(east, north)
        norm[norm == 0] = 1.0
        self.on_e, self.on_n = east / norm, north / norm
        d_coast, (ri, ci) = distance_transform_edt(
            ~self.coastal, sampling=(dy, dx), return_indices=True
        )
        self.nearest_coastal = (ri, ci)
        self.candidates = land & (d_coast <= p.inland_km * 1000.0)
        self.ground = np.asarray(elevation_m, float) + p.seawall_m
        self.level = np.zeros(lat2d.shape)
        self.max_level = np.zeros(lat2d.shape)
        self.flooded = np.zeros(lat2d.shape, bool)
        self.ever_flooded = np.zeros(lat2d.shape, bool)
        self.max_depth = np.zeros(lat2d.shape)
        # per-tick work only touches coastal cells and flood candidates: index them once
        c = self.coastal
        self._c_flat = np.flatnonzero(c)  # coastal cells as flat indices (row-major, as c)
        self._lat_c, self._lon_c = lat2d[c], lon2d[c]
        self._on_e_c, self._on_n_c = self.on_e[c], self.on_n[c]
        w = lat2d.shape[1]
        self._cand = np.flatnonzero(self.candidates)
        self._cand_src = (ri * w + ci).ravel()[self._cand]
        self._cand_ground = self.ground.ravel()[self._cand]
        self._still = False  # the last tick had no surge: another one changes nothing

    def fresh(self, p: Surge) -> CoastalFlood:
        """A copy with this geometry and no water yet, for a new run with surge parameters `p`.

        The geometry depends on `inland_km` and `seawall_m` only (checked).
        """
        if (p.inland_km, p.seawall_m) != (self.p.inland_km, self.p.seawall_m):
            raise ValueError("CoastalFlood.fresh: inland_km and seawall_m must be unchanged")
        new = copy.copy(self)
        new.p = p
        shape = self.level.shape
        new.level = np.zeros(shape)
        new.max_level = np.zeros(shape)
        new.flooded = np.zeros(shape, bool)
        new.ever_flooded = np.zeros(shape, bool)
        new.max_depth = np.zeros(shape)
        new._still = False
        return new

    def update(self, state: StormState | None, wind: WindField | None) -> None:
        """Water level at coastal cells for this tick and the flooded land cells.

        A tick without surge after one without surge leaves every field as it is (the
        level stays 0, the flooded cells and maxima are those of the last tick), so it
        is skipped.
        """
        surge = self.p.enabled and state is not None and wind is not None
        if not surge and self._still:
            return
        self._still = not surge
        cf = self._c_flat
        level, max_level = self.level.ravel(), self.max_level.ravel()
        level[cf] = 0.0  # the level is 0 off the coastal cells, always
        if surge:
            dyr = np.radians(self._lat_c - state.lat)
            dxr = np.radians(self._lon_c - state.lon) * np.cos(np.radians(state.lat))
            r_km = EARTH_RADIUS_KM * np.hypot(dxr, dyr)
            dp = state.penv_hpa - state.pc_hpa
            vt = float(np.hypot(state.vt_east_m_s, state.vt_north_m_s))
            b = float(b_holland_2008(dp, state.dpc_dt_hpa_h, state.lat, vt))
            p_loc = holland_pressure_hpa(r_km, state.pc_hpa, state.penv_hpa, state.rmax_km, b)
            dp_loc = (state.penv_hpa - p_loc) * state.decay
            res = surge_m(
                dp_loc,
                wind.u.ravel()[cf],
                wind.v.ravel()[cf],
                self._on_e_c,
                self._on_n_c,
                self.p.depth_m,
                self.p.shelf_width_km,
                self.p.tide_m,
            )
            lc = np.fmax(res["total_m"], 0.0)
            level[cf] = lc
            max_level[cf] = np.fmax(max_level[cf], lc)
        # depth is 0 outside the candidates, so only they can flood or deepen
        depth = level[self._cand_src] - self._cand_ground
        flooded = np.zeros(self.level.shape, bool)
        flooded.ravel()[self._cand] = depth > 0
        self.flooded = flooded
        self.ever_flooded |= flooded
        md = self.max_depth.ravel()
        md[self._cand] = np.fmax(md[self._cand], np.fmax(depth, 0.0))
