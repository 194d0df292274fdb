"""Natech: storage tanks at chemical parks failing in flood water or storm wind, and the release.

Flood failure (Landucci et al. 2012, "Release of hazardous substances in flood events:
damage model for atmospheric storage tanks", *Reliab. Eng. Syst. Saf.* 106:200-210):
an unanchored atmospheric tank floats off its foundation (and its connections rupture)
when buoyancy of the displaced flood water exceeds the weight of shell and contents,
i.e. at the critical flood height

    h_crit = m_shell / (rho_w A) + (rho_L / rho_w) phi H,     A = pi D^2 / 4

(phi = filling fraction, H = tank height). Uncertainty in filling and mass makes a
lognormal fragility P(fail | h) = Phi(ln(h / h_crit) / beta) (beta is a scenario setting,
*illustrative*).

Flood velocity (sliding). Landucci et al. (2012) and Khakzad & van Gelder (2017, *Process
Saf. Environ. Prot.* 111:75-84) also treat the drag of moving water, but neither paper's
velocity model or coefficients could be read offline (only abstracts are in the search
corpus). The cited alternative used here is the same limit state built from design-code
loads: the tank slides off its foundation when the hydrodynamic drag exceeds the base
friction of its net weight,

    F_D = 1/2 C_d rho_w v^2 D h  >  mu g (m_shell + m_liquid - rho_w A h),

with the drag equation and C_d = 1.2 for round bodies of FEMA P-55 *Coastal Construction
Manual* (4th ed., 2011, eq. 8.8; ASCE 7 sec. 5.4.3 refers to it) and a steel-on-concrete
friction coefficient mu = 0.5 (*illustrative*). The critical velocity at depth h is
v_crit = sqrt(2 mu g (m - rho_w A h) / (C_d rho_w D h)) (0 once the tank floats), and
P(slide | v, h) = Phi(ln(v / v_crit) / beta). The world's floods carry no velocity, so
the velocity at a tank is the design-flood velocity bound of the ASCE 7 commentary
(C5.4.3: V = d / (1 s) lower bound, V = sqrt(g d) upper bound; which one is a scenario
setting, ``hydrology.flood_velocity``).

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
G = 9.81
CD_ROUND = 1.2  # FEMA P-55 (2011) eq. 8.8: round piles
MU_STEEL_CONCRETE = 0.5  # ILLUSTRATIVE base friction of a steel tank bottom on concrete


def design_flood_velocity(depth_m: np.ndarray | float, bound: str) -> np.ndarray:
    """ASCE 7 commentary C5.4.3 design flood velocity (m/s): 'lower' d/(1 s), 'upper' sqrt(g d)."""
    d = np.fmax(np.asarray(depth_m, float), 0.0)
    if bound == "lower":
        return d / 1.0
    if bound == "upper":
        return np.sqrt(G * d)
    if bound == "none":
        return np.zeros_like(d)
    raise ValueError(f"flood velocity bound {bound!r}; expected 'lower', 'upper' or 'none'")


def drag_force_n(v_m_s, diameter_m: float, depth_m, cd: float = CD_ROUND) -> np.ndarray:
    """Hydrodynamic drag on the wetted frontal area D h (FEMA P-55 eq. 8.8), newtons."""
    v = np.asarray(v_m_s, float)
    return 0.5 * cd * RHO_WATER * v**2 * diameter_m * np.asarray(depth_m, float)


def sliding_velocity_m_s(
    depth_m, diameter_m: float, mass_kg: float, mu: float = MU_STEEL_CONCRETE, cd: float = CD_ROUND
) -> np.ndarray:
    """Critical flow velocity for sliding at flood depth h (0 once buoyancy lifts the tank)."""
    h = np.fmax(np.asarray(depth_m, float), 1e-9)
    area = math.pi * diameter_m**2 / 4.0
    net = np.fmax(mass_kg - RHO_WATER * area * h, 0.0)
    return np.sqrt(2.0 * mu * G * net / (cd * RHO_WATER * diameter_m * h))


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

    def __init__(self, tanks, grid, rng, velocity: str = "none") -> None:
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
        self.velocity = velocity
        self.mass_kg = np.array(
            [
                t.shell_mass_kg
                + t.liquid_density_kg_m3
                * t.fill_fraction
                * t.height_m
                * math.pi
                * t.diameter_m**2
                / 4
                for t in self.tanks
            ]
        )
        self.u = rng.random(n)
        self.failed = np.zeros(n, bool)
        self.released_kg = np.zeros(n)
        self.peak_depth = np.zeros(n)
        self.peak_wind = np.zeros(n)
        self.peak_p_slide = np.zeros(n)
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
            ps = self.p_slide(k, float(depth_m[k]))
            pw = float(lognormal_fragility(self.peak_wind[k], t.wind_median_m_s, t.wind_beta))
            p, cause = max((pf, "flood_flotation"), (ps, "flood_sliding"), (pw, "wind"))
            if p > self.u[k]:
                self.failed[k] = True
                out.append((k, cause, p))
        return out

    def p_slide(self, k: int, depth_m: float) -> float:
        """P(sliding) of tank ``k`` in water ``depth_m`` deep at the design-flood velocity."""
        if self.velocity == "none" or depth_m <= 0:
            return 0.0
        t = self.tanks[k]
        v = float(design_flood_velocity(depth_m, self.velocity))
        vc = float(sliding_velocity_m_s(depth_m, t.diameter_m, self.mass_kg[k]))
        if vc <= 0:
            return 1.0 if v > 0 else 0.0
        p = float(lognormal_fragility(v, vc, t.flood_beta))
        self.peak_p_slide[k] = max(self.peak_p_slide[k], p)
        return self.peak_p_slide[k]

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
