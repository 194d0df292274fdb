"""Dense-gas screening and the Britter-McQuaid continuous-release correlation.

A gas much denser than air (chlorine is about 2.5x) does not behave like smoke:
it slumps, spreads sideways like spilled water and hugs the ground, so a
Gaussian plume gets its shape wrong. This module answers two questions:

1. *Is the release dense?* Britter & McQuaid (1988) criterion for a continuous
   release: ``(g0' q0 / D)**(1/3) / U >= 0.15`` with ``g0' = g (rho0 - rho_a) / rho_a``
   and ``D = sqrt(q0 / U)``; for an instantaneous release
   ``sqrt(g0' V0) / (U V0**(1/3)) >= 0.20``. (Britter, R.E. & McQuaid, J. 1988,
   *Workbook on the Dispersion of Dense Gases*, HSE CRR 17/1988; as quoted in
   CCPS 1999 ch.2.)
2. *How concentrated on the centreline?* The workbook's nomogram for
   continuous ground-level releases, digitised as piecewise-linear beta(alpha)
   curves in EPA TSCREEN (EPA-454/B-94-023) and coded in GasDispersion.jl
   (``britter_mcquaid_correls.jl``, ``britter_mcquaid_plume.jl``). The
   near-field ``306/(306 + x'^2)`` and far-field ``x'^-2`` extensions follow
   GasDispersion.jl.

Validity limits:
    * Flat terrain, ground-level, continuous release of duration long enough
      to reach the receptor; wind speed at 10 m.
    * The nomogram covers Cm/C0 from 0.1 to 0.002; below 0.002 the far-field
      x'^-2 extension is an extrapolation (AEGL levels of ppm are far below it,
      so dense-gas hazard distances for AEGLs are indicative only).
    * alpha outside [-1, 1] is off the nomogram.
    * Ideal-gas densities; aerosol-laden flashing releases (e.g. liquefied
      ammonia) can be dense even when the pure vapour is lighter than air - the
      caller must supply the effective release density for such cases.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

#: Gravity used by GasDispersion.jl's Britter-McQuaid model, m/s2.
G = 9.80616
#: Britter & McQuaid (1988) thresholds on the Richardson-type group.
CONTINUOUS_THRESHOLD = 0.15
INSTANTANEOUS_THRESHOLD = 0.20

# TSCREEN digitisation: for each Cm/C0 level, piecewise-linear beta(alpha).
_BM_LEVELS: tuple[float, ...] = (0.10, 0.05, 0.02, 0.01, 0.005, 0.002)


def _bm_beta(level: float, a: float) -> float:
    """Beta = log10(x/D) at which Cm/C0 = level, for correlation parameter alpha."""
    if level == 0.10:
        if a <= -0.55:
            return 1.75
        if a <= -0.14:
            return 0.24 * a + 1.88
        return -0.5 * a + 1.78
    table = {
        0.05: (-0.68, -0.29, -0.18, 1.92, (0.36, 2.16), 2.06, (-0.56, 1.96)),
        0.02: (-0.69, -0.31, -0.16, 2.08, (0.45, 2.39), 2.25, (-0.54, 2.16)),
        0.01: (-0.70, -0.29, -0.20, 2.25, (0.49, 2.59), 2.45, (-0.52, 2.35)),
        0.005: (-0.67, -0.28, -0.15, 2.40, (0.59, 2.80), 2.63, (-0.48, 2.56)),
        0.002: (-0.69, -0.25, -0.13, 2.60, (0.39, 2.87), 2.77, (-0.50, 2.71)),
    }
    k1, k2, k3, flat1, (m1, c1), flat2, (m2, c2) = table[level]
    if a <= k1:
        return flat1
    if a <= k2:
        return m1 * a + c1
    if a <= k3:
        return flat2
    return m2 * a + c2


def bm_plume_betas(alpha: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(Cm/C0 levels, beta = log10(x/D)) of the Britter-McQuaid plume nomogram.

    Source: TSCREEN digitisation via GasDispersion.jl ``_bm_pl_c``.
    """
    return _BM_LEVELS, tuple(_bm_beta(c, alpha) for c in _BM_LEVELS)


def richardson_continuous(
    rate_kg_s: float, gas_density_kg_m3: float, wind_m_s: float, air_density_kg_m3: float = 1.184
) -> float:
    """Britter-McQuaid group (g0' q0 / D)^(1/3) / U for a continuous release.

    Returns a negative number for gases lighter than air (g0' < 0), which are
    never dense. Britter & McQuaid (1988).
    """
    _pos(
        rate_kg_s=rate_kg_s,
        gas_density_kg_m3=gas_density_kg_m3,
        wind_m_s=wind_m_s,
        air_density_kg_m3=air_density_kg_m3,
    )
    g0 = G * (gas_density_kg_m3 - air_density_kg_m3) / air_density_kg_m3
    q0 = rate_kg_s / gas_density_kg_m3
    d = math.sqrt(q0 / wind_m_s)
    return math.copysign(abs(g0 * q0 / d) ** (1 / 3), g0) / wind_m_s


def richardson_instantaneous(
    mass_kg: float, gas_density_kg_m3: float, wind_m_s: float, air_density_kg_m3: float = 1.184
) -> float:
    """Britter-McQuaid group sqrt(g0' V0) / (U V0^(1/3)) for an instantaneous release."""
    _pos(
        mass_kg=mass_kg,
        gas_density_kg_m3=gas_density_kg_m3,
        wind_m_s=wind_m_s,
        air_density_kg_m3=air_density_kg_m3,
    )
    g0 = G * (gas_density_kg_m3 - air_density_kg_m3) / air_density_kg_m3
    v0 = mass_kg / gas_density_kg_m3
    return math.copysign(math.sqrt(abs(g0) * v0), g0) / (wind_m_s * v0 ** (1 / 3))


def is_dense_continuous(
    rate_kg_s: float, gas_density_kg_m3: float, wind_m_s: float, air_density_kg_m3: float = 1.184
) -> bool:
    """True if a continuous release is dense by the Britter-McQuaid 0.15 criterion."""
    return (
        richardson_continuous(rate_kg_s, gas_density_kg_m3, wind_m_s, air_density_kg_m3)
        >= CONTINUOUS_THRESHOLD
    )


def is_dense_instantaneous(
    mass_kg: float, gas_density_kg_m3: float, wind_m_s: float, air_density_kg_m3: float = 1.184
) -> bool:
    """True if an instantaneous release is dense by the Britter-McQuaid 0.20 criterion."""
    return (
        richardson_instantaneous(mass_kg, gas_density_kg_m3, wind_m_s, air_density_kg_m3)
        >= INSTANTANEOUS_THRESHOLD
    )


def britter_mcquaid_plume(
    x_m: ArrayLike,
    rate_kg_s: float,
    gas_density_kg_m3: float,
    wind10_m_s: float,
    release_temp_k: float,
    air_temp_k: float = 298.15,
    air_density_kg_m3: float = 1.184,
) -> dict[str, object]:
    """Britter-McQuaid (1988) centreline volume fraction for a continuous dense release.

    Implements the workbook nomogram as digitised in TSCREEN and coded in
    GasDispersion.jl ``britter_mcquaid_plume.jl`` (near field 306/(306+x'^2) up
    to x' = 30, linear interpolation of Cm/C0 in beta = log10(x') between
    nomogram points, far field decaying as x'^-2), with the non-isothermal
    correction C = C' / (C' + (1 - C') T_r/T_a).

    Args:
        x_m: Downwind distances, m.
        rate_kg_s: Release mass rate, kg/s.
        gas_density_kg_m3: Density of the released gas at release temperature.
        wind10_m_s: Wind speed at 10 m, m/s.
        release_temp_k: Release (gas) temperature, K.
        air_temp_k: Ambient temperature, K.
        air_density_kg_m3: Ambient air density, kg/m3.

    Returns:
        dict with ``volume_fraction`` (array like x), ``alpha``, ``D_m``,
        ``x_near_m``, ``x_far_m`` and ``warnings``.
    """
    _pos(
        rate_kg_s=rate_kg_s,
        gas_density_kg_m3=gas_density_kg_m3,
        wind10_m_s=wind10_m_s,
        release_temp_k=release_temp_k,
        air_temp_k=air_temp_k,
        air_density_kg_m3=air_density_kg_m3,
    )
    warnings: list[str] = []
    q = rate_kg_s / gas_density_kg_m3
    g0 = G * (gas_density_kg_m3 - air_density_kg_m3) / air_density_kg_m3
    if g0 <= 0:
        raise ValueError(
            f"gas_density_kg_m3={gas_density_kg_m3} <= air density {air_density_kg_m3}: "
            "Britter-McQuaid applies to dense gases only"
        )
    d = math.sqrt(q / wind10_m_s)
    alpha = 0.2 * math.log10(g0**2 * q * wind10_m_s**-5)
    if not -1.0 <= alpha <= 1.0:
        warnings.append(f"alpha={alpha:.3f} outside the nomogram range [-1, 1]")
    concs, betas = bm_plume_betas(alpha)
    concs_l, betas_l = list(concs), list(betas)
    xnf = 30.0
    if xnf < 10 ** min(betas_l):
        betas_l.insert(0, math.log10(xnf))
        concs_l.insert(0, 306.0 / (xnf**2 + 306.0))
    else:
        xnf = 10 ** min(betas_l)
    xff = 10 ** max(betas_l)
    a_ff = min(concs_l) * xff**2
    xp = np.asarray(x_m, dtype=float) / d
    beta = np.log10(np.maximum(xp, 1e-12))
    c_mid = np.interp(beta, betas_l, concs_l)
    c = np.where(
        xp <= xnf,
        306.0 / (306.0 + np.maximum(xp, 0.0) ** 2),
        np.where(xp < xff, c_mid, a_ff / np.maximum(xp, 1e-12) ** 2),
    )
    t_ratio = release_temp_k / air_temp_k
    c = c / (c + (1.0 - c) * t_ratio)
    if np.any(xp > xff):
        warnings.append(
            "some distances beyond the nomogram (Cm/C0 < 0.002): far-field x'^-2 extrapolation"
        )
    return {
        "volume_fraction": c,
        "alpha": alpha,
        "D_m": d,
        "x_near_m": xnf * d,
        "x_far_m": xff * d,
        "warnings": warnings,
    }


def _pos(**kw: float) -> None:
    for k, v in kw.items():
        if not (isinstance(v, int | float | np.floating) and math.isfinite(v) and v > 0):
            raise ValueError(f"{k}={v!r}: expected a finite number > 0")


__all__ = [
    "CONTINUOUS_THRESHOLD",
    "INSTANTANEOUS_THRESHOLD",
    "bm_plume_betas",
    "britter_mcquaid_plume",
    "is_dense_continuous",
    "is_dense_instantaneous",
    "richardson_continuous",
    "richardson_instantaneous",
]
