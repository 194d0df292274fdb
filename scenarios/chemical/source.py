"""Source terms: how much gas enters the air, and how fast.

Two idealised releases drive the dispersion models - a *continuous* source
(a leak that runs at a steady rate for some duration, feeding a plume) and an
*instantaneous* source (a tank rupture that dumps its mass at once, forming a
puff) - plus the textbook orifice equations that turn a hole size and a
pressure into a release rate.

Sources:
    * Liquid through a hole (Bernoulli with discharge coefficient):
      Crowl & Louvar (2011) *Chemical Process Safety* eq. 4-6 / CCPS (1999)
      *Guidelines for Consequence Analysis* sec. 2.1.1; m = Cd A sqrt(2 rho dP + 2 rho^2 g h).
      Cd = 0.61 for a sharp-edged orifice (Crowl & Louvar).
    * Gas through a hole, isentropic ideal gas: Crowl & Louvar eqs. 4-50
      (unchoked) and 4-52 (choked); choked when P_amb/P_up <= (2/(k+1))^(k/(k-1)).
    * Worked examples reproduced in tests: CCPS (1999) p.40 (liquid) and p.47
      (gas), as encoded in GasDispersion.jl ``test/source_models/jet_source_tests.jl``.

Validity limits: single-phase flow through a sharp hole in a thin wall; no
flashing two-phase flow, no pipe friction, no depressurisation over time
(rates are initial, upper-bound rates).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scenarios.chemical.chemicals import R_GAS

#: Standard gravity, m/s2.
G0 = 9.80665
#: Standard atmosphere, Pa.
P_ATM = 101325.0


def _pos(**kw: float) -> None:
    for k, v in kw.items():
        if not (isinstance(v, int | float) and math.isfinite(v) and v > 0):
            raise ValueError(f"{k}={v!r}: expected a finite number > 0")


@dataclass(frozen=True)
class ContinuousSource:
    """Steady release at ``rate_kg_s`` for ``duration_s`` seconds (inf = unlimited)."""

    rate_kg_s: float
    duration_s: float = math.inf

    def __post_init__(self) -> None:
        _pos(rate_kg_s=self.rate_kg_s)
        if not self.duration_s > 0:
            raise ValueError(f"duration_s={self.duration_s!r}: expected > 0")

    @property
    def total_mass_kg(self) -> float:
        """Mass released over the whole duration, kg."""
        return self.rate_kg_s * self.duration_s

    def rate_at(self, t_s: float) -> float:
        """Release rate at time ``t_s`` after start (0 before start and after end)."""
        return self.rate_kg_s if 0.0 <= t_s < self.duration_s else 0.0


@dataclass(frozen=True)
class InstantaneousSource:
    """Sudden release of ``mass_kg`` (puff)."""

    mass_kg: float

    def __post_init__(self) -> None:
        _pos(mass_kg=self.mass_kg)


def hole_area_m2(diameter_m: float) -> float:
    """Area of a circular hole, m2."""
    _pos(diameter_m=diameter_m)
    return math.pi * diameter_m**2 / 4.0


def liquid_orifice_rate(
    diameter_m: float,
    p_upstream_pa: float,
    liquid_density_kg_m3: float,
    p_ambient_pa: float = P_ATM,
    liquid_head_m: float = 0.0,
    cd: float = 0.61,
) -> float:
    """Liquid mass rate through a hole, kg/s (Crowl & Louvar eq. 4-6; CCPS 1999).

    m = Cd * A * sqrt(2 rho (P_up - P_amb) + 2 rho^2 g h_L)

    Args:
        diameter_m: Hole diameter, m.
        p_upstream_pa: Absolute pressure above the liquid, Pa.
        liquid_density_kg_m3: Liquid density, kg/m3.
        p_ambient_pa: Ambient pressure, Pa.
        liquid_head_m: Liquid height above the hole, m.
        cd: Discharge coefficient (0.61 sharp-edged orifice).
    """
    _pos(
        p_upstream_pa=p_upstream_pa,
        liquid_density_kg_m3=liquid_density_kg_m3,
        p_ambient_pa=p_ambient_pa,
        cd=cd,
    )
    if liquid_head_m < 0:
        raise ValueError(f"liquid_head_m={liquid_head_m!r}: expected >= 0")
    drive = (
        2 * liquid_density_kg_m3 * (p_upstream_pa - p_ambient_pa)
        + 2 * liquid_density_kg_m3**2 * G0 * liquid_head_m
    )
    if drive <= 0:
        raise ValueError(
            f"no driving pressure: p_upstream_pa={p_upstream_pa}, p_ambient_pa={p_ambient_pa}, "
            f"liquid_head_m={liquid_head_m}; expected upstream pressure or head above ambient"
        )
    return cd * hole_area_m2(diameter_m) * math.sqrt(drive)


def choked_pressure_ratio(k: float) -> float:
    """Critical P_amb/P_up below which gas flow chokes: (2/(k+1))^(k/(k-1))."""
    _pos(k=k)
    if k <= 1:
        raise ValueError(f"k={k!r}: heat capacity ratio must be > 1")
    return (2 / (k + 1)) ** (k / (k - 1))


def gas_orifice_rate(
    diameter_m: float,
    p_upstream_pa: float,
    temperature_k: float,
    mw_kg_mol: float,
    k: float,
    p_ambient_pa: float = P_ATM,
    cd: float = 0.85,
) -> dict[str, float | bool]:
    """Ideal-gas mass rate through a hole, kg/s (Crowl & Louvar eqs. 4-50, 4-52).

    Choked: m = Cd A P sqrt(k M / (R T) (2/(k+1))^((k+1)/(k-1))).
    Unchoked: m = Cd A P sqrt(2 M/(R T) k/(k-1) [(Pa/P)^(2/k) - (Pa/P)^((k+1)/k)]).

    Returns:
        dict with ``rate_kg_s`` and ``choked`` (bool).
    """
    _pos(
        p_upstream_pa=p_upstream_pa,
        temperature_k=temperature_k,
        mw_kg_mol=mw_kg_mol,
        p_ambient_pa=p_ambient_pa,
        cd=cd,
    )
    if p_upstream_pa <= p_ambient_pa:
        raise ValueError(
            f"p_upstream_pa={p_upstream_pa} must exceed p_ambient_pa={p_ambient_pa} for outflow"
        )
    ratio = p_ambient_pa / p_upstream_pa
    choked = ratio <= choked_pressure_ratio(k)
    area = hole_area_m2(diameter_m)
    mrt = mw_kg_mol / (R_GAS * temperature_k)
    if choked:
        psi = k * mrt * (2 / (k + 1)) ** ((k + 1) / (k - 1))
    else:
        psi = 2 * mrt * k / (k - 1) * (ratio ** (2 / k) - ratio ** ((k + 1) / k))
    return {"rate_kg_s": cd * area * p_upstream_pa * math.sqrt(psi), "choked": choked}
