"""Parametric typhoon surface wind field (Holland 1980/2008 as in CLIMADA) on lat/lon grids.

Model chain (CLIMADA ``trop_cyclone_windfields.py``, model ``"H08"`` default):
    1. Holland (1980) radial profile with Coriolis term, air density 1.15 kg/m^3;
       B from Holland (2008) ``b_s`` (surface, 1-min winds) clipped to 0.9^2 * [1, 2.5].
       ``"H1980"`` instead derives B from the reported wind at gradient level
       (``v_grad = max(0, v_max - v_t) / 0.9``) and multiplies the profile by 0.9 (Franklin 2003).
    2. Translation asymmetry: the storm motion vector (capped at 30 kt) is added with weight
       ``min(1, R_max / r)`` (Mouton & Nordbeck 2005); for H08 the same weighted speed is first
       subtracted from the azimuthal speed (b_s already contains motion).
    3. Cells farther than 300 km from the eye get 0 (CLIMADA ``DEF_MAX_DIST_EYE_KM``).
    4. Optional inland decay after landfall: Kaplan & DeMaria (1995) applied as a ratio to the
       whole field, plus an optional extra land-roughness factor (default 1: none).

Averaging periods: the wind produced is a **1-min sustained 10 m wind** (Holland 2008 b_s fit,
CLIMADA convention). CMA/GB/T 19201-2006 uses **2-min** means; this module treats 2-min as
equal to 1-min (factor 1.0, an assumption within a few per cent, not taken from a table). To
compare with 10-min (JMA/HKO) values use 0.93 x 1-min (Harper et al. 2010, WMO/TD-1555,
"at-sea" exposure). See :data:`TO_1MIN_FACTOR`.

Validity limits: symmetric parametric vortex + a kinematic motion asymmetry; no terrain,
coast or land-use friction beyond a single factor, no boundary-layer inflow angle (winds
are purely tangential + motion), no eyewall replacement or size change beyond the R_max
estimate (pressure-only piecewise fit, CLIMADA ``estimate_rmw``), decay model from Atlantic
landfalls. Intended for planning drills, not forecasts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenarios.typhoon.track import EARTH_RADIUS_KM, Track, interpolate_hourly, translation

RHO_AIR = 1.15  # kg/m^3, Holland (1980) / CLIMADA DEF_RHO_AIR
OMEGA_EARTH = 7.29e-5  # rad/s, CLIMADA V_ANG_EARTH
GRADIENT_TO_SURFACE = 0.9  # Franklin et al. (2003) 90 % rule, CLIMADA default
PENV_WP_HPA = 1005.0  # CLIMADA environmental pressure, western Pacific
MAX_DIST_EYE_KM = 300.0  # CLIMADA DEF_MAX_DIST_EYE_KM
INTENSITY_THRES_M_S = 17.5  # CLIMADA DEF_INTENSITY_THRES (swath values below -> 0)
KN_TO_M_S = 0.514444
VT_CAP_M_S = 30.0 * KN_TO_M_S  # CLIMADA _vtrans: translation capped at 30 kt
NM_TO_KM = 1.852
# Multiply a wind of the given averaging period (minutes) to get a 1-min sustained wind.
# 10-min: 1/0.93 (Harper et al. 2010, at-sea). 2-min: 1.0 (assumption, see module doc).
TO_1MIN_FACTOR = {1.0: 1.0, 2.0: 1.0, 10.0: 1.0 / 0.93}
# Kaplan & DeMaria (1995) inland decay constants (confirmed in GA TCRM windSpeedDecay.py).
KD_VB_KT = 26.7
KD_ALPHA_PER_H = 0.095
KD_R = 0.9


def norm2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Elementwise sqrt(a*a + b*b): the length of the vectors (a, b), as a new array.

    Four IEEE-754 operations (two squares, a sum, a square root), each correctly
    rounded, used instead of `np.hypot` for the wind field's distances and speeds.
    numpy's hypot calls the platform's libm once per element (glibc's takes ~17 ns
    here, so the field's two calls were half of its time on the world grid), and its
    last bit depends on that libm (glibc 2.35 replaced the algorithm); this form gives
    the same bits on every IEEE platform, within about 1 ulp of hypot. Without
    hypot's rescaling it would overflow above ~1e154: wind-field inputs are metres
    and m/s.
    """
    out, bb = np.multiply(a, a), np.multiply(b, b)
    if out.shape == np.broadcast_shapes(out.shape, bb.shape):
        out += bb  # the common case: b broadcasts onto a (a row or column of it)
    else:
        out = out + bb
    return np.sqrt(out, out=out)


def coriolis(lat_deg: np.ndarray | float) -> np.ndarray | float:
    """Coriolis parameter f = 2*Omega*sin|lat| (CLIMADA ``_coriolis_parameter``)."""
    return 2.0 * OMEGA_EARTH * np.sin(np.radians(np.abs(lat_deg)))


def holland_1980_wind(
    r_m: np.ndarray,
    rmax_m: float | np.ndarray,
    b: float | np.ndarray,
    dp_pa: float | np.ndarray,
    f: float | np.ndarray,
    rho: float = RHO_AIR,
    cyclostrophic: bool = False,
) -> np.ndarray:
    """Holland (1980) eq. 4+6 azimuthal wind (m/s), as CLIMADA ``_stat_holland_1980``.

    V(r) = sqrt((B/rho)(Rm/r)^B dp exp(-(Rm/r)^B) + (r f/2)^2) - r f/2; the Coriolis terms
    are dropped when ``cyclostrophic``. ``r`` is floored at 1 m like CLIMADA.
    """
    r = np.fmax(1.0, r_m)
    rf2 = 0.0 if cyclostrophic else 0.5 * r * f
    x = (rmax_m / r) ** b
    term = b / rho * x * dp_pa * np.exp(-x) + rf2 * rf2
    return np.sqrt(np.fmax(0.0, term)) - rf2


def b_holland_1980(
    v_m_s: np.ndarray | float,
    dp_hpa: np.ndarray | float,
    rho: float = RHO_AIR,
    gradient_to_surface: float | None = None,
) -> np.ndarray:
    """Holland (1980) B = rho e V^2 / dp, clipped to [1, 2.5] (CLIMADA ``_B_holland_1980``).

    If ``gradient_to_surface`` is given (``v`` are surface winds) the clip interval is scaled
    by its square, as CLIMADA does.
    """
    lo, hi = _b_clip(gradient_to_surface)
    b = np.asarray(v_m_s, float) ** 2 * np.e * rho / (np.asarray(dp_hpa, float) * 100.0)
    return np.clip(b, lo, hi)


def _b_clip(gradient_to_surface: float | None) -> tuple[float, float]:
    fact = 1.0 if gradient_to_surface is None else gradient_to_surface**2
    return 1.0 * fact, 2.5 * fact


def b_holland_2008(
    dp_hpa: np.ndarray | float,
    dpc_dt_hpa_h: np.ndarray | float,
    lat_deg: np.ndarray | float,
    vt_m_s: np.ndarray | float,
    gradient_to_surface: float = GRADIENT_TO_SURFACE,
) -> np.ndarray:
    """Holland (2008) eq. 11 surface b_s, clipped to 0.9^2*[1, 2.5] (CLIMADA ``_bs_holland_2008``).

    b_s = -4.4e-5 dp^2 + 0.01 dp + 0.03 dpc/dt - 0.014|lat| + 0.15 v_t^x + 1,
    x = 0.6 (1 - dp/215), dp in hPa, dpc/dt in hPa/h, v_t in m/s.
    """
    dp = np.asarray(dp_hpa, float)
    x = 0.6 * (1.0 - dp / 215.0)
    bs = (
        -4.4e-5 * dp**2
        + 0.01 * dp
        + 0.03 * np.asarray(dpc_dt_hpa_h, float)
        - 0.014 * np.abs(np.asarray(lat_deg, float))
        + 0.15 * np.asarray(vt_m_s, float) ** x
        + 1.0
    )
    return np.clip(bs, *_b_clip(gradient_to_surface))


def vmax_holland_2008(
    b_s: np.ndarray | float, dp_hpa: np.ndarray | float, rho: float = RHO_AIR
) -> np.ndarray:
    """Holland (2008) 1-min surface maximum wind v_ms = sqrt(b_s dp / (rho e)) (m/s)."""
    return np.sqrt(np.asarray(b_s, float) * np.asarray(dp_hpa, float) * 100.0 / (rho * np.e))


def estimate_rmax_km(pc_hpa: np.ndarray | float) -> np.ndarray:
    """Radius of maximum wind from central pressure (CLIMADA ``estimate_rmw``, r^2 = 0.79).

    Piecewise linear in nautical miles through (872, 14.907), (940, 15.727), (980, 25.742),
    (1021, 56.857), constant outside; returned in km.
    """
    pc = np.asarray(pc_hpa, float)
    if np.any(~np.isfinite(pc)):
        raise ValueError("pc_hpa must be finite to estimate R_max")
    nm = np.interp(pc, [872.0, 940.0, 980.0, 1021.0], [14.907318, 15.726927, 25.742142, 56.856522])
    return nm * NM_TO_KM


def kaplan_demaria_decay(
    v0_m_s: np.ndarray | float,
    t_h: np.ndarray | float,
    vb_kt: float = KD_VB_KT,
    alpha_per_h: float = KD_ALPHA_PER_H,
    r: float = KD_R,
) -> np.ndarray:
    """Kaplan & DeMaria (1995) inland wind V(t) = V_b + (R V0 - V_b) exp(-alpha t) (m/s).

    ``t_h`` is hours since landfall; for t <= 0 the landfall wind ``v0`` is returned. The
    result never exceeds ``v0`` (the formula would otherwise raise weak storms to V_b).
    """
    v0 = np.asarray(v0_m_s, float)
    t = np.asarray(t_h, float)
    vb = vb_kt * KN_TO_M_S
    v = vb + (r * v0 - vb) * np.exp(-alpha_per_h * np.fmax(t, 0.0))
    return np.where(t > 0, np.fmin(v, v0), v0)


def calc_holland(
    pc_hpa: float, penv_hpa: float, lat: float, rmax_km: float, b: float, r_km: float
) -> dict:
    """Holland (1980) gradient wind at one radius (CLI ``jmsim calc holland``).

    Uses rho = 1.15 kg/m^3 and f = 2*7.29e-5*sin|lat| (CLIMADA ``_stat_holland_1980``).

    Returns:
        dict with ``gradient_wind_m_s`` (with Coriolis), ``cyclostrophic_wind_m_s``,
        ``coriolis_f_per_s``, ``dp_hpa`` and the model/source string.
    """
    checks = {
        "pc_hpa": (850.0 <= pc_hpa <= 1050.0, "850..1050 hPa"),
        "penv_hpa": (pc_hpa < penv_hpa <= 1050.0, f"> pc_hpa ({pc_hpa}) and <= 1050 hPa"),
        "lat": (-90.0 <= lat <= 90.0, "-90..90 deg"),
        "rmax_km": (0.0 < rmax_km <= 500.0, "0 < rmax_km <= 500"),
        "b": (0.5 <= b <= 3.0, "0.5..3.0"),
        "r_km": (0.0 < r_km <= 5000.0, "0 < r_km <= 5000"),
    }
    values = {"pc_hpa": pc_hpa, "penv_hpa": penv_hpa, "lat": lat, "rmax_km": rmax_km}
    values |= {"b": b, "r_km": r_km}
    for name, (ok, expected) in checks.items():
        if not (np.isfinite(values[name]) and ok):
            raise ValueError(f"{name}={values[name]!r} invalid; expected {expected}")
    f = float(coriolis(lat))
    dp_pa = (penv_hpa - pc_hpa) * 100.0
    args = (r_km * 1e3, rmax_km * 1e3, b, dp_pa, f)
    return {
        "gradient_wind_m_s": float(holland_1980_wind(*args)),
        "cyclostrophic_wind_m_s": float(holland_1980_wind(*args, cyclostrophic=True)),
        "coriolis_f_per_s": f,
        "dp_hpa": penv_hpa - pc_hpa,
        "rho_air_kg_m3": RHO_AIR,
        "model": "Holland (1980) gradient wind with Coriolis (CLIMADA _stat_holland_1980)",
    }


@dataclass(frozen=True)
class StormState:
    """Storm parameters at one instant (inputs of one wind-field tick).

    ``vmax_1min_m_s`` is only used by the ``"H1980"`` model; ``decay`` multiplies the field.
    """

    lat: float
    lon: float
    pc_hpa: float
    rmax_km: float
    vt_east_m_s: float = 0.0
    vt_north_m_s: float = 0.0
    dpc_dt_hpa_h: float = 0.0
    vmax_1min_m_s: float = float("nan")
    penv_hpa: float = PENV_WP_HPA
    decay: float = 1.0
    b_factor: float = 1.0  # multiplies Holland (2008) b_s (uncertainty; 1 = the published fit)


@dataclass(frozen=True)
class WindField:
    """Surface 1-min wind on the grid: speed and east/north components (m/s)."""

    speed: np.ndarray
    u: np.ndarray
    v: np.ndarray


def _check_state(state: StormState, model: str) -> None:
    if model not in ("H08", "H1980"):
        raise ValueError(f"model={model!r}; expected 'H08' or 'H1980'")
    if not state.pc_hpa < state.penv_hpa:
        raise ValueError(f"pc_hpa={state.pc_hpa} must be < penv_hpa={state.penv_hpa}")
    if not state.rmax_km > 0:
        raise ValueError(f"rmax_km={state.rmax_km} must be > 0")


def wind_field(
    state: StormState,
    lat2d: np.ndarray,
    lon2d: np.ndarray,
    model: str = "H08",
    cyclostrophic: bool = False,
    max_dist_km: float = MAX_DIST_EYE_KM,
) -> WindField:
    """Vectorised surface wind for one storm state on a lat/lon grid (CLIMADA H08/H1980).

    Distances use the equirectangular approximation (CLIMADA ``metric="equirect"``).
    Cells beyond ``max_dist_km`` or within 1 m of the eye are 0.
    """
    _check_state(state, model)
    lat_r = np.radians(lat2d)
    dlon_r = np.radians(lon2d - state.lon)
    return _holland_field(state, lat_r, dlon_r, model, cyclostrophic, max_dist_km)


def _holland_field(
    state: StormState,
    lat_r: np.ndarray,
    dlon_r: np.ndarray,
    model: str,
    cyclostrophic: bool,
    max_dist_km: float,
) -> WindField:
    """The H08/H1980 field of `wind_field` (Holland 1980/2008, CLIMADA) at given cells.

    Cells are given by latitude (rad) and longitude offset from the eye (rad), arrays
    broadcastable to one shape. Shared by `wind_field` (2-D arrays) and `GridWind` (a
    column of latitudes and a row of longitude offsets).

    Evaluated in place, with no more temporaries than needed, but with the same IEEE
    operations per cell as the textbook form (`holland_1980_wind`, then the translation
    terms): only commutative swaps (a * b for b * a), multiplications by exactly 1 left
    out, and the quotient R_max / r shared by the profile and the asymmetry weight. The
    result is bit-identical (tests/typhoon/test_ty_gridwind.py).
    """
    m_per_rad = EARTH_RADIUS_KM * 1e3
    slat_r = np.radians(state.lat)
    dy = lat_r - slat_r
    dx = dlon_r * np.cos(0.5 * (lat_r + slat_r))
    r = norm2(dx, dy)  # dy may stay a column of latitudes: broadcasting, same per-cell values
    r *= m_per_rad
    dx *= m_per_rad
    dy *= m_per_rad
    inside = r <= max_dist_km * 1e3
    inside &= r > 1.0
    everywhere = bool(inside.all())
    r_safe = r if everywhere else np.where(inside, r, 1.0)  # >= 1 m: holland's floor is a no-op

    vt_e, vt_n = state.vt_east_m_s, state.vt_north_m_s
    vt = float(np.hypot(vt_e, vt_n))
    if vt > VT_CAP_M_S:
        vt_e, vt_n, vt = vt_e * VT_CAP_M_S / vt, vt_n * VT_CAP_M_S / vt, VT_CAP_M_S
    dp_hpa = state.penv_hpa - state.pc_hpa
    rmax_m = state.rmax_km * 1e3
    f = float(coriolis(state.lat))
    ratio = rmax_m / r_safe
    if model == "H08":
        b = float(b_holland_2008(dp_hpa, state.dpc_dt_hpa_h, state.lat, vt)) * state.b_factor
        if cyclostrophic:
            v_ang = holland_1980_wind(r_safe, rmax_m, b, dp_hpa * 100.0, f, cyclostrophic=True)
        else:
            v_ang = _holland_in_place(r_safe, ratio, b, dp_hpa * 100.0, f)
        corr = np.minimum(ratio, 1.0, out=ratio)  # = fmin: never NaN
        tmp = np.multiply(corr, vt)
        v_ang -= tmp
    else:
        if not np.isfinite(state.vmax_1min_m_s):
            raise ValueError("model='H1980' needs a finite vmax_1min_m_s")
        v_grad = max(0.0, state.vmax_1min_m_s - vt) / GRADIENT_TO_SURFACE
        b = float(b_holland_1980(v_grad, dp_hpa))
        v_ang = holland_1980_wind(r_safe, rmax_m, b, dp_hpa * 100.0, f, cyclostrophic=cyclostrophic)
        v_ang *= GRADIENT_TO_SURFACE
        corr = np.minimum(ratio, 1.0, out=ratio)  # = fmin: never NaN
        tmp = np.empty_like(corr)
    if state.lat < 0:  # cyclonic: counter-clockwise in the NH
        np.negative(v_ang, out=v_ang)
    scale = v_ang
    scale /= r_safe
    u = -dy * scale
    u += np.multiply(corr, vt_e, out=tmp)
    v = dx
    v *= scale
    v += np.multiply(corr, vt_n, out=tmp)
    if state.decay != 1.0:
        u *= state.decay
        v *= state.decay
    if not everywhere:
        u[~inside] = 0.0
        v[~inside] = 0.0
    return WindField(speed=norm2(u, v), u=u, v=v)


def _holland_in_place(
    r: np.ndarray, ratio: np.ndarray, b: float, dp_pa: float, f: float
) -> np.ndarray:
    """`holland_1980_wind` (Holland 1980, with Coriolis) for r >= 1 m given R_max / r, dp > 0.

    Same operations per cell as `holland_1980_wind`, with fewer temporaries.
    """
    rf2 = r * 0.5
    rf2 *= f
    x = np.power(ratio, b)
    ex = np.negative(x)
    np.exp(ex, out=ex)
    x *= b / RHO_AIR
    x *= dp_pa
    x *= ex
    np.multiply(rf2, rf2, out=ex)
    x += ex
    if not b > 0:  # with b > 0 (and dp > 0, f >= 0) the sum is >= +0 and the floor a no-op
        np.fmax(0.0, x, out=x)
    np.sqrt(x, out=x)
    x -= rf2
    return x


class GridWind:
    """`wind_field` on one regular lat/lon grid, with the grid's own work done once.

    A world grid is `np.meshgrid(lon, lat)`, so the latitude terms of the distance to
    the eye depend on the row only and the longitude offset on the column only: they
    are taken per row and per column (the cosine of the equirectangular metric 198
    times a tick, not 36,828). Rows and columns that lie wholly beyond ``max_dist_km``
    are not evaluated (they are 0, as in `wind_field`): a row is out when its north-south
    distance alone exceeds the radius, a column when its east-west distance at the
    nearest evaluated row does (hypot(dx, dy) >= max(|dx|, |dy|), and rounding is
    monotone, so this never drops a cell `wind_field` would keep). Every kept cell gets
    the same floating-point operations as in `wind_field`, so the field is bit-identical
    (tests/typhoon/test_ty_gridwind.py).

    An optional per-cell ``factor`` (the land roughness factor of the hazard) multiplies
    speed and components, as ``wf.speed * factor`` would.
    """

    def __init__(
        self,
        lat: np.ndarray,
        lon: np.ndarray,
        model: str = "H08",
        max_dist_km: float = MAX_DIST_EYE_KM,
        factor: np.ndarray | None = None,
    ) -> None:
        self.lat = np.asarray(lat, float)
        self.lon = np.asarray(lon, float)
        if self.lat.ndim != 1 or self.lon.ndim != 1:
            raise ValueError("GridWind needs 1-D lat (rows) and lon (columns)")
        self.shape = (self.lat.size, self.lon.size)
        if factor is not None and np.shape(factor) != self.shape:
            raise ValueError(f"factor has shape {np.shape(factor)}, expected {self.shape}")
        self.model = model
        self.max_dist_km = float(max_dist_km)
        self.lat_r = np.radians(self.lat)
        self.factor = None if factor is None else np.asarray(factor, float)
        self.bounds = (self.lat.min(), self.lat.max(), self.lon.min(), self.lon.max())

    def window(self, state: StormState) -> tuple[slice, slice] | None:
        """Rows and columns that may hold cells within ``max_dist_km`` of the eye."""
        scale = EARTH_RADIUS_KM * 1e3
        limit = self.max_dist_km * 1e3 * (1.0 + 1e-9)  # a margin: keeping extra cells is harmless
        slat_r = np.radians(state.lat)
        rows = np.flatnonzero(scale * np.abs(self.lat_r - slat_r) <= limit)
        if not rows.size:
            return None
        r0, r1 = int(rows[0]), int(rows[-1]) + 1
        c_min = np.cos(0.5 * (self.lat_r[r0:r1] + slat_r)).min()
        cols = np.flatnonzero(scale * (np.abs(np.radians(self.lon - state.lon)) * c_min) <= limit)
        if not cols.size:
            return None
        return slice(r0, r1), slice(int(cols[0]), int(cols[-1]) + 1)

    def __call__(self, state: StormState, cyclostrophic: bool = False) -> WindField:
        """The wind field of `state` on the grid (times ``factor``, if given)."""
        _check_state(state, self.model)
        win = self.window(state)
        if win is None:
            return WindField(*(np.zeros(self.shape) for _ in range(3)))
        rs, cs = win
        lat_r = self.lat_r[rs, None]
        dlon_r = np.radians(self.lon[cs] - state.lon)[None, :]
        wf = _holland_field(state, lat_r, dlon_r, self.model, cyclostrophic, self.max_dist_km)
        fields = (wf.speed, wf.u, wf.v)
        if wf.speed.shape == self.shape:  # the whole grid: scale in place
            if self.factor is not None:
                for a in fields:
                    a *= self.factor
            return wf
        out = tuple(np.zeros(self.shape) for _ in range(3))
        for a, o in zip(fields, out, strict=True):
            if self.factor is None:
                o[rs, cs] = a
            else:
                np.multiply(a, self.factor[rs, cs], out=o[rs, cs])
        return WindField(*out)


def track_states(
    track: Track,
    landfall_hours: np.ndarray | None = None,
    inland_decay: bool = True,
) -> list[StormState]:
    """Per-fix :class:`StormState` list (translation, dp/dt, R_max estimate, KD decay).

    Args:
        track: Track (usually hourly).
        landfall_hours: Hours since landfall per fix; default from ``track.landfall_time``.
        inland_decay: Apply Kaplan & DeMaria (1995) after landfall.
    """
    _, _, ve, vn = translation(track)
    h = track.hours
    dpdt = np.zeros(len(h))
    dpdt[1:] = np.diff(track.pc_hpa) / np.diff(h)
    rmax = np.where(
        np.isfinite(track.rmax_km), track.rmax_km, estimate_rmax_km(np.nan_to_num(track.pc_hpa))
    )
    v1 = track.vmax_m_s * TO_1MIN_FACTOR.get(float(track.vmax_avg_min), 1.0)
    t_lf = track.hours_since_landfall() if landfall_hours is None else landfall_hours
    decay = np.ones(len(h))
    if inland_decay and np.isfinite(t_lf).any():
        after = np.isfinite(t_lf) & (t_lf > 0)
        i_lf = int(np.nanargmin(np.abs(np.where(np.isfinite(t_lf), t_lf, np.inf))))
        v0 = (
            v1[i_lf]
            if np.isfinite(v1[i_lf])
            else float(
                vmax_holland_2008(
                    b_holland_2008(track.penv_hpa - track.pc_hpa[i_lf], 0.0, track.lat[i_lf], 0.0),
                    track.penv_hpa - track.pc_hpa[i_lf],
                )
            )
        )
        decay[after] = kaplan_demaria_decay(v0, t_lf[after]) / v0
    return [
        StormState(
            lat=float(track.lat[i]),
            lon=float(track.lon[i]),
            pc_hpa=float(track.pc_hpa[i]),
            rmax_km=float(rmax[i]),
            vt_east_m_s=float(ve[i]),
            vt_north_m_s=float(vn[i]),
            dpc_dt_hpa_h=float(dpdt[i]),
            vmax_1min_m_s=float(v1[i]),
            penv_hpa=track.penv_hpa,
            decay=float(decay[i]),
        )
        for i in range(len(h))
    ]


def _landfall_hours_from_mask(
    track: Track, lat2d: np.ndarray, lon2d: np.ndarray, land_mask: np.ndarray
) -> np.ndarray:
    """Hours since the eye first sits over a land cell of the grid (NaN if never)."""
    lat_min, lat_max = lat2d.min(), lat2d.max()
    lon_min, lon_max = lon2d.min(), lon2d.max()
    over = np.zeros(len(track.time), bool)
    for i, (la, lo) in enumerate(zip(track.lat, track.lon, strict=True)):
        if lat_min <= la <= lat_max and lon_min <= lo <= lon_max:
            k = np.argmin((lat2d - la) ** 2 + ((lon2d - lo) * np.cos(np.radians(la))) ** 2)
            over[i] = bool(land_mask.ravel()[k])
    if not over.any():
        return np.full(len(track.time), np.nan)
    h = track.hours
    return h - h[np.argmax(over)]


def peak_swath(
    track: Track,
    lat2d: np.ndarray,
    lon2d: np.ndarray,
    land_mask: np.ndarray,
    model: str = "H08",
    step_h: float = 1.0,
    inland_decay: bool = True,
    land_factor: float = 1.0,
    intensity_thres: float = INTENSITY_THRES_M_S,
) -> np.ndarray:
    """Maximum 1-min surface wind (m/s) per cell over all ``step_h`` steps of the track.

    Landfall time is ``track.landfall_time`` if set, else the first step whose eye lies on a
    land cell of ``land_mask``. Land cells are multiplied by ``land_factor`` (default 1: no
    extra friction). Values below ``intensity_thres`` are set to 0 (CLIMADA 17.5 m/s).
    """
    lat2d, lon2d, land_mask = np.asarray(lat2d), np.asarray(lon2d), np.asarray(land_mask, bool)
    if not (lat2d.shape == lon2d.shape == land_mask.shape):
        raise ValueError(
            f"lat2d {lat2d.shape}, lon2d {lon2d.shape}, land_mask {land_mask.shape} must match"
        )
    if not 0.0 < land_factor <= 1.0:
        raise ValueError(f"land_factor={land_factor}; expected 0 < land_factor <= 1")
    hourly = interpolate_hourly(track, step_h)
    lf = None
    if hourly.landfall_time is None:
        lf = _landfall_hours_from_mask(hourly, lat2d, lon2d, land_mask)
    states = track_states(hourly, landfall_hours=lf, inland_decay=inland_decay)
    peak = np.zeros(lat2d.shape)
    pad_lat = MAX_DIST_EYE_KM / 111.0
    for s in states:
        pad_lon = pad_lat / max(np.cos(np.radians(s.lat)), 0.1)
        if (
            s.lat + pad_lat < lat2d.min()
            or s.lat - pad_lat > lat2d.max()
            or s.lon + pad_lon < lon2d.min()
            or s.lon - pad_lon > lon2d.max()
        ):
            continue
        np.fmax(peak, wind_field(s, lat2d, lon2d, model=model).speed, out=peak)
    peak = np.where(land_mask, peak * land_factor, peak)
    peak[peak < intensity_thres] = 0.0
    return peak
