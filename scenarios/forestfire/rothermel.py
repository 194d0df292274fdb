"""Rothermel (1972) surface fire spread with Albini (1976) weighting, as in Behave.

This is a re-implementation, in vectorised numpy, of the surface-fire chain of
the US Forest Service Behave library (``firelab/behave``:
``surfaceFuelbedIntermediates.cpp``, ``surfaceFireReactionIntensity.cpp``,
``surfaceFire.cpp``, ``fireSize.cpp``, ``windAdjustmentFactor.cpp``).  It
reproduces Behave's published test values (``src/testBehave/testBehave.cpp``)
to better than 1e-6 relative; see ``tests/forestfire/test_ff_rothermel.py``.

Model chain (Behave base units: ft, lb, Btu, min; moisture as a fraction):

* fuel particles: dead 1-h / 10-h (SAVR 109) / 100-h (SAVR 30) / cured herb,
  live herb / live woody; particle density 32 lb/ft^3, total silica 0.0555,
  effective silica 0.01;
* Albini (1976) weighting by surface area, with Behave's five SAVR bins
  (>=1200, >=192, >=96, >=48, >=16 ft^-1) for the net-load weights g_ij;
* dynamic Scott & Burgan models: the cured fraction ``1.333 - 1.11*M_herb``
  (0.30 <= M_herb <= 1.20; all cured below 0.30) of the live herb load moves
  to a dead class that takes the 1-h moisture and the herb SAVR;
* live moisture of extinction (Albini 1976 p.89):
  ``Mx_live = max(Mx_dead, 2.9 W (1 - Mf_dead/Mx_dead) - 0.226)``;
* reaction intensity, propagating flux, heat sink, no-wind no-slope ROS;
* wind factor ``phi_w = C U^B (beta/beta_op)^-E`` (U = midflame wind, ft/min)
  and slope factor ``phi_s = 5.275 beta^-0.3 tan^2(slope)``;
* wind and slope are combined as vectors (Behave ``calculateDirectionOfMaxSpread``):
  the wind direction is the direction the wind blows *towards*, in degrees
  clockwise from upslope;
* effective wind speed by inverting the wind factor; the optional wind limit
  ``U_eff <= 0.9 I_R`` (ft/min) is OFF by default, as in current Behave;
* elliptical fire shape (Behave ``fireSize.cpp``, Anderson 1983 with
  Finney's normalisation): ``LW = min(8, 0.936 e^{0.1147 U} + 0.461 e^{-0.0692 U} - 0.397)``
  with U the effective wind in mph;
* residence time ``384/sigma`` (min), heat per unit area ``I_R t_r``, Byram
  fireline intensity ``R I_R t_r / 60`` (Btu/ft/s), flame length
  ``0.45 I_B^0.46`` (ft; Byram 1959 / Albini 1976).

Validity limits (read before use):

* **surface fire only**: no crown fire initiation or spread, no spotting, no
  ember transport, no fire-atmosphere coupling, no smouldering/duff
  consumption;
* steady-state spread in a homogeneous fuel bed under constant midflame wind
  and slope (Rothermel 1972 assumptions); acceleration from a point
  ignition is not modelled;
* the standard fuel models describe North American fuel beds; their use for
  south-China vegetation (e.g. Masson pine, eucalyptus, Dicranopteris fern)
  is a mapping assumption made by the caller;
* wind is midflame wind; use :func:`wind_adjustment_factor` to reduce
  20-ft (6.1 m) open wind.  Behave's 10-m to 20-ft factor is 1/1.15;
* the empirical LW relation is capped at 8 (Behave).

Unit conventions of this module's SI API: spread in m/min, intensity in kW/m,
flame length in m, wind in m/s, slope in percent, moisture in **percent**
(as Behave users type it).  kW/m uses Behave's conversion constant
(1 kW/m = 0.28867190094724617 Btu/ft/s).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .fuel_models import FUEL_MODEL_NUMBERS, FuelModel, get_fuel_model

__all__ = [
    "Moisture",
    "SurfaceFireResult",
    "SurfaceFireArrays",
    "surface_fire",
    "surface_fire_imperial",
    "surface_fire_arrays",
    "calc_fire_ros",
    "wind_adjustment_factor",
    "length_to_width_ratio",
    "FUEL_TABLE",
    "FT_PER_M",
    "FT_MIN_PER_M_S",
    "FT_MIN_PER_MPH",
    "FT_MIN_PER_CH_H",
    "KW_M_PER_BTU_FT_S",
]

# ---------------------------------------------------------------------------
# Unit constants (Behave behaveUnits.cpp conventions)
FT_PER_M = 1.0 / 0.3048
M_PER_FT = 0.3048
FT_MIN_PER_M_S = 60.0 / 0.3048  # 196.8503937...
FT_MIN_PER_MPH = 88.0
FT_MIN_PER_CH_H = 66.0 / 60.0  # 1 chain = 66 ft
KW_M_PER_BTU_FT_S = 1.0 / 0.28867190094724617  # Behave's constant
KJ_M2_PER_BTU_FT2 = 11.356538527  # 1055.056 J/Btu / 0.09290304 m^2/ft^2 / 1000

# Fixed Rothermel / Behave particle constants
_PARTICLE_DENSITY = 32.0  # lb/ft^3 (Albini 1976 p.91)
_TOTAL_SILICA = 0.0555
_EFFECTIVE_SILICA = 0.01
_SAVR_10H = 109.0
_SAVR_100H = 30.0


@dataclass(frozen=True, slots=True)
class Moisture:
    """Fuel moisture contents in **percent** of oven-dry weight.

    Attributes:
        m1h: 1-h dead fuel moisture (%).
        m10h: 10-h dead fuel moisture (%).
        m100h: 100-h dead fuel moisture (%).
        live_herb: Live herbaceous moisture (%).
        live_woody: Live woody moisture (%).
    """

    m1h: float
    m10h: float
    m100h: float
    live_herb: float = 100.0
    live_woody: float = 100.0

    def fractions(self) -> tuple[float, float, float, float, float]:
        """Return the five moisture contents as fractions (Behave base units)."""
        return (
            self.m1h / 100.0,
            self.m10h / 100.0,
            self.m100h / 100.0,
            self.live_herb / 100.0,
            self.live_woody / 100.0,
        )


# ---------------------------------------------------------------------------
# Fuel table indexed by Behave fuel-model number (0..255); 0 and unknown = empty.
def _build_fuel_table() -> dict[str, np.ndarray]:
    n = 256
    tab = {
        k: np.zeros(n)
        for k in (
            "depth", "mx_dead", "heat_dead", "heat_live", "w1", "w10", "w100",
            "wherb", "wwoody", "s1", "sherb", "swoody",
        )
    }  # fmt: skip
    tab["dynamic"] = np.zeros(n, dtype=bool)
    tab["burnable"] = np.zeros(n, dtype=bool)
    for num, fm in FUEL_MODEL_NUMBERS.items():
        tab["depth"][num] = fm.depth_ft
        tab["mx_dead"][num] = fm.mx_dead
        tab["heat_dead"][num] = fm.heat_dead
        tab["heat_live"][num] = fm.heat_live
        tab["w1"][num] = fm.load_1h
        tab["w10"][num] = fm.load_10h
        tab["w100"][num] = fm.load_100h
        tab["wherb"][num] = fm.load_live_herb
        tab["wwoody"][num] = fm.load_live_woody
        tab["s1"][num] = fm.savr_1h
        tab["sherb"][num] = fm.savr_live_herb
        tab["swoody"][num] = fm.savr_live_woody
        tab["dynamic"][num] = fm.dynamic
        tab["burnable"][num] = fm.burnable
    for v in tab.values():
        v.flags.writeable = False
    return tab


#: Per-number parameter arrays (length 256) used by the vectorised kernel.
FUEL_TABLE: dict[str, np.ndarray] = _build_fuel_table()


def _size_class_bin(savr: np.ndarray) -> np.ndarray:
    """Behave's SAVR size bins for the g_ij weights (-1 = no bin)."""
    b = np.full(savr.shape, -1, dtype=np.int8)
    b[savr >= 16.0] = 4
    b[savr >= 48.0] = 3
    b[savr >= 96.0] = 2
    b[savr >= 192.0] = 1
    b[savr >= 1200.0] = 0
    return b


def _size_sorted_weights(f: np.ndarray, savr: np.ndarray) -> np.ndarray:
    """g_ij: sum of f over all particles in the same SAVR bin as particle j."""
    bins = _size_class_bin(savr)
    g = np.zeros_like(f)
    for b in range(5):
        inb = bins == b
        tot = np.where(inb, f, 0.0).sum(axis=-1, keepdims=True)
        g = np.where(inb, tot, g)
    return g


def length_to_width_ratio(effective_wind_mph: Any) -> Any:
    """Behave/Anderson (1983) surface-fire length-to-width ratio.

    Args:
        effective_wind_mph: Effective midflame wind speed (mph); scalar or array.

    Returns:
        ``min(8, 0.936 e^{0.1147 U} + 0.461 e^{-0.0692 U} - 0.397)`` for U > 1e-7,
        else 1.0.
    """
    u = np.asarray(effective_wind_mph, dtype=float)
    lw = 0.936 * np.exp(0.1147 * u) + 0.461 * np.exp(-0.0692 * u) - 0.397
    lw = np.where(u > 1.0e-7, np.minimum(lw, 8.0), 1.0)
    return float(lw) if lw.ndim == 0 else lw


def wind_adjustment_factor(
    fuel_depth_ft: float,
    canopy_cover_frac: float = 0.0,
    canopy_height_ft: float = 0.0,
    crown_ratio: float = 0.0,
    *,
    use_crown_ratio: bool = True,
) -> tuple[float, str]:
    """Wind adjustment factor from 20-ft wind to midflame wind (Behave).

    Albini & Baughman (1979) with Behave's sheltering rule: the fuel is
    sheltered when canopy cover > 0, crown fill ``f = CR*CC/3 >= 0.05`` and
    canopy height >= 6 ft.  Unsheltered:
    ``WAF = 1.83 / ln((20 + 0.36 d)/(0.13 d))`` (d = fuel-bed depth, ft).
    Sheltered: ``WAF = 0.555 / (sqrt(f H) ln((20 + 0.36 H)/(0.13 H)))``.

    Args:
        fuel_depth_ft: Fuel-bed depth (ft).
        canopy_cover_frac: Canopy cover as a fraction (0-1).
        canopy_height_ft: Canopy height (ft).
        crown_ratio: Crown ratio (0-1).
        use_crown_ratio: If False use Finney's ``f = pi*CC/12`` crown fill.

    Returns:
        ``(waf, "unsheltered" | "sheltered")``.
    """
    cc = float(canopy_cover_frac)
    h = float(canopy_height_ft)
    f = crown_ratio * cc / 3.0 if use_crown_ratio else cc * math.pi / 12.0
    if cc < 1.0e-7 or f < 0.05 or h < 6.0:
        d = float(fuel_depth_ft)
        waf = 1.83 / math.log((20.0 + 0.36 * d) / (0.13 * d)) if d > 1.0e-7 else 0.0
        return waf, "unsheltered"
    waf = 0.555 / (math.sqrt(f * h) * math.log((20.0 + 0.36 * h) / (0.13 * h)))
    return waf, "sheltered"


def _rothermel_core(*args: Any, **kwargs: Any) -> dict[str, np.ndarray]:
    """Behave's surface-fire chain on broadcast arrays (see ``_rothermel_kernel``).

    Floating-point warnings from empty (non-burnable) cells are silenced; those
    cells are zeroed in the result.
    """
    with np.errstate(all="ignore"):
        return _rothermel_kernel(*args, **kwargs)


_FUELBED_KEYS = (
    "depth", "burnable", "sigma", "beta", "rel_beta", "bulk_density", "ir", "ir_dead",
    "ir_live", "prop_flux", "heat_sink", "r0", "wind_b", "wind_c", "wind_e", "mx_dead",
    "mx_live", "mw_dead", "mw_live",
)  # fmt: skip


def _fuelbed(
    fuel_number: np.ndarray,
    m1: np.ndarray,
    m10: np.ndarray,
    m100: np.ndarray,
    mherb: np.ndarray,
    mwoody: np.ndarray,
) -> dict[str, np.ndarray]:
    """Wind- and slope-independent part of the chain (same-shape 1-D/ND arrays)."""
    shape = fuel_number.shape
    t = FUEL_TABLE
    idx = np.clip(fuel_number, 0, 255)
    depth = t["depth"][idx]
    mx_dead = t["mx_dead"][idx]
    hd = t["heat_dead"][idx]
    hl = t["heat_live"][idx]
    burnable = t["burnable"][idx] & (fuel_number >= 0) & (fuel_number <= 255)

    # --- particles: dead [1h, 10h, 100h, cured herb], live [herb, woody]
    zeros = np.zeros(shape)
    w_dead = np.stack([t["w1"][idx], t["w10"][idx], t["w100"][idx], zeros], axis=-1)
    w_live = np.stack([t["wherb"][idx], t["wwoody"][idx]], axis=-1)
    s_dead = np.stack(
        [t["s1"][idx], np.full(shape, _SAVR_10H), np.full(shape, _SAVR_100H), t["sherb"][idx]],
        axis=-1,
    )
    s_live = np.stack([t["sherb"][idx], t["swoody"][idx]], axis=-1)
    mo_dead = np.stack([m1, m10, m100, m1], axis=-1)
    mo_live = np.stack([mherb, mwoody], axis=-1)

    has_live = w_live.sum(axis=-1) > 0.0  # counted before the dynamic transfer (Behave)

    # --- dynamic load transfer (S&B40): cured herb -> dead class 3
    dyn = t["dynamic"][idx]
    herb = w_live[..., 0]
    cured = np.where(
        mherb < 0.30, herb, np.where(mherb <= 1.20, herb * (1.333 - 1.11 * mherb), 0.0)
    )
    cured = np.where(dyn, cured, 0.0)
    w_dead[..., 3] = cured
    w_live[..., 0] = herb - cured

    # --- surface areas and weights (Albini 1976)
    a_dead = w_dead * s_dead / _PARTICLE_DENSITY
    a_live = w_live * s_live / _PARTICLE_DENSITY
    at_dead = a_dead.sum(axis=-1)
    at_live = a_live.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        f_dead = np.where(at_dead[..., None] > 1e-7, a_dead / at_dead[..., None], 0.0)
        f_live = np.where(at_live[..., None] > 1e-7, a_live / at_live[..., None], 0.0)
        at_sum = at_dead + at_live
        fi_dead = np.where(at_sum > 0.0, at_dead / np.where(at_sum > 0, at_sum, 1.0), 0.0)
    fi_live = 1.0 - fi_dead
    g_dead = _size_sorted_weights(f_dead, s_dead)
    g_live = _size_sorted_weights(f_live, s_live)

    # --- moisture of extinction
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        fine_w_dead = w_dead * np.exp(-138.0 / s_dead)
        fine_dead = fine_w_dead.sum(axis=-1)
        fine_dead_m = np.where(
            fine_dead > 1e-7, (fine_w_dead * mo_dead).sum(axis=-1) / fine_dead, 0.0
        )
        fine_live = (w_live * np.exp(-500.0 / s_live)).sum(axis=-1)
        ratio = np.where(fine_live > 1e-7, fine_dead / fine_live, 0.0)
        mx_live = 2.9 * ratio * (1.0 - fine_dead_m / mx_dead) - 0.226
    mx_live = np.where(has_live, np.maximum(mx_live, mx_dead), 0.0)

    # --- characteristic values
    wn_dead = w_dead * (1.0 - _TOTAL_SILICA)
    wn_live = w_live * (1.0 - _TOTAL_SILICA)
    heat_dead = (f_dead * hd[..., None]).sum(axis=-1)
    heat_live = (f_live * hl[..., None]).sum(axis=-1)
    sil_dead = f_dead.sum(axis=-1) * _EFFECTIVE_SILICA
    sil_live = f_live.sum(axis=-1) * _EFFECTIVE_SILICA
    mw_dead = (f_dead * mo_dead).sum(axis=-1)
    mw_live = (f_live * mo_live).sum(axis=-1)
    savr_dead = (f_dead * s_dead).sum(axis=-1)
    savr_live = (f_live * s_live).sum(axis=-1)
    wload_dead = (g_dead * wn_dead).sum(axis=-1)
    wload_live = (g_live * wn_live).sum(axis=-1)
    sigma = fi_dead * savr_dead + fi_live * savr_live

    total_load = w_dead.sum(axis=-1) + w_live.sum(axis=-1)
    safe_depth = np.where(depth > 0, depth, 1.0)
    bulk_density = total_load / safe_depth
    beta = total_load / (safe_depth * _PARTICLE_DENSITY)
    safe_sigma = np.where(sigma > 1e-7, sigma, 1.0)
    beta_op = 3.348 / safe_sigma**0.8189
    rel_beta = beta / beta_op

    # heat sink
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        qig_dead = (250.0 + 1116.0 * mo_dead) * np.exp(-138.0 / s_dead)
        qig_live = (250.0 + 1116.0 * mo_live) * np.exp(-138.0 / s_live)
    qig_dead = np.where(s_dead > 1e-7, qig_dead, 0.0)
    qig_live = np.where(s_live > 1e-7, qig_live, 0.0)
    heat_sink = bulk_density * (
        fi_dead * (f_dead * qig_dead).sum(axis=-1) + fi_live * (f_live * qig_live).sum(axis=-1)
    )

    prop_flux = np.where(
        sigma > 1e-7,
        np.exp((0.792 + 0.681 * np.sqrt(safe_sigma)) * (beta + 0.1))
        / (192.0 + 0.2595 * safe_sigma),
        0.0,
    )

    # --- reaction intensity
    aa = 133.0 / safe_sigma**0.7913
    s15 = safe_sigma**1.5
    gamma_max = s15 / (495.0 + 0.0594 * s15)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gamma = gamma_max * rel_beta**aa * np.exp(aa * (1.0 - rel_beta))

    def eta_m(mw: np.ndarray, mx: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(mx > 0.0, mw / np.where(mx > 0, mx, 1.0), 1.0)
        e = 1.0 - 2.59 * r + 5.11 * r * r - 3.52 * r**3
        return np.where((mw >= mx) | (r > 1.0), 0.0, e)

    def eta_s(sil: np.ndarray) -> np.ndarray:
        den = np.power(np.maximum(sil, 0.0), 0.19)
        with np.errstate(divide="ignore"):
            e = np.where(den < 1e-6, 0.0, 0.174 / np.where(den < 1e-6, 1.0, den))
        return np.minimum(e, 1.0)

    ir_dead = gamma * wload_dead * heat_dead * eta_m(mw_dead, mx_dead) * eta_s(sil_dead)
    ir_live = gamma * wload_live * heat_live * eta_m(mw_live, mx_live) * eta_s(sil_live)
    ir = ir_dead + ir_live

    r0 = np.where(
        heat_sink < 1e-7, 0.0, ir * prop_flux / np.where(heat_sink < 1e-7, 1.0, heat_sink)
    )
    wind_c = 7.47 * np.exp(-0.133 * safe_sigma**0.55)
    wind_b = 0.02526 * safe_sigma**0.54
    wind_e = 0.715 * np.exp(-0.000359 * safe_sigma)
    burnable = burnable & (r0 >= 0)
    return {
        "depth": depth, "burnable": burnable, "sigma": sigma, "beta": beta,
        "rel_beta": np.where(burnable, rel_beta, 1.0), "bulk_density": bulk_density, "ir": ir,
        "ir_dead": ir_dead, "ir_live": ir_live, "prop_flux": prop_flux, "heat_sink": heat_sink,
        "r0": np.where(burnable, np.nan_to_num(r0), 0.0), "wind_b": wind_b, "wind_c": wind_c,
        "wind_e": wind_e, "mx_dead": mx_dead, "mx_live": mx_live, "mw_dead": mw_dead,
        "mw_live": mw_live,
    }  # fmt: skip


def _rothermel_kernel(
    fuel_number: np.ndarray,
    m1: np.ndarray,
    m10: np.ndarray,
    m100: np.ndarray,
    mherb: np.ndarray,
    mwoody: np.ndarray,
    wind_ft_min: np.ndarray,
    wind_dir_deg: np.ndarray,
    slope_tan: np.ndarray,
    wind_limit: bool = False,
) -> dict[str, np.ndarray]:
    """Behave's surface-fire chain on broadcast arrays (imperial units).

    Moisture as fractions, wind = midflame wind (ft/min) blowing towards
    ``wind_dir_deg`` clockwise from upslope; slope as tan(angle).
    Returns a dict of arrays (ft/min, Btu/ft2/min, Btu/ft/s, ft, deg ...).
    """
    fuel_number, m1, m10, m100, mherb, mwoody, wind, wdir, slope_tan = np.broadcast_arrays(
        np.asarray(fuel_number, dtype=np.int64),
        *(np.asarray(a, dtype=float) for a in (m1, m10, m100, mherb, mwoody)),
        np.asarray(wind_ft_min, dtype=float),
        np.asarray(wind_dir_deg, dtype=float),
        np.asarray(slope_tan, dtype=float),
    )
    shape = fuel_number.shape
    moist = (m1, m10, m100, mherb, mwoody)
    if fuel_number.size > 64 and all(np.ptp(a) == 0.0 for a in moist):
        # Uniform moisture: evaluate the fuel bed once per distinct fuel model.
        uniq, inv = np.unique(fuel_number, return_inverse=True)
        fb_u = _fuelbed(uniq, *(np.full(uniq.shape, a.flat[0]) for a in moist))
        inv = inv.reshape(shape)
        fb = {k: v[inv] for k, v in fb_u.items()}
    else:
        fb = _fuelbed(fuel_number, m1, m10, m100, mherb, mwoody)
    burnable = fb["burnable"]
    r0, ir, beta, rel_beta = fb["r0"], fb["ir"], fb["beta"], fb["rel_beta"]
    wind_b, wind_c, wind_e, sigma = fb["wind_b"], fb["wind_c"], fb["wind_e"], fb["sigma"]
    safe_sigma = np.where(sigma > 1e-7, sigma, 1.0)
    ir_dead, ir_live, prop_flux, heat_sink = (
        fb["ir_dead"],
        fb["ir_live"],
        fb["prop_flux"],
        fb["heat_sink"],
    )
    bulk_density, mx_dead, mx_live = fb["bulk_density"], fb["mx_dead"], fb["mx_live"]
    mw_dead, mw_live = fb["mw_dead"], fb["mw_live"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        phi_w = np.where(
            wind < 1e-7,
            0.0,
            np.power(np.maximum(wind, 0.0), wind_b) * wind_c * rel_beta ** (-wind_e),
        )
        phi_s = 5.275 * np.where(beta > 0, beta, 1.0) ** (-0.3) * slope_tan**2
    limit = 0.9 * ir
    phi_s = np.where((phi_s > 0) & (phi_s > limit) & wind_limit, limit, phi_s)

    wrad = np.deg2rad(wdir)
    slope_rate = r0 * phi_s
    wind_rate = r0 * phi_w
    x = slope_rate + wind_rate * np.cos(wrad)
    y = wind_rate * np.sin(wrad)
    ros = r0 + np.hypot(x, y)
    az = np.rad2deg(np.arctan2(y, x))
    az = np.where(az < -1e-20, az + 360.0, az)
    az = np.where(np.abs(az) < 0.5, 0.0, az)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        phi_e = np.where(r0 > 0, ros / np.where(r0 > 0, r0, 1.0) - 1.0, 0.0)
        u_eff = np.where(
            phi_e > 0,
            np.power(np.maximum(phi_e, 0.0) * rel_beta**wind_e / wind_c, 1.0 / wind_b),
            0.0,
        )
    limited = np.zeros(shape, dtype=bool)
    if wind_limit:
        limited = (u_eff > limit) & (r0 > 0)
        u_eff = np.where(limited, limit, u_eff)
        with np.errstate(over="ignore", invalid="ignore"):
            ros = np.where(
                limited, r0 * (1.0 + wind_c * limit**wind_b * rel_beta ** (-wind_e)), ros
            )

    u_eff_mph = u_eff / FT_MIN_PER_MPH
    lw = length_to_width_ratio(u_eff_mph)
    lw = np.asarray(lw, dtype=float)
    ecc = np.sqrt(np.maximum(lw * lw - 1.0, 0.0)) / lw
    back = ros * (1.0 - ecc) / (1.0 + ecc)
    flank = (ros + back) / (2.0 * lw)
    t_r = np.where(sigma > 1e-7, 384.0 / safe_sigma, 0.0)
    hpa = ir * t_r
    ib = ros * ir * t_r / 60.0
    ib_back = back * ir * t_r / 60.0
    ib_flank = flank * ir * t_r / 60.0

    def flame(i: np.ndarray) -> np.ndarray:
        return np.where(i < 1e-7, 0.0, 0.45 * np.power(np.maximum(i, 0.0), 0.46))

    out = {
        "ros": ros,
        "backing_ros": back,
        "flanking_ros": flank,
        "no_wind_no_slope_ros": r0,
        "reaction_intensity": ir,
        "reaction_intensity_dead": ir_dead,
        "reaction_intensity_live": ir_live,
        "propagating_flux": prop_flux,
        "heat_sink": heat_sink,
        "phi_w": phi_w,
        "phi_s": phi_s,
        "effective_wind": u_eff,
        "wind_limit": limit,
        "wind_limit_exceeded": limited,
        "direction_of_max_spread": az,
        "lw_ratio": lw,
        "eccentricity": ecc,
        "residence_time": t_r,
        "heat_per_unit_area": hpa,
        "fireline_intensity": ib,
        "backing_fireline_intensity": ib_back,
        "flanking_fireline_intensity": ib_flank,
        "flame_length": flame(ib),
        "backing_flame_length": flame(ib_back),
        "flanking_flame_length": flame(ib_flank),
        "sigma": sigma,
        "packing_ratio": beta,
        "relative_packing_ratio": rel_beta,
        "bulk_density": bulk_density,
        "mx_dead": mx_dead,
        "mx_live": mx_live,
        "moisture_dead": mw_dead,
        "moisture_live": mw_live,
    }
    # Non-burnable / zero-load cells: everything zero except LW = 1.
    for k, v in out.items():
        if v.dtype == bool:
            out[k] = v & burnable
        elif k == "lw_ratio":
            out[k] = np.where(burnable, v, 1.0)
        else:
            out[k] = np.where(burnable, v, 0.0)
    out["burnable"] = burnable
    return out


# ---------------------------------------------------------------------------
# Single-point API


@dataclass(frozen=True, slots=True)
class SurfaceFireResult:
    """Surface fire behaviour at one point (SI first, Behave imperial second).

    Spread rates are in the direction of maximum spread unless noted.  Direction
    of maximum spread is in degrees clockwise from upslope.
    """

    fuel_code: str
    ros_m_min: float
    ros_ch_h: float
    ros_ft_min: float
    backing_ros_m_min: float
    flanking_ros_m_min: float
    ros_in_direction_m_min: float
    direction_of_max_spread_deg: float
    reaction_intensity_kw_m2: float
    reaction_intensity_btu_ft2_min: float
    fireline_intensity_kw_m: float
    fireline_intensity_btu_ft_s: float
    flame_length_m: float
    flame_length_ft: float
    heat_per_unit_area_kj_m2: float
    heat_per_unit_area_btu_ft2: float
    residence_time_min: float
    effective_wind_m_s: float
    effective_wind_mph: float
    midflame_wind_m_s: float
    lw_ratio: float
    eccentricity: float
    phi_w: float
    phi_s: float
    no_wind_no_slope_ros_m_min: float
    mx_dead_pct: float
    mx_live_pct: float
    characteristic_savr_ft: float
    wind_limit_exceeded: bool

    @property
    def reaction_intensity(self) -> float:
        """Reaction intensity (kW/m^2)."""
        return self.reaction_intensity_kw_m2

    def to_dict(self) -> dict[str, Any]:
        """Plain dict of all fields (JSON-serialisable)."""
        return asdict(self)


def surface_fire_imperial(
    fuel: str | int | FuelModel,
    moisture: Moisture,
    midflame_wind_ft_min: float,
    wind_dir_deg_from_upslope: float = 0.0,
    slope_pct: float = 0.0,
    *,
    wind_limit: bool = False,
) -> dict[str, float]:
    """Behave surface run in Behave base units (ft/min, Btu, ft, lb).

    Args:
        fuel: Fuel model code/number.
        moisture: Fuel moistures (percent).
        midflame_wind_ft_min: Midflame wind speed (ft/min).
        wind_dir_deg_from_upslope: Direction the wind blows towards, degrees
            clockwise from upslope (0 = upslope wind).
        slope_pct: Slope steepness (percent).
        wind_limit: Apply Rothermel's effective wind limit (0.9 I_R).

    Returns:
        Dict of scalar floats keyed as in the internal kernel.
    """
    fm = get_fuel_model(fuel)
    m = moisture.fractions()
    r = _rothermel_core(
        np.array(fm.number), *m, midflame_wind_ft_min, wind_dir_deg_from_upslope,
        slope_pct / 100.0, wind_limit,
    )  # fmt: skip
    return {k: (bool(v) if v.dtype == bool else float(v)) for k, v in r.items()}


def _ros_at_angle_from_perimeter(ros: float, back: float, flank: float, beta_deg: float) -> float:
    """Catchpole et al. (1982) ROS normal to the perimeter (Behave FromPerimeter)."""
    rad = math.radians(beta_deg)
    f = (ros + back) / 2.0
    g = ros - f
    return g * math.cos(rad) + math.sqrt(
        f * f * math.cos(rad) ** 2 + flank * flank * math.sin(rad) ** 2
    )


def surface_fire(
    fuel: str | int | FuelModel,
    moisture: Moisture,
    midflame_wind_m_s: float,
    wind_dir_deg_from_upslope: float = 0.0,
    slope_pct: float = 0.0,
    *,
    wind_limit: bool = False,
    direction_of_interest_deg: float | None = None,
) -> SurfaceFireResult:
    """Rothermel/Behave surface fire behaviour in SI units.

    Args:
        fuel: Fuel model code ("FM4", "GS4", ...) or Behave number.
        moisture: Fuel moistures in percent.
        midflame_wind_m_s: Midflame wind speed (m/s).  Convert a 10-m or 20-ft
            forecast wind with :func:`wind_adjustment_factor` first.
        wind_dir_deg_from_upslope: Direction the wind blows towards, degrees
            clockwise from upslope (0 = wind pushing the fire upslope).
        slope_pct: Slope steepness (percent; 100 % = 45 degrees).
        wind_limit: Apply the Rothermel wind limit (off by default, as in Behave).
        direction_of_interest_deg: If given, ``ros_in_direction_m_min`` is the
            ellipse rate from the ignition point in this direction (degrees
            clockwise from upslope; Behave ``FromIgnitionPoint`` mode);
            otherwise it equals the head rate.

    Returns:
        A :class:`SurfaceFireResult`.
    """
    fm = get_fuel_model(fuel)
    wind_ft_min = float(midflame_wind_m_s) * FT_MIN_PER_M_S
    r = surface_fire_imperial(
        fm, moisture, wind_ft_min, wind_dir_deg_from_upslope, slope_pct, wind_limit=wind_limit
    )
    ros = r["ros"]
    ros_dir = ros
    if direction_of_interest_deg is not None and ros > 0:
        beta = abs(r["direction_of_max_spread"] - (direction_of_interest_deg % 360.0))
        if beta > 180.0:
            beta = 360.0 - beta
        e = r["eccentricity"]
        ros_dir = ros * (1.0 - e) / (1.0 - e * math.cos(math.radians(beta)))
    return SurfaceFireResult(
        fuel_code=fm.code,
        ros_m_min=ros * M_PER_FT,
        ros_ch_h=ros / FT_MIN_PER_CH_H,
        ros_ft_min=ros,
        backing_ros_m_min=r["backing_ros"] * M_PER_FT,
        flanking_ros_m_min=r["flanking_ros"] * M_PER_FT,
        ros_in_direction_m_min=ros_dir * M_PER_FT,
        direction_of_max_spread_deg=r["direction_of_max_spread"],
        reaction_intensity_kw_m2=r["reaction_intensity"] * KJ_M2_PER_BTU_FT2 / 60.0,
        reaction_intensity_btu_ft2_min=r["reaction_intensity"],
        fireline_intensity_kw_m=r["fireline_intensity"] * KW_M_PER_BTU_FT_S,
        fireline_intensity_btu_ft_s=r["fireline_intensity"],
        flame_length_m=r["flame_length"] * M_PER_FT,
        flame_length_ft=r["flame_length"],
        heat_per_unit_area_kj_m2=r["heat_per_unit_area"] * KJ_M2_PER_BTU_FT2,
        heat_per_unit_area_btu_ft2=r["heat_per_unit_area"],
        residence_time_min=r["residence_time"],
        effective_wind_m_s=r["effective_wind"] / FT_MIN_PER_M_S,
        effective_wind_mph=r["effective_wind"] / FT_MIN_PER_MPH,
        midflame_wind_m_s=float(midflame_wind_m_s),
        lw_ratio=r["lw_ratio"],
        eccentricity=r["eccentricity"],
        phi_w=r["phi_w"],
        phi_s=r["phi_s"],
        no_wind_no_slope_ros_m_min=r["no_wind_no_slope_ros"] * M_PER_FT,
        mx_dead_pct=r["mx_dead"] * 100.0,
        mx_live_pct=r["mx_live"] * 100.0,
        characteristic_savr_ft=r["sigma"],
        wind_limit_exceeded=bool(r["wind_limit_exceeded"]),
    )


def calc_fire_ros(
    fuel: str | int,
    m1h: float,
    m10h: float,
    m100h: float,
    m_live_herb: float = 100.0,
    m_live_woody: float = 100.0,
    midflame_wind_m_s: float = 0.0,
    slope_pct: float = 0.0,
    wind_dir_deg_from_upslope: float = 0.0,
    wind_limit: bool = False,
    **_cli_extras: Any,
) -> dict[str, Any]:
    """Back end of ``jmsim calc fire-ros`` (argparse dest names, snake_case).

    Example CLI: ``jmsim calc fire-ros --fuel FM4 --m1h 6 --m10h 7 --m100h 8
    --m-live-herb 60 --m-live-woody 90 --midflame-wind-m-s 2.2352 --slope-pct 0 --json``.

    Args:
        fuel: Fuel model code or Behave number.
        m1h: 1-h dead moisture (%).
        m10h: 10-h dead moisture (%).
        m100h: 100-h dead moisture (%).
        m_live_herb: Live herbaceous moisture (%).
        m_live_woody: Live woody moisture (%).
        midflame_wind_m_s: Midflame wind (m/s).
        slope_pct: Slope (%).
        wind_dir_deg_from_upslope: Wind heading, degrees clockwise from upslope.
        wind_limit: Apply the Rothermel wind limit.
        **_cli_extras: Other argparse attributes (``json``, ``func`` ...), ignored.

    Returns:
        JSON-ready dict; always has ``ros_m_min``, ``fireline_intensity_kw_m``,
        ``flame_length_m`` plus the rest of :class:`SurfaceFireResult` and the inputs.
    """
    res = surface_fire(
        fuel,
        Moisture(m1h, m10h, m100h, m_live_herb, m_live_woody),
        midflame_wind_m_s,
        wind_dir_deg_from_upslope,
        slope_pct,
        wind_limit=wind_limit,
    )
    out = res.to_dict()
    out["inputs"] = {
        "fuel": str(fuel),
        "m1h": m1h,
        "m10h": m10h,
        "m100h": m100h,
        "m_live_herb": m_live_herb,
        "m_live_woody": m_live_woody,
        "midflame_wind_m_s": midflame_wind_m_s,
        "slope_pct": slope_pct,
        "wind_dir_deg_from_upslope": wind_dir_deg_from_upslope,
        "wind_limit": wind_limit,
    }
    out["model"] = "Rothermel (1972) / Albini (1976) as in USFS Behave; surface fire only"
    return out


# ---------------------------------------------------------------------------
# Vectorised API


@dataclass(frozen=True, slots=True)
class SurfaceFireArrays:
    """Vectorised surface fire results (numpy arrays, SI units).

    Attributes:
        ros_m_min: Head rate of spread (m/min).
        backing_ros_m_min: Backing rate (m/min).
        flanking_ros_m_min: Flanking rate (m/min).
        direction_of_max_spread_deg: Head direction, degrees clockwise from upslope.
        eccentricity: Fire ellipse eccentricity.
        lw_ratio: Length-to-width ratio.
        fireline_intensity_kw_m: Head Byram intensity (kW/m).
        flame_length_m: Head flame length (m).
        reaction_intensity_kw_m2: Reaction intensity (kW/m^2).
        heat_per_unit_area_kj_m2: Heat per unit area (kJ/m^2).
        effective_wind_m_s: Effective wind speed (m/s).
        burnable: Cells with a burnable fuel model.
    """

    ros_m_min: np.ndarray
    backing_ros_m_min: np.ndarray
    flanking_ros_m_min: np.ndarray
    direction_of_max_spread_deg: np.ndarray
    eccentricity: np.ndarray
    lw_ratio: np.ndarray
    fireline_intensity_kw_m: np.ndarray
    flame_length_m: np.ndarray
    reaction_intensity_kw_m2: np.ndarray
    heat_per_unit_area_kj_m2: np.ndarray
    effective_wind_m_s: np.ndarray
    burnable: np.ndarray


def surface_fire_arrays(
    fuel_number: Any,
    m1h: Any,
    m10h: Any,
    m100h: Any,
    m_live_herb: Any,
    m_live_woody: Any,
    midflame_wind_m_s: Any,
    wind_dir_deg_from_upslope: Any = 0.0,
    slope_pct: Any = 0.0,
    *,
    wind_limit: bool = False,
) -> SurfaceFireArrays:
    """Vectorised Behave surface fire over broadcastable arrays.

    Args:
        fuel_number: Integer array of Behave fuel-model numbers (0 or 91-99 =
            non-burnable).  Use :func:`~scenarios.forestfire.fuel_models.get_fuel_model`
            to translate codes.
        m1h: 1-h moisture (%), scalar or array.
        m10h: 10-h moisture (%).
        m100h: 100-h moisture (%).
        m_live_herb: Live herbaceous moisture (%).
        m_live_woody: Live woody moisture (%).
        midflame_wind_m_s: Midflame wind (m/s).
        wind_dir_deg_from_upslope: Wind heading, degrees clockwise from upslope.
        slope_pct: Slope (%).
        wind_limit: Apply the Rothermel wind limit.

    Returns:
        :class:`SurfaceFireArrays` with arrays of the broadcast shape.
    """
    r = _rothermel_core(
        np.asarray(fuel_number),
        np.asarray(m1h, dtype=float) / 100.0,
        np.asarray(m10h, dtype=float) / 100.0,
        np.asarray(m100h, dtype=float) / 100.0,
        np.asarray(m_live_herb, dtype=float) / 100.0,
        np.asarray(m_live_woody, dtype=float) / 100.0,
        np.asarray(midflame_wind_m_s, dtype=float) * FT_MIN_PER_M_S,
        wind_dir_deg_from_upslope,
        np.asarray(slope_pct, dtype=float) / 100.0,
        wind_limit,
    )
    return SurfaceFireArrays(
        ros_m_min=r["ros"] * M_PER_FT,
        backing_ros_m_min=r["backing_ros"] * M_PER_FT,
        flanking_ros_m_min=r["flanking_ros"] * M_PER_FT,
        direction_of_max_spread_deg=r["direction_of_max_spread"],
        eccentricity=r["eccentricity"],
        lw_ratio=r["lw_ratio"],
        fireline_intensity_kw_m=r["fireline_intensity"] * KW_M_PER_BTU_FT_S,
        flame_length_m=r["flame_length"] * M_PER_FT,
        reaction_intensity_kw_m2=r["reaction_intensity"] * KJ_M2_PER_BTU_FT2 / 60.0,
        heat_per_unit_area_kj_m2=r["heat_per_unit_area"] * KJ_M2_PER_BTU_FT2,
        effective_wind_m_s=r["effective_wind"] / FT_MIN_PER_M_S,
        burnable=r["burnable"],
    )
