"""Natech: storage tanks at chemical parks failing in flood water or storm wind, and the release.

Flood failure (Landucci et al. 2012, "Release of hazardous substances in flood events:
damage model for atmospheric storage tanks", *Reliab. Eng. Syst. Saf.* 106:200-210):
an unanchored atmospheric tank floats off its foundation (and its connections rupture)
when buoyancy of the displaced flood water exceeds the weight of shell and contents,
i.e. at the critical flood height

    h_crit = m_shell / (rho_w A) + (rho_L / rho_w) phi H,     A = pi D^2 / 4

(phi = filling fraction, H = tank height). Uncertainty in filling and mass makes a
lognormal fragility P(fail | h) = Phi(ln(h / h_crit) / beta) (beta is a scenario setting,
*illustrative*). Flood velocity (drag, sliding) is not modelled: the world has no velocity.

Wind failure: lognormal fragility on the peak 1-min wind with a scenario median and beta
(*illustrative*; no published fragility for South-China tank farms was found offline).

Each tank draws one uniform at the start (common random numbers): it fails the first tick
its fragility at the peak demand so far exceeds the draw, so raising thresholds can only
remove failures. A failure releases at a fixed rate until the inventory is spent; the
concentration is the chemical plug-in's steady Gaussian plume (Briggs rural sigmas, class D
for these wind speeds, Pasquill 1961) along the storm's own wind at the tank, recomputed
every tick: quasi-steady, as in storm winds (>10 m/s) the gas crosses the 20-30 km of
interest within about one tick, so a puff history adds nothing. Validity: flat terrain,
uniform wind over the plume, no dense-gas slumping, no rain-out or deposition.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import norm

from scenarios.chemical.chemicals import get_chemical
from scenarios.chemical.dispersion import plume_concentration

RHO_WATER = 1000.0


def flotation_height_m(
    diameter_m: float, height_m: float, shell_mass_kg: float, fill: float, liquid_density: float
) -> float:
    """Critical flood height for flotation of an unanchored tank (Landucci et al. 2012)."""
    area = math.pi * diameter_m**2 / 4.0
    return shell_mass_kg / (RHO_WATER * area) + liquid_density / RHO_WATER * fill * height_m


def lognormal_fragility(demand: np.ndarray | float, median: float, beta: float) -> np.ndarray:
    """P(fail) = Phi(ln(demand / median) / beta); 0 for zero demand."""
    d = np.asarray(demand, float)
    with np.errstate(divide="ignore"):
        return np.where(d > 0, norm.cdf(np.log(np.fmax(d, 1e-12) / median) / beta), 0.0)


def wind_from_deg(u: float, v: float) -> float:
    """Meteorological direction (deg) the wind blows from, for east/north components."""
    return math.degrees(math.atan2(-u, -v)) % 360.0


class NatechModel:
    """Tanks, their failure draws, and the puff cloud of failed tanks."""

    def __init__(self, tanks, grid, rng) -> None:
        self.tanks = list(tanks)
        self.grid = grid
        n = len(self.tanks)
        from sim.geo import to_utm

        xy = [to_utm(t.lat, t.lon) for t in self.tanks]
        self.x = np.array([p[0] for p in xy], float)
        self.y = np.array([p[1] for p in xy], float)
        self.rc = grid.index_xy(self.x, self.y) if n else (np.zeros(0, int), np.zeros(0, int))
        self.h_crit = np.array(
            [
                flotation_height_m(
                    t.diameter_m,
                    t.height_m,
                    t.shell_mass_kg,
                    t.fill_fraction,
                    t.liquid_density_kg_m3,
                )
                for t in self.tanks
            ]
        )
        self.u = rng.random(n)
        self.failed = np.zeros(n, bool)
        self.released_kg = np.zeros(n)
        self.peak_depth = np.zeros(n)
        self.peak_wind = np.zeros(n)
        self.rate_now = np.zeros(n)
        self.wind_now = np.zeros((n, 2))

    def failures(self, depth_m: np.ndarray, wind_m_s: np.ndarray) -> list[tuple[int, str, float]]:
        """Tanks failing now given flood depth per tank and the wind grid: (index, cause, p)."""
        if not self.tanks:
            return []
        r, c = self.rc
        np.fmax(self.peak_depth, depth_m, out=self.peak_depth)
        np.fmax(self.peak_wind, wind_m_s[r, c], out=self.peak_wind)
        out = []
        for k, t in enumerate(self.tanks):
            if self.failed[k]:
                continue
            pf = float(lognormal_fragility(self.peak_depth[k], self.h_crit[k], t.flood_beta))
            pw = float(lognormal_fragility(self.peak_wind[k], t.wind_median_m_s, t.wind_beta))
            if max(pf, pw) > self.u[k]:
                self.failed[k] = True
                out.append((k, "flood_flotation" if pf >= pw else "wind", max(pf, pw)))
        return out

    def release(self, dt_s: float, u_grid: np.ndarray, v_grid: np.ndarray) -> None:
        """This tick's release rate of every failed tank and the storm wind at it."""
        r, c = self.rc
        for k, t in enumerate(self.tanks):
            self.wind_now[k] = (float(u_grid[r[k], c[k]]), float(v_grid[r[k], c[k]]))
            left = t.inventory_kg - self.released_kg[k]
            rate = min(t.release_rate_kg_s, left / dt_s) if self.failed[k] and left > 0 else 0.0
            self.rate_now[k] = rate
            self.released_kg[k] += rate * dt_s

    def ppm_at(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Highest concentration (ppm, 25 degC conversion) of any releasing tank at points."""
        x_m = np.asarray(x_m, float)
        y_m = np.asarray(y_m, float)
        out = np.zeros(x_m.size)
        for k, t in enumerate(self.tanks):
            if self.rate_now[k] <= 0:
                continue
            u, v = self.wind_now[k]
            speed = max(math.hypot(u, v), 1.0)
            ex, ey = (u / speed, v / speed) if math.hypot(u, v) > 0 else (1.0, 0.0)
            dx, dy = x_m - self.x[k], y_m - self.y[k]
            down = dx * ex + dy * ey
            cross = -dx * ey + dy * ex
            kg_m3 = plume_concentration(self.rate_now[k], speed, "D", down, cross)
            out = np.fmax(out, get_chemical(t.chemical).mg_m3_to_ppm(kg_m3 * 1e6))
        return out

    def aegl_ppm(self, k: int, tier: int) -> float:
        """60-min AEGL of tank ``k``'s chemical for ``tier`` (ppm; inf if not listed)."""
        v = get_chemical(self.tanks[k].chemical).aegl(tier, 60)
        return float("inf") if v is None else float(v)
