"""ALOHA-style toxic threat zones for a continuous ground-level release.

A threat zone is the area where the ground-level concentration exceeds a level
of concern (LOC). As in NOAA ALOHA, the LOCs are the chemical's AEGL-3 (red),
AEGL-2 (orange) and AEGL-1 (yellow), 60-minute values by default. For a
steady Gaussian plume the zone is a cigar along the downwind axis: its length
is the distance where the centreline concentration falls to the LOC, and its
half-width at each x is where exp(-y^2/2 sigma_y^2) brings C down to the LOC.

This module also provides the two entry points the CLI wires up:
:func:`calc_plume` and :func:`calc_zones`.

Sources: Gaussian plume with Briggs (1973) sigmas (see
:mod:`scenarios.chemical.dispersion`); ALOHA threat-zone definition and LOC
defaults from NOAA OR&R ALOHA documentation (models.md section 2); dense-gas
screening by Britter & McQuaid (1988) (:mod:`scenarios.chemical.heavy_gas`).

Validity limits:
    * Flat terrain, steady wind, steady-state plume (release lasting at least
      the AEGL duration), passive gas except where flagged dense.
    * Distances are searched between 10 m and 100 km; Briggs sigmas are
      calibrated only for 100 m - 10 km, so results outside that range carry a
      warning. ALOHA itself does not report zones beyond 10 km.
    * For dense releases the primary (Gaussian) distances are kept and the
      Britter-McQuaid centreline distances are reported alongside; neither is
      an ALOHA DEGADIS-equivalent result.
"""

from __future__ import annotations

import math

import numpy as np

from scenarios.chemical.chemicals import Chemical, get_chemical
from scenarios.chemical.dispersion import (
    briggs_sigma_y,
    briggs_sigma_z,
    plume_concentration,
    plume_warnings,
)
from scenarios.chemical.heavy_gas import (
    britter_mcquaid_plume,
    is_dense_continuous,
    richardson_continuous,
)
from scenarios.chemical.stability import validate_class

#: Search interval for zone lengths, m.
X_SEARCH_MIN_M = 10.0
X_SEARCH_MAX_M = 100_000.0
#: Calibrated range of the Briggs sigma fits, m.
X_VALID_MIN_M = 100.0
X_VALID_MAX_M = 10_000.0
#: Ambient conditions for density comparisons.
AMBIENT_T_K = 298.15
AMBIENT_P_PA = 101325.0


def _check(rate_kg_s: float, wind_m_s: float) -> None:
    for k, v in (("rate_kg_s", rate_kg_s), ("wind_m_s", wind_m_s)):
        if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
            raise ValueError(f"{k}={v!r}: expected a finite number > 0")


def _air_density() -> float:
    return AMBIENT_P_PA * 0.02896 / (8.31446261815324 * AMBIENT_T_K)


def centreline_mg_m3(
    rate_kg_s: float, wind_m_s: float, stability: str, x_m: np.ndarray | float, urban: bool = False
) -> np.ndarray:
    """Ground-level centreline concentration of a ground-level plume, mg/m3."""
    return plume_concentration(rate_kg_s, wind_m_s, stability, x_m, 0.0, 0.0, 0.0, urban) * 1e6


def zone_distance(
    loc_mg_m3: float,
    rate_kg_s: float,
    wind_m_s: float,
    stability: str,
    urban: bool = False,
    x_min_m: float = X_SEARCH_MIN_M,
    x_max_m: float = X_SEARCH_MAX_M,
) -> float:
    """Downwind distance where the centreline concentration equals ``loc_mg_m3``, m.

    Root of ln C(x) - ln LOC found with scipy ``brentq`` on s = ln x (the
    function is smooth and monotone in s for a ground-level source). Returns
    ``x_min_m`` / ``x_max_m`` when the LOC is not reached / still exceeded at
    the interval ends.
    """
    if not loc_mg_m3 > 0:
        raise ValueError(f"loc_mg_m3={loc_mg_m3!r}: expected > 0")

    def g(s: float) -> float:
        c = float(centreline_mg_m3(rate_kg_s, wind_m_s, stability, math.exp(s), urban))
        return math.log(max(c, 1e-300)) - math.log(loc_mg_m3)

    lo, hi = math.log(x_min_m), math.log(x_max_m)
    if g(lo) <= 0:
        return x_min_m
    if g(hi) >= 0:
        return x_max_m
    from scipy.optimize import brentq  # ~0.3 s to import: only when solving

    return math.exp(brentq(g, lo, hi, xtol=1e-10, rtol=1e-10))


def footprint_polygon(
    loc_mg_m3: float,
    rate_kg_s: float,
    wind_m_s: float,
    stability: str,
    urban: bool = False,
    n: int = 60,
) -> list[tuple[float, float]]:
    """Threat-zone outline in the wind-aligned frame (x downwind, y to the left), m.

    Half-width at x is w = sigma_y sqrt(2 ln(C(x,0,0)/LOC)) where C >= LOC.
    Vertices run out along +y and back along -y; the ring is closed (first
    vertex repeated). Empty list when the LOC is not reached beyond 10 m.
    """
    if n < 3:
        raise ValueError(f"n={n!r}: expected >= 3 vertices per side")
    x_end = zone_distance(loc_mg_m3, rate_kg_s, wind_m_s, stability, urban)
    if x_end <= X_SEARCH_MIN_M:
        return []
    xs = np.geomspace(1.0, x_end, n)
    c0 = centreline_mg_m3(rate_kg_s, wind_m_s, stability, xs, urban)
    ratio = np.maximum(c0 / loc_mg_m3, 1.0)
    w = briggs_sigma_y(xs, stability, urban) * np.sqrt(2.0 * np.log(ratio))
    w[-1] = 0.0
    upper = [(float(x), float(y)) for x, y in zip(xs, w, strict=True)]
    lower = [(float(x), float(-y)) for x, y in zip(xs[-2::-1], w[-2::-1], strict=True)]
    ring = [(0.0, 0.0), *upper, *lower, (0.0, 0.0)]
    return ring


def to_map_frame(
    vertices: list[tuple[float, float]] | np.ndarray,
    source_x_m: float,
    source_y_m: float,
    wind_from_deg: float,
) -> np.ndarray:
    """Rotate/translate wind-frame vertices into map metres (east, north).

    The downwind axis points to ``wind_from_deg + 180`` (meteorological "from"
    convention); local +y is 90 deg to the left of downwind.

    Returns:
        Array (n, 2) of (east, north) coordinates.
    """
    v = np.asarray(vertices, dtype=float).reshape(-1, 2)
    th = math.radians(wind_from_deg)
    de, dn = -math.sin(th), -math.cos(th)  # downwind unit vector
    le, ln_ = -dn, de  # left of downwind
    east = source_x_m + v[:, 0] * de + v[:, 1] * le
    north = source_y_m + v[:, 0] * dn + v[:, 1] * ln_
    return np.column_stack([east, north])


def calc_plume(
    chemical: str | Chemical,
    rate_kg_s: float,
    wind_m_s: float,
    stability: str,
    x_m: float,
    y_m: float = 0.0,
    z_m: float = 0.0,
    source_height_m: float = 0.0,
    urban: bool = False,
) -> dict[str, object]:
    """Gaussian-plume concentration at one receptor (wind-aligned frame).

    Returns:
        dict with chemical, concentration_mg_m3, concentration_ppm,
        sigma_y_m, sigma_z_m, heavy_gas, richardson, model, warnings.
    """
    chem = get_chemical(chemical)
    s = validate_class(stability)
    _check(rate_kg_s, wind_m_s)
    for k, v in (("x_m", x_m), ("y_m", y_m), ("z_m", z_m), ("source_height_m", source_height_m)):
        if not (isinstance(v, int | float) and math.isfinite(v)):
            raise ValueError(f"{k}={v!r}: expected a finite number")
    if z_m < 0 or source_height_m < 0:
        raise ValueError(f"z_m={z_m}, source_height_m={source_height_m}: heights must be >= 0")
    c = (
        float(plume_concentration(rate_kg_s, wind_m_s, s, x_m, y_m, z_m, source_height_m, urban))
        * 1e6
    )
    warnings = plume_warnings(wind_m_s, s, x_m)
    if x_m <= 0:
        warnings.append(f"x_m={x_m} is at or upwind of the source: plume concentration is 0")
    dense, ri = _dense(chem, rate_kg_s, wind_m_s)
    if dense:
        warnings.append(_dense_msg(chem, ri))
    return {
        "chemical": chem.name,
        "model": "gaussian_plume_briggs_" + ("urban" if urban else "rural"),
        "concentration_mg_m3": c,
        "concentration_ppm": float(chem.mg_m3_to_ppm(c)),
        "sigma_y_m": float(briggs_sigma_y(max(x_m, 0.0), s, urban)),
        "sigma_z_m": float(briggs_sigma_z(max(x_m, 0.0), s, urban)),
        "heavy_gas": dense,
        "richardson": ri,
        "warnings": warnings,
    }


def calc_zones(
    chemical: str | Chemical,
    rate_kg_s: float,
    wind_m_s: float,
    stability: str,
    urban: bool = False,
    duration_min: int = 60,
    include_footprints: bool = False,
) -> dict[str, object]:
    """AEGL-1/2/3 threat-zone lengths for a continuous ground-level release.

    Args:
        chemical: Name from the chemicals table, or a Chemical.
        rate_kg_s: Release rate, kg/s.
        wind_m_s: Wind speed at 10 m, m/s.
        stability: Pasquill-Gifford class A-F.
        urban: Use Briggs urban sigmas.
        duration_min: AEGL duration used as LOC (10, 30 or 60; ALOHA default 60).
        include_footprints: Also return wind-frame polygons per tier.

    Returns:
        dict with aegl1_m, aegl2_m, aegl3_m (None where the AEGL is not
        defined), loc_ppm, loc_mg_m3, heavy_gas, richardson, dense_gas (Britter-
        McQuaid distances when heavy), warnings and optionally footprints_m.
    """
    chem = get_chemical(chemical)
    s = validate_class(stability)
    _check(rate_kg_s, wind_m_s)
    warnings = plume_warnings(wind_m_s, s)
    out: dict[str, object] = {"chemical": chem.name, "duration_min": duration_min}
    locs_ppm: dict[str, float | None] = {}
    locs_mg: dict[str, float | None] = {}
    footprints: dict[str, list[tuple[float, float]]] = {}
    for tier in (1, 2, 3):
        key = f"aegl{tier}"
        ppm = chem.aegl(tier, duration_min)
        locs_ppm[key] = ppm
        if ppm is None:
            out[f"{key}_m"] = None
            locs_mg[key] = None
            continue
        loc = float(chem.ppm_to_mg_m3(ppm))
        locs_mg[key] = loc
        d = zone_distance(loc, rate_kg_s, wind_m_s, s, urban)
        out[f"{key}_m"] = d
        if d <= X_SEARCH_MIN_M:
            warnings.append(f"{key.upper()} not reached beyond {X_SEARCH_MIN_M:g} m")
        elif d >= X_SEARCH_MAX_M:
            warnings.append(
                f"{key.upper()} still exceeded at {X_SEARCH_MAX_M:g} m (distance capped)"
            )
        elif not X_VALID_MIN_M <= d <= X_VALID_MAX_M:
            warnings.append(
                f"{key.upper()} distance {d:.0f} m outside the 100 m - 10 km sigma calibration range"
            )
        if include_footprints:
            footprints[key] = footprint_polygon(loc, rate_kg_s, wind_m_s, s, urban)
    dense, ri = _dense(chem, rate_kg_s, wind_m_s)
    out.update(loc_ppm=locs_ppm, loc_mg_m3=locs_mg, heavy_gas=dense, richardson=ri)
    if dense:
        warnings.append(_dense_msg(chem, ri))
        out["dense_gas"] = _bm_distances(chem, rate_kg_s, wind_m_s, locs_ppm, warnings)
    if include_footprints:
        out["footprints_m"] = footprints
    out["warnings"] = warnings
    return out


def _dense(chem: Chemical, rate_kg_s: float, wind_m_s: float) -> tuple[bool, float]:
    rho = chem.gas_density_kg_m3(AMBIENT_T_K, AMBIENT_P_PA)
    rho_a = _air_density()
    ri = richardson_continuous(rate_kg_s, rho, wind_m_s, rho_a)
    return is_dense_continuous(rate_kg_s, rho, wind_m_s, rho_a), ri


def _dense_msg(chem: Chemical, ri: float) -> str:
    return (
        f"{chem.name} release is dense (Britter-McQuaid group {ri:.2f} >= 0.15): "
        "Gaussian plume is not appropriate near the source; see dense_gas distances"
    )


def _bm_distances(
    chem: Chemical,
    rate_kg_s: float,
    wind_m_s: float,
    locs_ppm: dict[str, float | None],
    warnings: list[str],
) -> dict[str, float | None]:
    """Britter-McQuaid centreline distances to each LOC (vapour at ambient temperature)."""
    rho = chem.gas_density_kg_m3(AMBIENT_T_K, AMBIENT_P_PA)
    rho_a = _air_density()

    def vf(x: float) -> float:
        r = britter_mcquaid_plume(x, rate_kg_s, rho, wind_m_s, AMBIENT_T_K, AMBIENT_T_K, rho_a)
        return float(r["volume_fraction"])

    res: dict[str, float | None] = {}
    for key, ppm in locs_ppm.items():
        if ppm is None:
            res[f"{key}_m"] = None
            continue
        target = ppm * 1e-6

        def g(s: float, target: float = target) -> float:
            return math.log(max(vf(math.exp(s)), 1e-300)) - math.log(target)

        lo, hi = math.log(1.0), math.log(X_SEARCH_MAX_M)
        if g(lo) <= 0:
            res[f"{key}_m"] = 1.0
        elif g(hi) >= 0:
            res[f"{key}_m"] = X_SEARCH_MAX_M
        else:
            from scipy.optimize import brentq  # ~0.3 s to import: only when solving

            res[f"{key}_m"] = math.exp(brentq(g, lo, hi, xtol=1e-10, rtol=1e-10))
    far = britter_mcquaid_plume(1.0, rate_kg_s, rho, wind_m_s, AMBIENT_T_K, AMBIENT_T_K, rho_a)
    res["nomogram_limit_m"] = float(far["x_far_m"])
    warnings.append(
        f"Britter-McQuaid distances beyond {far['x_far_m']:.0f} m use the x'^-2 far-field extrapolation"
    )
    return res
