"""Wind-driven failures of lifelines: power, mobile network and roads.

Each grid cell (or road edge) draws one uniform number u at the start of a run;
it fails once its fragility at the running peak wind exceeds u. Because the
fragility is monotone in the peak, the failure set only grows as the storm
strengthens, and the same seed gives the same failures whatever the response
plan does (common random numbers). Repairs start when the local wind falls
below a working limit and take a random time drawn at the start.

Mobile base stations have their own (higher) fragility and batteries: a cell
whose power has been out longer than `battery_h` loses mobile service too.

Validity limits (illustrative, not calibrated on Jiangmen outage records): one
lognormal fragility per system on the 1-min wind; no network topology (a
failed substation does not black out its feeders), no rain/flood failures of
equipment; landslides use wind as a proxy for rain intensity and a smoothed
5' DEM slope (see sim/world/pack/PROVENANCE.md), so slopes are under-estimated.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from scenarios.typhoon.params import Fragility, Outages, RoadDamage


def fragility(v_m_s: np.ndarray, f: Fragility) -> np.ndarray:
    """P(fail | v) = Phi(ln(v / median) / beta); 0 for v <= 0."""
    v = np.asarray(v_m_s, float)
    with np.errstate(divide="ignore"):
        z = np.log(np.where(v > 0, v, 1e-9) / f.median_m_s) / f.beta
    return np.where(v > 0, ndtr(z), 0.0)


class Lifelines:
    """Power and mobile status per grid cell (sea cells follow the nearest land cell)."""

    def __init__(self, shape: tuple[int, int], nearest_land: np.ndarray, p: Outages, rng) -> None:
        self.p = p
        self.nearest_land = nearest_land  # flat index of the nearest land cell, per cell
        self.u_power = rng.random(shape)
        self.u_mobile = rng.random(shape)
        self.power_repair_h = rng.uniform(*p.power_restore_h, shape)
        self.mobile_repair_h = rng.uniform(*p.mobile_restore_h, shape)
        self.power_down = np.zeros(shape, bool)
        self.power_done = np.zeros(shape, bool)
        self.power_since = np.full(shape, np.nan)
        self.mobile_damaged = np.zeros(shape, bool)
        self.mobile_done = np.zeros(shape, bool)
        self._mobile_ok = np.ones(shape, bool)
        self._peak_seen = np.zeros(shape)  # peak wind at the last fragility check, per cell
        self._power_ok: np.ndarray | None = None

    def update(self, t_min: float, dt_h: float, wind: np.ndarray, peak: np.ndarray) -> None:
        """Fail cells whose fragility at the peak wind exceeds their draw; repair in calm."""
        p = self.p
        # Only cells whose peak changed can newly fail: at an unchanged peak the last check
        # said no (or the cell is down or repaired already). Same result as checking every
        # cell each tick, for a fraction of the work (fragility is the tick's costliest part).
        changed = np.flatnonzero(peak != self._peak_seen)
        self._peak_seen = np.array(peak, dtype=float, copy=True)
        pk = peak.ravel()[changed]
        fail = np.zeros(self.power_down.shape, bool)
        fail.ravel()[changed] = fragility(pk, p.power) > self.u_power.ravel()[changed]
        fail &= ~self.power_down & ~self.power_done
        self.power_down |= fail
        np.copyto(self.power_since, t_min, where=fail)
        calm = wind < p.work_wind_m_s
        work = self.power_down & calm
        np.subtract(self.power_repair_h, dt_h, out=self.power_repair_h, where=work)
        fixed = work & (self.power_repair_h <= 0)
        self.power_down &= ~fixed
        self.power_done |= fixed
        np.copyto(self.power_since, np.nan, where=fixed)

        mf = np.zeros(self.power_down.shape, bool)
        mf.ravel()[changed] = fragility(pk, p.mobile) > self.u_mobile.ravel()[changed]
        mf &= ~self.mobile_damaged & ~self.mobile_done
        self.mobile_damaged |= mf
        mwork = self.mobile_damaged & calm
        np.subtract(self.mobile_repair_h, dt_h, out=self.mobile_repair_h, where=mwork)
        mfixed = mwork & (self.mobile_repair_h <= 0)
        self.mobile_damaged &= ~mfixed
        self.mobile_done |= mfixed
        # out of mobile service at a cell, then looked up once for every cell's nearest
        # land cell (the same as looking up each input first, with one gather, not three)
        with np.errstate(invalid="ignore"):
            battery_out = self.power_down & (t_min - self.power_since >= p.battery_h * 60.0)
        out = self.mobile_damaged | battery_out
        shape = self.power_down.shape
        self._mobile_ok = ~out.ravel()[self.nearest_land].reshape(shape)
        self._power_ok = ~self.power_down.ravel()[self.nearest_land].reshape(shape)
        self._power_ok.flags.writeable = False

    def power_ok_cells(self) -> np.ndarray:
        """Bool grid: power on (sea cells: nearest land cell); read-only, as of the last update."""
        if self._power_ok is None:
            return ~self.power_down.ravel()[self.nearest_land].reshape(self.power_down.shape)
        return self._power_ok

    def mobile_ok_cells(self) -> np.ndarray:
        """Bool grid: mobile service available."""
        return self._mobile_ok


class RoadDamageModel:
    """Fallen trees and landslides closing road edges, cleared after the wind drops."""

    def __init__(
        self,
        length_m: np.ndarray,
        tree_factor: np.ndarray,
        slope_deg: np.ndarray,
        p: RoadDamage,
        rng,
    ) -> None:
        self.p = p
        n = len(length_m)
        self.length_km = np.asarray(length_m, float) / 1000.0
        self.tree_factor = np.asarray(tree_factor, float)
        self.slope_factor = np.fmin((np.asarray(slope_deg, float) / p.slope_ref_deg) ** 2, 4.0)
        self.u = rng.random(n)
        self.clear_left_h = rng.uniform(*p.clear_h, n)
        self.cause_u = rng.random(n)
        self.closed = np.zeros(n, bool)
        self.done = np.zeros(n, bool)
        self._peak_seen = np.zeros(n)  # peak wind at the last check, per edge

    def p_closed(self, peak: np.ndarray) -> np.ndarray:
        """P(edge blocked at least once) = 1 - exp(-L (trees + landslides)) at the peak wind."""
        return self._p_closed_at(peak, slice(None))

    def _p_closed_at(self, peak: np.ndarray, idx) -> np.ndarray:
        """`p_closed` of edges `idx` (index array or slice) at their peak winds `peak`."""
        p = self.p
        h_tree = p.tree_per_km * self.tree_factor[idx] * fragility(peak, p.tree)
        h_slide = p.landslide_per_km * self.slope_factor[idx] * fragility(peak, p.landslide)
        return 1.0 - np.exp(-self.length_km[idx] * (h_tree + h_slide))

    def cause(self, peak: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """'fallen_trees' or 'landslide' for edges `idx`, in proportion to their hazards."""
        p = self.p
        h_tree = p.tree_per_km * self.tree_factor[idx] * fragility(peak[idx], p.tree)
        h_slide = p.landslide_per_km * self.slope_factor[idx] * fragility(peak[idx], p.landslide)
        share = h_tree / np.maximum(h_tree + h_slide, 1e-12)
        return np.where(self.cause_u[idx] < share, "fallen_trees", "landslide")

    def update(
        self, dt_h: float, wind: np.ndarray, peak: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Advance one tick; returns (newly closed, newly cleared) edge indices."""
        # only edges whose peak changed can newly close (see `Lifelines.update`)
        changed = np.flatnonzero(peak != self._peak_seen)
        self._peak_seen = np.array(peak, dtype=float, copy=True)
        hit = np.zeros(len(self.u), bool)
        hit[changed] = self._p_closed_at(peak[changed], changed) > self.u[changed]
        new = np.flatnonzero(hit & ~self.closed & ~self.done)
        self.closed[new] = True
        work = self.closed & (wind < self.p.work_wind_m_s)
        work[new] = False
        self.clear_left_h[work] -= dt_h
        cleared = np.flatnonzero(work & (self.clear_left_h <= 0))
        self.closed[cleared] = False
        self.done[cleared] = True
        return new, cleared
