"""Rain-triggered landslides: Caine (1980) intensity-duration threshold x DEM slope susceptibility.

Threshold (Caine 1980, *Geografiska Annaler A* 62:23-27): shallow landslides and debris
flows occur when the mean intensity I (mm/h) of a rain event of duration D (h) exceeds
I = 14.82 D^-0.39, fitted for 10 min < D < 10 days. A cell's event starts with its first
rain above ``event_min_rate_mm_h`` and runs while rain continues.

Susceptibility: once the threshold is exceeded, a cell fails with probability rising
linearly from 0 at ``slope_lo_deg`` to ``p_max`` at ``slope_hi_deg`` (*illustrative*: the
world DEM is 5' data smoothed to 30", so slopes are a fraction of real hill slopes; the
two slope limits are scenario settings, not calibrated). One draw per cell per storm,
from the hazard stream (common random numbers).
"""

from __future__ import annotations

import numpy as np

CAINE_A = 14.82
CAINE_B = -0.39
CAINE_D_RANGE_H = (10.0 / 60.0, 240.0)


def caine_threshold_mm_h(duration_h: np.ndarray | float) -> np.ndarray:
    """Caine (1980) I = 14.82 D^-0.39 (mm/h, D in hours)."""
    return CAINE_A * np.asarray(duration_h, float) ** CAINE_B


def susceptibility(slope_deg: np.ndarray, lo: float, hi: float, p_max: float) -> np.ndarray:
    """Failure probability given threshold exceedance (linear ramp in slope, illustrative)."""
    return p_max * np.clip((np.asarray(slope_deg, float) - lo) / (hi - lo), 0.0, 1.0)


class LandslideModel:
    """Tracks each land cell's rain event and triggers slides once per cell."""

    def __init__(self, slope_deg: np.ndarray, is_land: np.ndarray, p, rng) -> None:
        self.p = p
        self.prob = np.where(
            is_land, susceptibility(slope_deg, p.slope_lo_deg, p.slope_hi_deg, p.p_max), 0.0
        )
        self.u = rng.random(slope_deg.shape)  # one draw per cell (common random numbers)
        self.event_mm = np.zeros(slope_deg.shape)
        self.event_h = np.zeros(slope_deg.shape)
        self.slid = np.zeros(slope_deg.shape, bool)

    def update(self, rate_mm_h: np.ndarray, dt_min: float) -> np.ndarray:
        """Cells that slide this tick (bool grid)."""
        h = dt_min / 60.0
        raining = rate_mm_h >= self.p.event_min_rate_mm_h
        self.event_mm = np.where(raining, self.event_mm + rate_mm_h * h, self.event_mm)
        self.event_h = np.where(raining, self.event_h + h, self.event_h)
        d = np.fmax(self.event_h, CAINE_D_RANGE_H[0])
        mean_i = self.event_mm / d
        over = (self.event_h >= CAINE_D_RANGE_H[0]) & (mean_i >= caine_threshold_mm_h(d))
        new = over & ~self.slid & (self.u < self.prob)
        self.slid |= new
        return new
