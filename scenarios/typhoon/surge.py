"""Planning-level storm surge on coastal cells: inverse barometer + steady wind setup.

Components (both vectorised over coastal cells):
    * Inverse barometer: d_eta = (p_env - p(r)) / (rho_w g), i.e. about 0.99 cm/hPa
      (rho_w = 1025 kg/m^3, g = 9.81 m/s^2). p(r) is the Holland (1980) pressure profile
      p = p_c + dp exp(-(R_max/r)^B).
    * Wind setup over a shelf of constant depth h and width L, from the depth-integrated
      steady momentum balance d_eta/dx = n tau / (rho_w g (h + eta)) with surface stress
      tau = rho_a C_d U^2 (bottom-stress factor n, default 1). Linear form
      d_eta = n tau L / (rho_w g h); ``method="nonlinear"`` integrates the (h + eta) term:
      d_eta = sqrt(h^2 + 2 n tau L / (rho_w g)) - h. Only the onshore wind component
      counts (tau uses U * max(0, U.n_onshore)).
    * Drag coefficient: Garratt (1977) 10^3 C_d = 0.75 + 0.067 U10, or Large & Pond (1981)
      10^3 C_d = 1.2 (U < 11 m/s), 0.49 + 0.065 U (U >= 11); both capped at ``cd_max``
      (default 2.5e-3) because drag levels off in hurricane winds (Powell et al. 2003).

Validity limits: no bathymetry (one depth and one shelf width per cell, user supplied), no
Coriolis/Ekman setup, no wave setup, no resonance, no time lag (steady state), no
astronomical tide unless passed as ``tide_m``, no inundation routing over land. Expect
errors of a factor ~2; use for drill scenario scaling only, not for warnings.
"""

from __future__ import annotations

import numpy as np

RHO_WATER = 1025.0  # kg/m^3 sea water
RHO_AIR_SURFACE = 1.15  # kg/m^3, consistent with the wind model
G = 9.81  # m/s^2
CD_MAX = 2.5e-3


def inverse_barometer_m(dp_hpa: np.ndarray | float) -> np.ndarray:
    """Static sea-level rise (m) for a pressure deficit ``dp_hpa`` (0.994 cm/hPa)."""
    return np.asarray(dp_hpa, float) * 100.0 / (RHO_WATER * G)


def holland_pressure_hpa(
    r_km: np.ndarray, pc_hpa: float, penv_hpa: float, rmax_km: float, b: float
) -> np.ndarray:
    """Holland (1980) surface pressure p(r) = p_c + dp exp(-(R_max/r)^B) (hPa)."""
    r = np.fmax(np.asarray(r_km, float), 1e-3)
    return pc_hpa + (penv_hpa - pc_hpa) * np.exp(-((rmax_km / r) ** b))


def drag_coefficient(u10_m_s: np.ndarray | float, scheme: str = "garratt") -> np.ndarray:
    """Sea-surface drag coefficient C_d (Garratt 1977 or Large & Pond 1981), capped at 2.5e-3."""
    u = np.asarray(u10_m_s, float)
    if scheme == "garratt":
        cd = (0.75 + 0.067 * u) * 1e-3
    elif scheme == "large_pond":
        cd = np.where(u < 11.0, 1.2, 0.49 + 0.065 * u) * 1e-3
    else:
        raise ValueError(f"scheme={scheme!r}; expected 'garratt' or 'large_pond'")
    return np.fmin(cd, CD_MAX)


def wind_setup_m(
    u_m_s: np.ndarray,
    v_m_s: np.ndarray,
    onshore_east: np.ndarray | float,
    onshore_north: np.ndarray | float,
    depth_m: np.ndarray | float = 10.0,
    shelf_width_km: np.ndarray | float = 30.0,
    method: str = "linear",
    bottom_stress_factor: float = 1.0,
    scheme: str = "garratt",
) -> np.ndarray:
    """Steady wind setup (m) from the onshore wind component over a constant-depth shelf.

    ``onshore_east/north`` is a unit vector pointing from sea to land at each coastal cell.
    Depth and shelf width are planning assumptions, not bathymetry.
    """
    h = np.asarray(depth_m, float)
    length = np.asarray(shelf_width_km, float) * 1e3
    if np.any(h <= 0) or np.any(length <= 0):
        raise ValueError("depth_m and shelf_width_km must be > 0")
    u = np.asarray(u_m_s, float)
    v = np.asarray(v_m_s, float)
    speed = np.hypot(u, v)
    onshore = np.fmax(0.0, u * np.asarray(onshore_east) + v * np.asarray(onshore_north))
    tau = RHO_AIR_SURFACE * drag_coefficient(speed, scheme) * speed * onshore
    k = bottom_stress_factor * tau * length / (RHO_WATER * G)
    if method == "linear":
        return k / h
    if method == "nonlinear":
        return np.sqrt(h * h + 2.0 * k) - h
    raise ValueError(f"method={method!r}; expected 'linear' or 'nonlinear'")


def surge_m(
    dp_local_hpa: np.ndarray,
    u_m_s: np.ndarray,
    v_m_s: np.ndarray,
    onshore_east: np.ndarray | float,
    onshore_north: np.ndarray | float,
    depth_m: np.ndarray | float = 10.0,
    shelf_width_km: np.ndarray | float = 30.0,
    tide_m: np.ndarray | float = 0.0,
    **setup_kwargs,
) -> dict:
    """Total planning water level (m) = inverse barometer + wind setup + given tide.

    ``dp_local_hpa`` is p_env minus the local surface pressure at each coastal cell.
    """
    ib = inverse_barometer_m(dp_local_hpa)
    ws = wind_setup_m(
        u_m_s, v_m_s, onshore_east, onshore_north, depth_m, shelf_width_km, **setup_kwargs
    )
    return {"inverse_barometer_m": ib, "wind_setup_m": ws, "total_m": ib + ws + tide_m}
