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

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from scenarios.typhoon.params import Fragility, Outages, RoadDamage


def fragility(v_m_s: np.ndarray, f: Fragility) -> np.ndarray:
    """P(fail | v) = Phi(ln(v / median) / beta); 0 for v <= 0."""
    v = np.asarray(v_m_s, float)
    with np.errstate(divide="ignore"):
        z = np.log(np.where(v > 0, v, 1e-9) / f.median_m_s) / f.beta
    return np.where(v > 0, ndtr(z), 0.0)


#: Margin (in standard normal units) below a cell's failure threshold within which its
#: fragility is still evaluated exactly (see `failure_wind_below`).
Z_MARGIN = 1e-4
#: Draws whose threshold lies this far up the normal tail are always evaluated exactly:
#: there the fragility curve is too flat for the margin to outweigh rounding.
Z_EXACT_ABOVE = 5.0


def failure_wind_below(u: np.ndarray, f: Fragility) -> np.ndarray:
    """A wind (m/s) below which `fragility(v, f) > u` is certainly false, per draw `u`.

    `fragility` is monotone in v, so a cell with draw u fails exactly when v passes
    median * exp(beta * ndtri(u)). This returns that wind lowered by `Z_MARGIN` standard
    units (a relative margin of about beta * 1e-4, far above the ~1e-15 rounding of
    log/ndtr), and 0 where the margin cannot be trusted (u = 0, or ndtri(u) >
    `Z_EXACT_ABOVE`). Below it a cell cannot fail; at or above it the caller evaluates
    the fragility itself, so failures are the same as checking every cell.
    """
    z = ndtri(np.asarray(u, float))
    v = f.median_m_s * np.exp(f.beta * (z - Z_MARGIN))
    return np.where(z > Z_EXACT_ABOVE, 0.0, v)


@dataclass(frozen=True)
class LifelineTopology:
    """Which cells `Lifelines` models and which cells look each of them up.

    `live`: the cells that are some cell's nearest land cell (sorted flat indices);
    `lookers[lookers_at[c]:lookers_at[c + 1]]`: the cells whose nearest land cell is c.
    Depends on the world only, so a batch computes it once.
    """

    live: np.ndarray
    lookers: np.ndarray
    lookers_at: np.ndarray

    @classmethod
    def of(cls, nearest_land: np.ndarray) -> LifelineTopology:
        """The topology of a nearest-land-cell map (flat indices)."""
        near = np.asarray(nearest_land).ravel()
        lookers = np.argsort(near, kind="stable")
        at = np.searchsorted(near[lookers], np.arange(near.size + 1))
        live = near[lookers[at[:-1][at[1:] > at[:-1]]]]
        for a in (live, lookers, at):
            a.flags.writeable = False
        return cls(live, lookers, at)


_NO_CELLS = np.zeros(0, np.int64)


class Lifelines:
    """Power and mobile status per grid cell (sea cells follow the nearest land cell).

    Only cells that are some cell's nearest land cell are modelled (their state is all
    that `power_ok_cells`/`mobile_ok_cells` look up); the state arrays of other cells stay
    "up". Each tick checks only cells whose peak wind reached their failure threshold
    (`failure_wind_below`) and repairs only cells that are down, so a tick costs one
    comparison over the grid plus work on the few cells that change.
    """

    def __init__(
        self,
        shape: tuple[int, int],
        nearest_land: np.ndarray,
        p: Outages,
        rng,
        topology: LifelineTopology | None = None,
    ) -> None:
        """Draw each cell's failure draws and repair times.

        The repair hours still left on down cells are kept with the down cells, not in
        `power_repair_h` / `mobile_repair_h` (those stay the drawn times).
        """
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
        n = int(np.prod(shape))
        topo = LifelineTopology.of(nearest_land) if topology is None else topology
        live = topo.live
        self._thr_power = np.full(n, np.inf)
        self._thr_power[live] = failure_wind_below(self.u_power.ravel()[live], p.power)
        self._thr_mobile = np.full(n, np.inf)
        self._thr_mobile[live] = failure_wind_below(self.u_mobile.ravel()[live], p.mobile)
        self._thr = np.fmin(self._thr_power, self._thr_mobile)
        # cells with power down and damaged mobile stations: flat index, repair hours left,
        # (power) when it went down and whether the batteries have run out, aligned
        self._down = np.zeros(0, np.int64)
        self._down_left = np.zeros(0)
        self._down_since = np.zeros(0)
        self._down_battery = np.zeros(0, bool)
        self._mdown = np.zeros(0, np.int64)
        self._mdown_left = np.zeros(0)
        self._battery_out = np.zeros(n, bool)  # down cells whose batteries ran out
        self._out = np.zeros(n, bool)  # out of mobile service (damaged or battery out)
        self._n_out = 0
        # the cells that look up each cell (CSR): a changed cell updates only those
        self._lookers, self._lookers_at = topo.lookers, topo.lookers_at
        self._mobile_ok = np.ones(shape, bool)
        self._mobile_ok.flags.writeable = False
        self._power_ok = np.ones(shape, bool)
        self._power_ok.flags.writeable = False
        #: incremented whenever `power_ok_cells` or `mobile_ok_cells` changes
        self.version = 0
        self._checked = False  # whether `update` has checked failures at least once

    def modelled_counts(self) -> tuple[int, int]:
        """(cells with power down, cells out of mobile service) among the modelled cells."""
        return int(self._down.size), self._n_out

    def update(
        self,
        t_min: float,
        dt_h: float,
        wind: np.ndarray,
        peak: np.ndarray,
        peak_changed: bool = True,
    ) -> None:
        """Fail cells whose fragility at the peak wind exceeds their draw; repair in calm.

        `peak_changed=False` says `peak` is the array of the last call, unchanged (a calm
        tick): then no cell can newly fail (each was checked at this peak, its draw is
        fixed, and thresholds only rise), so only repairs and battery clocks run.
        """
        p = self.p
        if peak_changed or not self._checked:
            cand = np.flatnonzero(peak.ravel() >= self._thr)
            self._checked = True
        else:
            cand = _NO_CELLS
        power_changed = mobile_changed = False
        fail = mfail = done = mdone_now = None
        if cand.size:
            pk = peak.ravel()[cand]
            pd, pdone = self.power_down.ravel(), self.power_done.ravel()
            md, mdone = self.mobile_damaged.ravel(), self.mobile_done.ravel()
            fail = cand[
                (fragility(pk, p.power) > self.u_power.ravel()[cand]) & ~pd[cand] & ~pdone[cand]
            ]
            mfail = cand[
                (fragility(pk, p.mobile) > self.u_mobile.ravel()[cand]) & ~md[cand] & ~mdone[cand]
            ]
            if fail.size:
                pd[fail] = True
                self.power_since.ravel()[fail] = t_min
                self._thr_power[fail] = np.inf  # a cell fails once (then it is repaired)
                self._down = np.concatenate([self._down, fail])
                self._down_left = np.concatenate(
                    [self._down_left, self.power_repair_h.ravel()[fail]]
                )
                self._down_since = np.concatenate([self._down_since, np.full(fail.size, t_min)])
                self._down_battery = np.concatenate([self._down_battery, np.zeros(fail.size, bool)])
                power_changed = True
            if mfail.size:
                mobile_changed = True
                md[mfail] = True
                self._thr_mobile[mfail] = np.inf
                self._mdown = np.concatenate([self._mdown, mfail])
                left = self.mobile_repair_h.ravel()[mfail]
                self._mdown_left = np.concatenate([self._mdown_left, left])
            if fail.size or mfail.size:
                self._thr[cand] = np.fmin(self._thr_power[cand], self._thr_mobile[cand])
        wf = wind.ravel()
        mobile_cells = []
        fixed = self._repair(self._down, self._down_left, wf, dt_h)
        if fixed is not None:
            done = self._down[fixed]
            keep = ~fixed
            mobile_cells.append(done[self._down_battery[fixed]])
            self._battery_out[done] = False
            self._down, self._down_left = self._down[keep], self._down_left[keep]
            self._down_since, self._down_battery = self._down_since[keep], self._down_battery[keep]
            self.power_down.ravel()[done] = False
            self.power_done.ravel()[done] = True
            self.power_since.ravel()[done] = np.nan
            power_changed = True
        mfixed = self._repair(self._mdown, self._mdown_left, wf, dt_h)
        if mfixed is not None:
            mdone_now = self._mdown[mfixed]
            self._mdown, self._mdown_left = self._mdown[~mfixed], self._mdown_left[~mfixed]
            self.mobile_damaged.ravel()[mdone_now] = False
            self.mobile_done.ravel()[mdone_now] = True
            mobile_changed = True
        # out of mobile service: station damaged, or power out longer than the batteries
        # (a down cell stays battery-out once its time has passed, until repaired)
        if self._down.size:
            new = ~self._down_battery & (t_min - self._down_since >= p.battery_h * 60.0)
            if new.any():
                self._down_battery |= new
                cells = self._down[new]
                self._battery_out[cells] = True
                mobile_cells.append(cells)
        if mobile_changed:
            mobile_cells += [c for c in (mfail, mdone_now) if c is not None]
        if any(c.size for c in mobile_cells):
            cells = np.concatenate(mobile_cells)  # may repeat a cell: same value twice
            out = self.mobile_damaged.ravel()[cells] | self._battery_out[cells]
            self._out[cells] = out
            self._n_out = int(np.count_nonzero(self._out))
            self._mobile_ok = self._looked_up(self._mobile_ok, cells, ~out)
        if power_changed:
            cells = np.concatenate([c for c in (fail, done) if c is not None])
            self._power_ok = self._looked_up(self._power_ok, cells, ~self.power_down.ravel()[cells])

    def _looked_up(self, grid: np.ndarray, cells: np.ndarray, values: np.ndarray) -> np.ndarray:
        """A read-only copy of `grid` where every cell looking up `cells` sees `values`."""
        start, stop = self._lookers_at[cells], self._lookers_at[cells + 1]
        lens = stop - start
        k = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens - start, lens)
        out = grid.copy()
        out.ravel()[self._lookers[k]] = np.repeat(values, lens)
        out.flags.writeable = False
        self.version += 1
        return out

    def _repair(
        self, down: np.ndarray, left: np.ndarray, wind: np.ndarray, dt_h: float
    ) -> np.ndarray | None:
        """Work on the `down` cells in calm wind (`left`: their repair hours, updated).

        Returns the mask of cells repaired now, or None if none is.
        """
        if not down.size:
            return None
        calm = wind[down] < self.p.work_wind_m_s
        np.subtract(left, dt_h, out=left, where=calm)
        fixed = calm & (left <= 0)
        return fixed if fixed.any() else None

    def power_ok_cells(self) -> np.ndarray:
        """Bool grid: power on (sea cells: nearest land cell); read-only, as of the last update."""
        return self._power_ok

    def mobile_ok_cells(self) -> np.ndarray:
        """Bool grid: mobile service available; read-only, as of the last update."""
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
        if changed.size:
            pk = peak[changed]
            self._peak_seen[changed] = pk
            hit = self._p_closed_at(pk, changed) > self.u[changed]
            new = changed[hit & ~self.closed[changed] & ~self.done[changed]]
            self.closed[new] = True
        else:
            new = changed
        work = self.closed & (wind < self.p.work_wind_m_s)
        work[new] = False
        self.clear_left_h[work] -= dt_h
        cleared = np.flatnonzero(work & (self.clear_left_h <= 0))
        self.closed[cleared] = False
        self.done[cleared] = True
        return new, cleared
