"""Wind damage (Emanuel 2011 sigmoid) and an illustrative casualty model for typhoons.

Damage: mean damage ratio MDR = v_n^3 / (1 + v_n^3), v_n = max(v - v_thresh, 0) /
(v_half - v_thresh), as CLIMADA ``ImpfTropCyclone.from_emanuel_usa`` (PAA = 1, scale = 1).
Input winds are **1-min sustained 10 m** winds (the CLIMADA/Eberenz calibration basis).
Default v_half = 112.8 m/s is Eberenz et al. (2021) region WP3 (China mainland), TDR
calibration; alternatives in :data:`V_HALF_M_S`.

Validity limits: a single regional curve calibrated on country-level reported losses; it
says nothing about a particular building, ignores rain/surge damage, and the WP3 TDR value
makes damage small below ~50 m/s.

Casualties: no validated fatality-vs-wind-damage relation for Chinese typhoons was found in
the sources searched. :func:`fatality_probability` is therefore **illustrative**: a power law
in MDR with parameters the caller must calibrate; defaults are placeholders, not data.
"""

from __future__ import annotations

import numpy as np

V_THRESH_M_S = 25.7  # Emanuel (2011) threshold, CLIMADA default
# Eberenz, Lüthi & Bresch (2021), CLIMADA calibration CSVs (see models.md section 3).
V_HALF_M_S = {
    "WP3_TDR": 112.8,
    "WP3_TDR1.5": 101.5,
    "WP3_RMSF": 80.2,
    "WP3_EDR_median": 86.3,
    "global_TDR": 110.1,
    "WP4_TDR": 190.5,
    "emanuel_usa_default": 74.7,
}


def emanuel_mdr(
    wind_m_s: np.ndarray | float,
    v_half_m_s: float = V_HALF_M_S["WP3_TDR"],
    v_thresh_m_s: float = V_THRESH_M_S,
) -> np.ndarray:
    """Emanuel (2011) mean damage ratio (0..1) for 1-min sustained winds (vectorised)."""
    if not v_half_m_s > v_thresh_m_s:
        raise ValueError(f"v_half_m_s={v_half_m_s} must exceed v_thresh_m_s={v_thresh_m_s}")
    v = np.asarray(wind_m_s, float)
    if np.any(v < 0) or np.any(~np.isfinite(v)):
        raise ValueError("wind_m_s must be finite and >= 0")
    vn = np.fmax(v - v_thresh_m_s, 0.0) / (v_half_m_s - v_thresh_m_s)
    vn3 = vn**3
    return vn3 / (1.0 + vn3)


def calc_damage(
    wind_m_s: float | np.ndarray, v_half_m_s: float = 112.8, v_thresh_m_s: float = V_THRESH_M_S
) -> dict:
    """Emanuel (2011) damage for one wind (or an array); CLI-friendly dict.

    Returns:
        ``{"mean_damage_ratio": float or list, "v_half_m_s", "v_thresh_m_s", "model"}``.
    """
    mdr = emanuel_mdr(wind_m_s, v_half_m_s, v_thresh_m_s)
    return {
        "mean_damage_ratio": float(mdr) if mdr.ndim == 0 else mdr.tolist(),
        "v_half_m_s": v_half_m_s,
        "v_thresh_m_s": v_thresh_m_s,
        "model": "Emanuel (2011) impact function, Eberenz et al. (2021) v_half",
    }


def fatality_probability(
    mdr: np.ndarray | float, p_fatal_at_total: float = 0.01, exponent: float = 2.0
) -> np.ndarray:
    """ILLUSTRATIVE probability that a non-evacuated occupant dies, p = p_total * MDR^k.

    No source: placeholder shape (convex, zero at no damage) so drills can show the effect of
    evacuation. ``p_fatal_at_total`` (risk in a fully destroyed building) and ``exponent``
    must be set by the user from local data before any quantitative use.
    """
    if not 0.0 <= p_fatal_at_total <= 1.0:
        raise ValueError(f"p_fatal_at_total={p_fatal_at_total}; expected 0..1")
    if not exponent > 0:
        raise ValueError(f"exponent={exponent}; expected > 0")
    m = np.asarray(mdr, float)
    if np.any((m < 0) | (m > 1)):
        raise ValueError("mdr must be within 0..1")
    return p_fatal_at_total * m**exponent


def expected_fatalities(
    people: np.ndarray | float,
    mdr: np.ndarray | float,
    p_fatal_at_total: float = 0.01,
    exponent: float = 2.0,
) -> np.ndarray:
    """Expected deaths among ``people`` left in buildings with damage ratio ``mdr`` (illustrative)."""
    return np.asarray(people, float) * fatality_probability(mdr, p_fatal_at_total, exponent)
