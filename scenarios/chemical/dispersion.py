"""Gaussian plume and puff dispersion for passive (neutrally buoyant) gas.

A Gaussian plume is the time-averaged smoke trail from a steady chimney: it
widens downwind as sigma_y (crosswind) and sigma_z (vertical) grow with
distance. A puff is one "cloudlet" of an instantaneous release; a drifting cloud
is modelled as many puffs, each advected by the (possibly changing) wind and
spreading according to its own travel distance.

Sources:
    * Briggs (1973) rural/urban plume sigmas as tabulated in AIChE/CCPS (1999)
      *Guidelines for Consequence Analysis of Chemical Releases*; coefficients
      follow GasDispersion.jl ``src/utils/equation_sets/briggs.jl`` and its
      tests ``test/utils/ccps_tests.jl``.
    * Pasquill-Gifford plume sigmas of the CCPS worked example (CCPS 1999 p.97):
      sigma_y from Spicer & Havens (1989, DEGADIS 2.1 user's guide),
      sigma_z from Seinfeld (1986); GasDispersion.jl ``pasquill_gifford.jl``.
    * Puff sigmas (sigma_x = sigma_y) from Slade (1968) as given in CCPS (1999);
      GasDispersion.jl ``ccps.jl``.
    * Plume / puff equations with ground reflection: CCPS (1999) ch.2.

Validity limits:
    * Flat, unobstructed terrain; uniform wind; no deposition or reaction.
    * Steady-state plume (release longer than travel time); passive gas only
      (use :mod:`scenarios.chemical.heavy_gas` for denser-than-air releases).
    * Sigma fits are calibrated for roughly 100 m - 10 km; values closer or
      farther are extrapolations.
    * Wind below about 1 m/s (ALOHA: below 3 mph) makes the plume model
      unreliable (meander dominates); stable classes E/F are less reliable.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scenarios.chemical.stability import validate_class

FloatArray = NDArray[np.float64]

# Briggs (1973) sigma = a * x * (1 + b x) ** p  (CCPS 1999; GasDispersion briggs.jl)
_BRIGGS_RURAL_Y = {
    s: (a, 1e-4, -0.5) for s, a in zip("ABCDEF", (0.22, 0.16, 0.11, 0.08, 0.06, 0.04), strict=True)
}
_BRIGGS_RURAL_Z = {
    "A": (0.20, 0.0, 0.0),
    "B": (0.12, 0.0, 0.0),
    "C": (0.08, 2e-4, -0.5),
    "D": (0.06, 1.5e-3, -0.5),
    "E": (0.03, 3e-4, -1.0),
    "F": (0.016, 3e-4, -1.0),
}
_BRIGGS_URBAN_Y = {
    s: (a, 4e-4, -0.5) for s, a in zip("ABCDEF", (0.32, 0.32, 0.22, 0.16, 0.11, 0.11), strict=True)
}
_BRIGGS_URBAN_Z = {
    "A": (0.24, 1e-3, 0.5),
    "B": (0.24, 1e-3, 0.5),
    "C": (0.20, 0.0, 0.0),
    "D": (0.14, 3e-4, -0.5),
    "E": (0.08, 1.5e-3, -0.5),
    "F": (0.08, 1.5e-3, -0.5),
}
# CCPS / Slade (1968) puff sigmas: sigma = delta * x ** beta
_PUFF_Y = {
    "A": (0.18, 0.92),
    "B": (0.14, 0.92),
    "C": (0.10, 0.92),
    "D": (0.06, 0.92),
    "E": (0.04, 0.92),
    "F": (0.02, 0.89),
}
_PUFF_Z = {
    "A": (0.60, 0.75),
    "B": (0.53, 0.73),
    "C": (0.34, 0.71),
    "D": (0.15, 0.70),
    "E": (0.10, 0.65),
    "F": (0.05, 0.61),
}
# Spicer & Havens plume sigma_y = delta * (max(t_avg, t_a)/600)^0.2 * x^0.9
_PG_PLUME_Y = {
    "A": (0.423, 18.4),
    "B": (0.313, 18.4),
    "C": (0.210, 18.4),
    "D": (0.136, 18.3),
    "E": (0.102, 11.4),
    "F": (0.0674, 4.6),
}
# Seinfeld plume sigma_z = delta * x^beta * exp(gamma * ln(x)^2)
_PG_PLUME_Z = {
    "A": (107.7, -1.7172, 0.2770),
    "B": (0.1355, 0.8752, 0.0136),
    "C": (0.09623, 0.9477, -0.0020),
    "D": (0.04134, 1.1737, -0.0316),
    "E": (0.02275, 1.3010, -0.0450),
    "F": (0.01122, 1.4024, -0.0540),
}

#: Minimum distance used inside sigma formulas to avoid 0/0 at the source, m.
X_MIN_M = 1.0


def _x(x: ArrayLike) -> FloatArray:
    arr = np.asarray(x, dtype=float)
    if np.any(~np.isfinite(arr)):
        raise ValueError("x_m contains non-finite values; expected finite distances in metres")
    return arr


def _briggs(x: ArrayLike, coeffs: tuple[float, float, float]) -> FloatArray:
    a, b, p = coeffs
    xx = np.maximum(_x(x), 0.0)
    return a * xx * (1.0 + b * xx) ** p


def briggs_sigma_y(x_m: ArrayLike, stability: str, urban: bool = False) -> FloatArray:
    """Briggs (1973) plume crosswind sigma_y, m (CCPS 1999 table; GasDispersion briggs.jl)."""
    s = validate_class(stability)
    return _briggs(x_m, (_BRIGGS_URBAN_Y if urban else _BRIGGS_RURAL_Y)[s])


def briggs_sigma_z(x_m: ArrayLike, stability: str, urban: bool = False) -> FloatArray:
    """Briggs (1973) plume vertical sigma_z, m (CCPS 1999 table; GasDispersion briggs.jl)."""
    s = validate_class(stability)
    return _briggs(x_m, (_BRIGGS_URBAN_Z if urban else _BRIGGS_RURAL_Z)[s])


def pg_plume_sigma_y(x_m: ArrayLike, stability: str, avg_time_s: float = 600.0) -> FloatArray:
    """Pasquill-Gifford plume sigma_y after Spicer & Havens (1989), m.

    sigma_y = delta * (max(t_avg, t_a)/600)^0.2 * x^0.9, as used in the CCPS
    (1999) p.97 worked example (GasDispersion.jl pasquill_gifford.jl).
    """
    s = validate_class(stability)
    if avg_time_s <= 0:
        raise ValueError(f"avg_time_s={avg_time_s!r}: expected > 0")
    delta, ta = _PG_PLUME_Y[s]
    delta = delta * (max(avg_time_s, ta) / 600.0) ** 0.2
    return delta * np.maximum(_x(x_m), 0.0) ** 0.9


def pg_plume_sigma_z(x_m: ArrayLike, stability: str) -> FloatArray:
    """Pasquill-Gifford plume sigma_z after Seinfeld (1986), m.

    sigma_z = delta * x^beta * exp(gamma * ln(x)^2) (GasDispersion.jl
    pasquill_gifford.jl); x is clipped to >= 1 m to keep ln(x) >= 0.
    """
    s = validate_class(stability)
    delta, beta, gamma = _PG_PLUME_Z[s]
    xx = np.maximum(_x(x_m), X_MIN_M)
    return delta * xx**beta * np.exp(gamma * np.log(xx) ** 2)


def puff_sigma_y(travel_m: ArrayLike, stability: str) -> FloatArray:
    """CCPS/Slade (1968) puff sigma_y (= sigma_x), m, from travel distance."""
    s = validate_class(stability)
    d, b = _PUFF_Y[s]
    return d * np.maximum(_x(travel_m), 0.0) ** b


def puff_sigma_z(travel_m: ArrayLike, stability: str) -> FloatArray:
    """CCPS/Slade (1968) puff sigma_z, m, from travel distance."""
    s = validate_class(stability)
    d, b = _PUFF_Z[s]
    return d * np.maximum(_x(travel_m), 0.0) ** b


def _reflection(z: ArrayLike, h: float, sz: ArrayLike) -> FloatArray:
    """Vertical term with ground reflection: exp(-(z-h)^2/2sz^2) + exp(-(z+h)^2/2sz^2)."""
    z = np.asarray(z, dtype=float)
    sz = np.asarray(sz, dtype=float)
    return np.exp(-((z - h) ** 2) / (2 * sz**2)) + np.exp(-((z + h) ** 2) / (2 * sz**2))


def gaussian_plume(
    rate_kg_s: float,
    wind_m_s: float,
    sigma_y: ArrayLike,
    sigma_z: ArrayLike,
    y_m: ArrayLike = 0.0,
    z_m: ArrayLike = 0.0,
    source_height_m: float = 0.0,
) -> FloatArray:
    """Steady Gaussian plume with ground reflection, kg/m3 (CCPS 1999 eq. 2.1.x).

    C = Q / (2 pi u sy sz) * exp(-y^2/2sy^2) * [exp(-(z-H)^2/2sz^2) + exp(-(z+H)^2/2sz^2)].
    Zero where sigma is zero (at or upwind of the source).
    """
    _check_positive(wind_m_s=wind_m_s)
    _check_nonneg(rate_kg_s=rate_kg_s, source_height_m=source_height_m)
    sy = np.asarray(sigma_y, dtype=float)
    sz = np.asarray(sigma_z, dtype=float)
    y = np.asarray(y_m, dtype=float)
    ok = (sy > 0) & (sz > 0)
    sy_s = np.where(ok, sy, 1.0)
    sz_s = np.where(ok, sz, 1.0)
    c = (
        rate_kg_s
        / (2 * np.pi * wind_m_s * sy_s * sz_s)
        * np.exp(-(y**2) / (2 * sy_s**2))
        * _reflection(z_m, source_height_m, sz_s)
    )
    return np.where(ok, c, 0.0)


def plume_concentration(
    rate_kg_s: float,
    wind_m_s: float,
    stability: str,
    x_m: ArrayLike,
    y_m: ArrayLike = 0.0,
    z_m: ArrayLike = 0.0,
    source_height_m: float = 0.0,
    urban: bool = False,
) -> FloatArray:
    """Gaussian plume with Briggs sigmas at receptor points (wind-aligned frame), kg/m3.

    x is downwind distance (<= 0 gives 0), y crosswind, z height; all arrays
    broadcast together.
    """
    x = _x(x_m)
    sy = briggs_sigma_y(x, stability, urban)
    sz = briggs_sigma_z(x, stability, urban)
    c = gaussian_plume(rate_kg_s, wind_m_s, sy, sz, y_m, z_m, source_height_m)
    return np.where(x > 0, c, 0.0)


def gaussian_puff(
    mass_kg: ArrayLike,
    sigma_x: ArrayLike,
    sigma_y: ArrayLike,
    sigma_z: ArrayLike,
    dx_m: ArrayLike,
    dy_m: ArrayLike,
    z_m: ArrayLike = 0.0,
    source_height_m: float = 0.0,
) -> FloatArray:
    """Gaussian puff with ground reflection, kg/m3 (CCPS 1999 puff equation).

    C = M / ((2 pi)^1.5 sx sy sz) exp(-dx^2/2sx^2) exp(-dy^2/2sy^2) * reflection(z, H),
    where (dx, dy) is the receptor offset from the puff centre.
    """
    m = np.asarray(mass_kg, dtype=float)
    sx = np.asarray(sigma_x, dtype=float)
    sy = np.asarray(sigma_y, dtype=float)
    sz = np.asarray(sigma_z, dtype=float)
    ok = (sx > 0) & (sy > 0) & (sz > 0)
    sx, sy, sz = (np.where(ok, s, 1.0) for s in (sx, sy, sz))
    c = (
        m
        / ((2 * np.pi) ** 1.5 * sx * sy * sz)
        * np.exp(-(np.asarray(dx_m) ** 2) / (2 * sx**2))
        * np.exp(-(np.asarray(dy_m) ** 2) / (2 * sy**2))
        * _reflection(z_m, source_height_m, sz)
    )
    return np.where(ok, c, 0.0)


def wind_vector(speed_m_s: float, from_deg: float) -> tuple[float, float]:
    """(u_east, v_north) of a wind blowing *from* ``from_deg`` (meteorological)."""
    th = math.radians(from_deg)
    return -speed_m_s * math.sin(th), -speed_m_s * math.cos(th)


def puff_field(
    grid_x: ArrayLike,
    grid_y: ArrayLike,
    puff_x: ArrayLike,
    puff_y: ArrayLike,
    puff_mass_kg: ArrayLike,
    puff_travel_m: ArrayLike,
    stability: str,
    z_m: float = 0.0,
    source_height_m: float = 0.0,
    min_travel_m: float = 1.0,
) -> FloatArray:
    """Concentration field (ny, nx) in kg/m3 from N CCPS puffs on a regular grid.

    Because CCPS puffs are horizontally isotropic (sigma_x = sigma_y), each puff
    is separable in the grid axes: C = sum_k A_k gy_k(y) gx_k(x). The whole field
    is therefore one (ny, N) @ (N, nx) matrix product, independent of wind
    direction. Equation: CCPS (1999) puff with ground reflection.

    Args:
        grid_x: 1-D east coordinates of grid columns (nx,), m.
        grid_y: 1-D north coordinates of grid rows (ny,), m.
        puff_x: Puff centre east coordinates (N,), m.
        puff_y: Puff centre north coordinates (N,), m.
        puff_mass_kg: Puff masses (N,), kg.
        puff_travel_m: Distance travelled by each puff (N,), m -> sigmas.
        stability: Pasquill-Gifford class.
        z_m: Receptor height, m.
        source_height_m: Release height, m.
        min_travel_m: Floor on travel distance so fresh puffs have finite sigma.
    """
    gx = np.asarray(grid_x, dtype=float).ravel()
    gy = np.asarray(grid_y, dtype=float).ravel()
    px, py, pm, pt = (
        np.asarray(a, dtype=float).ravel() for a in (puff_x, puff_y, puff_mass_kg, puff_travel_m)
    )
    if not (px.shape == py.shape == pm.shape == pt.shape):
        raise ValueError(
            f"puff arrays must share one shape; got x{px.shape} y{py.shape} mass{pm.shape} travel{pt.shape}"
        )
    if px.size == 0:
        return np.zeros((gy.size, gx.size))
    travel = np.maximum(pt, min_travel_m)
    sh = puff_sigma_y(travel, stability)
    sz = puff_sigma_z(travel, stability)
    amp = pm / ((2 * np.pi) ** 1.5 * sh * sh * sz) * _reflection(z_m, source_height_m, sz)
    ex = np.exp(-((gx[None, :] - px[:, None]) ** 2) / (2 * sh[:, None] ** 2))  # (N, nx)
    ey = np.exp(-((gy[:, None] - py[None, :]) ** 2) / (2 * sh[None, :] ** 2))  # (ny, N)
    return (ey * amp[None, :]) @ ex


def puff_concentration_at(
    rx: ArrayLike,
    ry: ArrayLike,
    puff_x: ArrayLike,
    puff_y: ArrayLike,
    puff_mass_kg: ArrayLike,
    puff_travel_m: ArrayLike,
    stability: str,
    z_m: float = 0.0,
    source_height_m: float = 0.0,
    min_travel_m: float = 1.0,
    chunk: int = 4096,
) -> FloatArray:
    """Sum of CCPS puffs at arbitrary receptor points (M,), kg/m3 (chunked broadcast)."""
    rxa = np.asarray(rx, dtype=float).ravel()
    rya = np.asarray(ry, dtype=float).ravel()
    if rxa.shape != rya.shape:
        raise ValueError(f"rx{rxa.shape} and ry{rya.shape} must have equal shape")
    px, py, pm, pt = (
        np.asarray(a, dtype=float).ravel() for a in (puff_x, puff_y, puff_mass_kg, puff_travel_m)
    )
    out = np.zeros(rxa.size)
    if px.size == 0:
        return out
    travel = np.maximum(pt, min_travel_m)
    sh = puff_sigma_y(travel, stability)
    sz = puff_sigma_z(travel, stability)
    amp = pm / ((2 * np.pi) ** 1.5 * sh * sh * sz) * _reflection(z_m, source_height_m, sz)
    inv2s2 = 1.0 / (2 * sh**2)
    for i in range(0, rxa.size, chunk):
        dx = rxa[i : i + chunk, None] - px[None, :]
        dy = rya[i : i + chunk, None] - py[None, :]
        out[i : i + chunk] = np.exp(-(dx**2 + dy**2) * inv2s2[None, :]) @ amp
    return out


def plume_warnings(wind_m_s: float, stability: str, x_m: float | None = None) -> list[str]:
    """Validity warnings for the Gaussian plume (ALOHA technical documentation limits)."""
    s = validate_class(stability)
    out: list[str] = []
    if wind_m_s < 1.0:
        out.append(
            f"wind {wind_m_s:g} m/s < 1 m/s: Gaussian plume unreliable (ALOHA: < 3 mph / 1.3 m/s is less reliable)"
        )
    elif wind_m_s < 1.34:
        out.append(f"wind {wind_m_s:g} m/s below ALOHA's 3 mph (1.34 m/s) reliability limit")
    if s in ("E", "F"):
        out.append(
            f"stable class {s}: plume meander and low-wind effects make results less reliable"
        )
    if x_m is not None and (x_m < 100.0 or x_m > 10_000.0):
        out.append(
            f"x = {x_m:g} m outside the 100 m - 10 km range the sigma fits were calibrated for"
        )
    return out


def _check_positive(**kw: float) -> None:
    for k, v in kw.items():
        if not (isinstance(v, int | float | np.floating) and v > 0 and math.isfinite(v)):
            raise ValueError(f"{k}={v!r}: expected a finite number > 0")


def _check_nonneg(**kw: float) -> None:
    for k, v in kw.items():
        if not (isinstance(v, int | float | np.floating) and v >= 0 and math.isfinite(v)):
            raise ValueError(f"{k}={v!r}: expected a finite number >= 0")
