"""Wind at one point over every tick of a run, in one vectorised pass (launch forecasts).

Dispatch asks, for each base of a boat or aircraft, when the wind there drops
below the craft's launch limit (`TyphoonHazard.launch_open_min`). That needs the
Holland (1980) / Holland (2008) wind of `windfield.wind_field` (CLIMADA H08 or
H1980, see that module for the published sources) at one grid cell for all
~220 storm states of the run. Evaluating `wind_field` once per state on a 1 x 1
grid costs ~40 numpy calls per state; here the states are the vector and each
call covers all of them.

The result is bit-for-bit the per-state evaluation: the per-state scalars
(translation cap, Holland b, Coriolis, decay) are computed by the same scalar
code as `wind_field`, and every array operation runs elementwise in the same
order with the same operand layout, so no value is rounded differently
(`tests/typhoon/test_ty_forecast.py` checks equality against the loop).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenarios.typhoon.track import EARTH_RADIUS_KM
from scenarios.typhoon.windfield import (
    GRADIENT_TO_SURFACE,
    MAX_DIST_EYE_KM,
    RHO_AIR,
    VT_CAP_M_S,
    StormState,
    b_holland_1980,
    b_holland_2008,
    coriolis,
    norm2,
)


@dataclass(frozen=True)
class StateTable:
    """Per-state scalars of `wind_field`, one array entry per tick (NaN rows: no storm)."""

    active: np.ndarray  # the tick has a state (bounding box checked per cell)
    lat: np.ndarray
    lon: np.ndarray
    rad_lat: np.ndarray  # np.radians(state.lat)
    padl: np.ndarray  # longitude padding of StormTimeline.wind's bounding-box test
    vt_e: np.ndarray
    vt_n: np.ndarray
    vt: np.ndarray
    dp_pa: np.ndarray
    rmax_m: np.ndarray
    f: np.ndarray
    b: np.ndarray
    sign: np.ndarray
    decay: np.ndarray
    model: str


def state_table(states: list[StormState | None], model: str) -> StateTable:
    """The scalar part of `wind_field` for each state, as `wind_field` computes it."""
    if model not in ("H08", "H1980"):
        raise ValueError(f"model={model!r}; expected 'H08' or 'H1980'")
    n = len(states)
    cols = {k: np.full(n, np.nan) for k in StateTable.__dataclass_fields__}
    active = np.zeros(n, dtype=bool)
    pad = MAX_DIST_EYE_KM / 111.0
    for k, st in enumerate(states):
        if st is None:
            continue
        if not st.pc_hpa < st.penv_hpa:
            raise ValueError(f"pc_hpa={st.pc_hpa} must be < penv_hpa={st.penv_hpa}")
        if not st.rmax_km > 0:
            raise ValueError(f"rmax_km={st.rmax_km} must be > 0")
        active[k] = True
        vt_e, vt_n = st.vt_east_m_s, st.vt_north_m_s
        vt = float(np.hypot(vt_e, vt_n))
        if vt > VT_CAP_M_S:
            vt_e, vt_n, vt = vt_e * VT_CAP_M_S / vt, vt_n * VT_CAP_M_S / vt, VT_CAP_M_S
        dp_hpa = st.penv_hpa - st.pc_hpa
        if model == "H08":
            b = float(b_holland_2008(dp_hpa, st.dpc_dt_hpa_h, st.lat, vt)) * st.b_factor
        else:
            if not np.isfinite(st.vmax_1min_m_s):
                raise ValueError("model='H1980' needs a finite vmax_1min_m_s")
            b = float(b_holland_1980(max(0.0, st.vmax_1min_m_s - vt) / GRADIENT_TO_SURFACE, dp_hpa))
        row = {
            "lat": st.lat,
            "lon": st.lon,
            "rad_lat": np.radians(st.lat),
            "padl": pad / max(np.cos(np.radians(st.lat)), 0.1),
            "vt_e": vt_e,
            "vt_n": vt_n,
            "vt": vt,
            "dp_pa": dp_hpa * 100.0,
            "rmax_m": st.rmax_km * 1e3,
            "f": float(coriolis(st.lat)),
            "b": b,
            "sign": 1.0 if st.lat >= 0 else -1.0,
            "decay": st.decay,
        }
        for key, v in row.items():
            cols[key][k] = v
    cols["active"] = active
    cols["model"] = model
    return StateTable(**cols)


def point_series(tab: StateTable, lat: float, lon: float, max_dist_km: float = MAX_DIST_EYE_KM):
    """Surface 1-min wind speed (m/s) at one point for every state of `tab` (0 without a storm).

    Same arithmetic as `StormTimeline.wind` + `wind_field` (and `holland_1980_wind`) on a
    1 x 1 grid, with the states as the vector.
    """
    pad = MAX_DIST_EYE_KM / 111.0
    # StormTimeline.wind: states whose padded box misses the point give no field
    near = tab.active & ~(
        (tab.lat + pad < lat)
        | (tab.lat - pad > lat)
        | (tab.lon + tab.padl < lon)
        | (tab.lon - tab.padl > lon)
    )
    out = np.zeros(tab.lat.size)
    k = np.flatnonzero(near)
    if not k.size:
        return out
    lat_r = float(np.radians(np.array([[lat]]))[0, 0])
    rad_lat = tab.rad_lat[k]
    dy = lat_r - rad_lat
    dx = np.radians(lon - tab.lon[k]) * np.cos(0.5 * (lat_r + rad_lat))
    r = EARTH_RADIUS_KM * 1e3 * norm2(dx, dy)
    dx *= EARTH_RADIUS_KM * 1e3
    dy *= EARTH_RADIUS_KM * 1e3
    inside = (r <= max_dist_km * 1e3) & (r > 1.0)
    r_safe = np.where(inside, r, 1.0)
    rmax_m = tab.rmax_m[k]
    corr = np.fmin(1.0, rmax_m / r_safe)
    # holland_1980_wind (with Coriolis)
    rr = np.fmax(1.0, r_safe)
    rf2 = 0.5 * rr * tab.f[k]
    b = tab.b[k]
    x = (rmax_m / rr) ** b
    term = b / RHO_AIR * x * tab.dp_pa[k] * np.exp(-x) + rf2 * rf2
    v_ang = np.sqrt(np.fmax(0.0, term)) - rf2
    if tab.model == "H08":
        v_ang -= tab.vt[k] * corr
    else:
        v_ang *= GRADIENT_TO_SURFACE
    scale = tab.sign[k] * v_ang / r_safe
    decay = tab.decay[k]
    u = (-dy * scale + tab.vt_e[k] * corr) * decay
    v = (dx * scale + tab.vt_n[k] * corr) * decay
    u = np.where(inside, u, 0.0)
    v = np.where(inside, v, 0.0)
    out[k] = norm2(u, v)
    return out
