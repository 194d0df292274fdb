"""Typhoon rainfall on the world grid: R-CLIPER rain-rate profile plus orographic lift.

Symmetric profile: R-CLIPER (Marks et al. 2002; Lonfat et al. 2004 functional form) with
the bias-adjusted NHC coefficients of Tuleya et al. (2007), *Weather and Forecasting*
22(1):56-70, eqs. (3)-(5) and Table 2 (the same numbers CLIMADA-petals uses in
``tc_rainfield._rcliper``)::

    U  = 1 + (Vmax[kt] - 35) / 33
    T0 = a1 + b1 U,  Tm = a2 + b2 U   (in/day)      rm = a3 + b3 U,  re = a4 + b4 U   (km)
    R(r) = T0 + (Tm - T0) r / rm        for r <= rm
    R(r) = Tm exp(-(r - rm) / re)       for r >  rm

Orographic enhancement (the PHRaM idea, Lonfat et al. 2007, of adding rain where the storm
wind blows up terrain): the forced vertical velocity w_h = V . grad(h) (Lu et al. 2018,
J. Atmos. Sci. 75:2337, eq. 7) turned into rain with the TCR conversion
R = e_p (rho_a / rho_w) q_s w (Lu et al. 2018 eq. 14; e_p = 0.5, CLIMADA-petals default).
The saturation specific humidity ``q_s`` is one constant here (*illustrative*, 0.02 kg/kg,
a tropical 950 hPa value), not taken from reanalysis.

Validity limits: symmetric R-CLIPER climatology (no shear asymmetry: the bulletin tracks
carry no shear); calibrated on US landfalls (1-min Vmax); the world DEM is 5' data
smoothed to 30", so the orographic term sees only broad slopes and under-represents
local peaks (e.g. 古兜山). Storm totals are indicative (a factor ~2 either way).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter

from scenarios.typhoon.track import EARTH_RADIUS_KM

KN_TO_M_S = 0.514444
IN_PER_DAY_TO_MM_H = 25.4 / 24.0
#: Tuleya et al. (2007) Table 2 (NHC, bias-adjusted): a1, b1, a2, b2 in in/day; a3, b3, a4, b4 km.
RCLIPER_NHC = {
    "a1": -1.10,
    "b1": 3.96,
    "a2": -1.60,
    "b2": 4.80,
    "a3": 64.5,
    "b3": -13.0,
    "a4": 150.0,
    "b4": -16.0,
}
#: Lu et al. (2018) eq. 14 constants: precipitation efficiency (CLIMADA-petals default 0.5),
#: air/water density ratio.
E_PRECIP = 0.5
RHO_A_OVER_RHO_W = 1.2 / 1000.0
#: Saturation specific humidity used by the orographic term (illustrative constant).
Q_SAT_DEFAULT = 0.02


@dataclass(frozen=True)
class RcliperProfile:
    """R-CLIPER profile parameters for one max wind (rates in mm/h, radii in km)."""

    t0_mm_h: float
    tm_mm_h: float
    rm_km: float
    re_km: float


def rcliper_profile(vmax_m_s: float) -> RcliperProfile:
    """T0, Tm, rm, re of Tuleya et al. (2007) eqs. (3)-(5), Table 2 (NHC), for a 1-min Vmax."""
    c = RCLIPER_NHC
    u = 1.0 + (vmax_m_s / KN_TO_M_S - 35.0) / 33.0
    return RcliperProfile(
        t0_mm_h=(c["a1"] + c["b1"] * u) * IN_PER_DAY_TO_MM_H,
        tm_mm_h=(c["a2"] + c["b2"] * u) * IN_PER_DAY_TO_MM_H,
        rm_km=c["a3"] + c["b3"] * u,
        re_km=c["a4"] + c["b4"] * u,
    )


def rcliper_rate_mm_h(r_km: np.ndarray, vmax_m_s: float) -> np.ndarray:
    """Symmetric R-CLIPER rain rate (mm/h) at distances ``r_km`` from the eye; never negative."""
    p = rcliper_profile(vmax_m_s)
    r = np.asarray(r_km, float)
    inner = p.t0_mm_h + (p.tm_mm_h - p.t0_mm_h) * r / p.rm_km
    outer = p.tm_mm_h * np.exp(-(r - p.rm_km) / p.re_km)
    return np.fmax(np.where(r <= p.rm_km, inner, outer), 0.0)


def orographic_rate_mm_h(
    u: np.ndarray,
    v: np.ndarray,
    dh_dx: np.ndarray,
    dh_dy: np.ndarray,
    q_sat: float = Q_SAT_DEFAULT,
) -> np.ndarray:
    """Rain from wind forced up terrain: e_p (rho_a/rho_w) q_s max(V.grad h, 0), in mm/h.

    Lu et al. (2018) eqs. 7 and 14; ``dh_dx`` east and ``dh_dy`` north slopes (m/m).
    """
    w = np.fmax(u * dh_dx + v * dh_dy, 0.0)
    return E_PRECIP * RHO_A_OVER_RHO_W * q_sat * w * 3.6e6


def distance_km(lat2d: np.ndarray, lon2d: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """Equirectangular distance (km) from (lat0, lon0), as CLIMADA's ``dist_approx``."""
    dy = np.radians(lat2d - lat0)
    dx = np.radians(lon2d - lon0) * np.cos(np.radians(lat0))
    return EARTH_RADIUS_KM * np.hypot(dx, dy)


class RainField:
    """Rain rate, last-hour rain and storm totals on the world grid, advanced per tick.

    The max wind that drives R-CLIPER is the storm's current Vmax with the same inland
    decay factor the wind uses, so rain weakens over land with the wind.
    """

    def __init__(
        self,
        lat2d: np.ndarray,
        lon2d: np.ndarray,
        elevation_m: np.ndarray,
        cell_m: tuple[float, float],
        *,
        orographic: bool = True,
        q_sat: float = Q_SAT_DEFAULT,
        scale: float = 1.0,
        max_radius_km: float = 500.0,
        smooth_km: float = 10.0,
    ) -> None:
        self.lat2d, self.lon2d = lat2d, lon2d
        dy, dx = cell_m
        h = np.asarray(elevation_m, float)
        if smooth_km > 0:
            # terrain at the ~0.1 deg scale the TCR orographic term is used with (CLIMADA's
            # 0.1 deg SRTM): the pack's summit bumps are sub-grid for a rain model
            h = gaussian_filter(h, sigma=(smooth_km * 1000.0 / dy, smooth_km * 1000.0 / dx))
        g_row, g_col = np.gradient(h, dy, dx)
        self.dh_dx, self.dh_dy = g_col, -g_row  # row index grows southwards
        self.orographic = orographic
        self.q_sat = q_sat
        self.scale = scale
        self.max_radius_km = max_radius_km
        shape = lat2d.shape
        self.rate = np.zeros(shape)
        self.total = np.zeros(shape)
        self.max_hourly = np.zeros(shape)
        self._hour = np.zeros(shape)
        self._hour_min = 0.0

    def update(
        self,
        lat: float | None,
        lon: float | None,
        vmax_m_s: float,
        u: np.ndarray | None,
        v: np.ndarray | None,
        dt_min: float,
    ) -> None:
        """Rate for this tick (storm at lat/lon, or no storm: None) and accumulate ``dt_min``."""
        if lat is None or lon is None or vmax_m_s <= 0:
            self.rate[:] = 0.0
        else:
            r = distance_km(self.lat2d, self.lon2d, lat, lon)
            rate = rcliper_rate_mm_h(r, vmax_m_s)
            if self.orographic and u is not None and v is not None:
                rate = rate + np.where(
                    rate > 0, orographic_rate_mm_h(u, v, self.dh_dx, self.dh_dy, self.q_sat), 0.0
                )
            rate[r > self.max_radius_km] = 0.0
            self.rate = rate * self.scale
        depth = self.rate * dt_min / 60.0
        self.total += depth
        self._hour += depth
        self._hour_min += dt_min
        if self._hour_min >= 60.0 - 1e-9:
            np.fmax(self.max_hourly, self._hour, out=self.max_hourly)
            self.last_hour = self._hour
            self._hour = np.zeros_like(self._hour)
            self._hour_min = 0.0

    def add_uniform(self, mm_h: float, dt_min: float) -> None:
        """Add scripted uniform rain to this tick's rate and accumulations (before the hour closes)."""
        depth = mm_h * dt_min / 60.0
        self.rate = self.rate + mm_h
        self.total += depth
        if self._hour_min == 0.0 and hasattr(self, "last_hour"):
            self.last_hour = self.last_hour + depth
            np.fmax(self.max_hourly, self.last_hour, out=self.max_hourly)
        else:
            self._hour += depth

    @property
    def hour_complete(self) -> bool:
        """True right after a tick that closed an hourly accumulation."""
        return self._hour_min == 0.0 and hasattr(self, "last_hour")
