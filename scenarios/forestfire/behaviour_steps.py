"""The arithmetic steps of the per-cell fire behaviour, compiled (see ``FireSpread._behaviour``).

Evaluating the wind-dependent part of the Rothermel/Anderson chain for a set of cells
is about sixty numpy operations; for the few hundred cells a re-solve needs, their
fixed cost is most of the time. Here the arithmetic between the transcendental
functions runs as five compiled loops, while every transcendental function (cos, sin,
hypot, arctan2, power, exp) stays a numpy ufunc: numpy's exp, arctan2 and power can
differ from libm's in the last bit, and the fire must give the same numbers as
``rothermel._rothermel_kernel``. Additions, products, quotients, square roots and
comparisons are IEEE-exact in both, in the same order (no ``fastmath``), and the
``maximum``/``minimum`` steps keep numpy's NaN rule; tested bit for bit.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_DEG2RAD = math.pi / 180.0  # numpy's deg2rad and rad2deg multiply by these constants
_RAD2DEG = 180.0 / math.pi


@njit(cache=True, nogil=True, error_model="numpy")
def gather_wind_angle(
    packed: np.ndarray,
    idx: np.ndarray,
    wind_from: np.ndarray,
    per_cell_wind: bool,
    wind_rate_all: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The static rows of cells ``idx``, the wind angle to the aspect (rad) and the wind rate."""
    n = idx.size
    rows = np.empty((packed.shape[0], n))
    wrad = np.empty(n)
    wrate = np.empty(n)
    for i in range(n):
        c = idx[i]
        for r in range(packed.shape[0]):
            rows[r, i] = packed[r, c]
        wf = wind_from[c] if per_cell_wind else wind_from[0]
        wrad[i] = (wf - rows[0, i]) * _DEG2RAD  # Behave north-oriented mode
        wrate[i] = wind_rate_all[c]
    return rows, wrad, wrate


@njit(cache=True, nogil=True, error_model="numpy")
def wind_slope_vector(
    rows: np.ndarray, wrate: np.ndarray, cos_w: np.ndarray, sin_w: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Sum of the slope and wind rate vectors, along and across the upslope direction."""
    n = wrate.size
    x = np.empty(n)
    y = np.empty(n)
    for i in range(n):
        x[i] = rows[5, i] + wrate[i] * cos_w[i]
        y[i] = wrate[i] * sin_w[i]
    return x, y


@njit(cache=True, nogil=True, error_model="numpy")
def effective_wind_base(
    rows: np.ndarray, hyp: np.ndarray, ang: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Head rate, direction (deg from the aspect), effective wind factor and power operands."""
    n = hyp.size
    ros = np.empty(n)
    az = np.empty(n)
    phi_e = np.empty(n)
    base = np.empty(n)
    expo = np.empty(n)
    for i in range(n):
        r0 = rows[1, i]
        ros[i] = r0 + hyp[i]
        a = ang[i] * _RAD2DEG
        if a < -1e-20:
            a = a + 360.0
        if abs(a) < 0.5:
            a = 0.0
        az[i] = a
        p = ros[i] / r0 - 1.0 if r0 > 0 else 0.0
        phi_e[i] = p
        m = p if (p >= 0.0 or math.isnan(p)) else 0.0  # np.maximum(p, 0.0)
        base[i] = m * rows[6, i] / rows[3, i]
        expo[i] = 1.0 / rows[2, i]
    return ros, az, phi_e, base, expo


@njit(cache=True, nogil=True, error_model="numpy")
def effective_wind(
    rows: np.ndarray,
    ros: np.ndarray,
    phi_e: np.ndarray,
    power: np.ndarray,
    wind_limit: bool,
    limit_power: np.ndarray,
    ft_min_per_mph: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Effective wind speed (mph, as the exp operands of the length-to-width ratio); wind limit."""
    n = ros.size
    u = np.empty(n)
    a1 = np.empty(n)
    a2 = np.empty(n)
    for i in range(n):
        ue = power[i] if phi_e[i] > 0 else 0.0
        if wind_limit:
            lim = rows[10, i]
            r0 = rows[1, i]
            if ue > lim and r0 > 0:
                ue = lim
                ros[i] = r0 * (1.0 + rows[3, i] * limit_power[i] * rows[4, i])
        v = ue / ft_min_per_mph
        u[i] = v
        a1[i] = 0.1147 * v
        a2[i] = -0.0692 * v
    return u, a1, a2


@njit(cache=True, nogil=True, error_model="numpy")
def ellipse_and_intensity(
    rows: np.ndarray,
    ros: np.ndarray,
    az: np.ndarray,
    u: np.ndarray,
    e1: np.ndarray,
    e2: np.ndarray,
    m_per_ft: float,
    kw_m_per_btu_ft_s: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Head rate (m/min), eccentricity, direction of maximum spread (rad), head intensity (kW/m)."""
    n = ros.size
    ros_m = np.empty(n)
    ecc = np.empty(n)
    theta = np.empty(n)
    fli = np.empty(n)
    two_pi = 2 * np.pi
    for i in range(n):
        lw = 0.936 * e1[i] + 0.461 * e2[i] - 0.397
        if u[i] > 1.0e-7:
            if not (lw <= 8.0 or math.isnan(lw)):  # np.minimum(lw, 8.0)
                lw = 8.0
        else:
            lw = 1.0
        q = lw * lw - 1.0
        if not (q >= 0.0 or math.isnan(q)):  # np.maximum(q, 0.0)
            q = 0.0
        e = math.sqrt(q) / lw
        r = ros[i]
        a = az[i]
        ib = r * rows[7, i] * rows[8, i] / 60.0
        if not rows[9, i] > 0.5:  # not burnable
            r = 0.0
            e = 0.0
            a = 0.0
            ib = 0.0
        ros_m[i] = r * m_per_ft
        ecc[i] = e
        theta[i] = np.fmod((a + rows[0, i] + 180.0) * _DEG2RAD, two_pi)
        fli[i] = ib * kw_m_per_btu_ft_s
    return ros_m, ecc, theta, fli


@njit(cache=True, nogil=True, error_model="numpy")
def slowness_terms(
    cells: np.ndarray,
    ros: np.ndarray,
    ecc: np.ndarray,
    cos_t: np.ndarray,
    sin_t: np.ndarray,
    elevation: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``e cos th``, ``e sin th``, ``1 / (R (1 - e))`` and elevation of grid cells ``cells``."""
    n = cells.size
    ec = np.empty(n)
    es = np.empty(n)
    base = np.empty(n)
    z = np.empty(n)
    for i in range(n):
        c = cells[i]
        e = ecc[c]
        ec[i] = e * cos_t[i]
        es[i] = e * sin_t[i]
        base[i] = 1.0 / (ros[c] * (1.0 - e))
        z[i] = elevation[c]
    return ec, es, base, z
