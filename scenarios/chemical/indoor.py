"""Indoor concentration and exposure dose for sheltering resident groups.

Sheltering in place works because a house is a leaky box: outdoor gas seeps in
at the air-exchange rate, so indoor concentration lags and stays below a
passing outdoor peak. The single-zone model is

    dCi/dt = ACH * (Co - Ci)

(ALOHA technical documentation, Jones et al. 2013, NOAA Tech. Memo NOS OR&R
43, "indoor infiltration"; Wilson 1987, *Concentrations of infiltrating
pollutants*, Atmos. Environ.). With Co held constant over a step dt the exact
update is Ci <- Co + (Ci - Co) exp(-ACH dt), used here so large steps stay stable.

Exposure is tracked per group as the dose integral of C dt, the ten Berge toxic
load of C^n dt, and the running maxima of the 10/30/60-minute moving averages
that are compared with the 10/30/60-minute AEGLs.

Validity limits: well-mixed single zone, no sorption to indoor surfaces, no
indoor sources; ACH constant within a step (can change between steps, e.g.
when windows are closed on warning). Dose windows assume a fixed step length.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scenarios.chemical.chemicals import AEGL_DURATIONS_MIN, Chemical, get_chemical

FloatArray = NDArray[np.float64]


def indoor_step(ci: ArrayLike, co: ArrayLike, ach_per_h: ArrayLike, dt_s: float) -> FloatArray:
    """Advance indoor concentration over one step (exact single-zone solution).

    Args:
        ci: Indoor concentration per group (G,), any unit.
        co: Outdoor concentration per group over the step (G,), same unit.
        ach_per_h: Air changes per hour per group (G,) or scalar, >= 0.
        dt_s: Step length, s (>= 0).
    """
    if not dt_s >= 0:
        raise ValueError(f"dt_s={dt_s!r}: expected >= 0")
    ach = np.asarray(ach_per_h, dtype=float)
    if np.any(ach < 0):
        raise ValueError("ach_per_h must be >= 0 for every group")
    ci = np.asarray(ci, dtype=float)
    co = np.asarray(co, dtype=float)
    return co + (ci - co) * np.exp(-ach * dt_s / 3600.0)


def indoor_series(
    co_series: ArrayLike, ach_per_h: ArrayLike, dt_s: float, ci0: ArrayLike = 0.0
) -> FloatArray:
    """Indoor concentration time series (T, G) for outdoor series (T, G).

    Row t is the indoor concentration at the *end* of step t.
    """
    co = np.atleast_2d(np.asarray(co_series, dtype=float))
    out = np.empty_like(co)
    ci = np.broadcast_to(np.asarray(ci0, dtype=float), co.shape[1:]).copy()
    for t in range(co.shape[0]):
        ci = indoor_step(ci, co[t], ach_per_h, dt_s)
        out[t] = ci
    return out


class DoseTracker:
    """Per-group exposure accounting with a fixed step length.

    Tracks, for G groups: dose (integral of C dt), ten Berge toxic load
    (integral of C^n dt, ten Berge et al. 1986), and the maximum of the 10, 30
    and 60 minute moving-average concentrations (the quantity compared with
    AEGLs of that duration). Concentrations are in ppm unless you only use
    dose/load.

    Args:
        n_groups: Number of resident groups G.
        dt_s: Step length, s; must divide 600 s so windows are whole steps.
        toxic_load_n: ten Berge exponent n (chemical-specific; 1 = dose).
    """

    def __init__(self, n_groups: int, dt_s: float, toxic_load_n: float = 1.0) -> None:
        if n_groups < 1:
            raise ValueError(f"n_groups={n_groups!r}: expected >= 1")
        if not dt_s > 0:
            raise ValueError(f"dt_s={dt_s!r}: expected > 0")
        if not toxic_load_n > 0:
            raise ValueError(f"toxic_load_n={toxic_load_n!r}: expected > 0")
        steps = 600.0 / dt_s
        if abs(steps - round(steps)) > 1e-9:
            raise ValueError(f"dt_s={dt_s!r}: expected a divisor of 600 s (10-min AEGL window)")
        self.dt_s = float(dt_s)
        self.n = float(toxic_load_n)
        self._windows = {m: int(round(m * 60 / dt_s)) for m in AEGL_DURATIONS_MIN}
        self._buf = np.zeros((self._windows[60], n_groups))
        self._sums = {m: np.zeros(n_groups) for m in AEGL_DURATIONS_MIN}
        self._k = 0
        self.dose = np.zeros(n_groups)
        self.toxic_load = np.zeros(n_groups)
        self.max_avg = {m: np.zeros(n_groups) for m in AEGL_DURATIONS_MIN}
        self.peak = np.zeros(n_groups)

    def add(self, c: ArrayLike) -> None:
        """Record one step of concentration per group (G,)."""
        c = np.asarray(c, dtype=float)
        if c.shape != self.dose.shape:
            raise ValueError(f"concentration shape {c.shape} != groups {self.dose.shape}")
        cap = self._buf.shape[0]
        for m, w in self._windows.items():
            old = self._buf[(self._k - w) % cap] if self._k >= w else 0.0
            self._sums[m] += c - old
        self._buf[self._k % cap] = c
        self._k += 1
        self.dose += c * self.dt_s
        self.toxic_load += np.power(np.maximum(c, 0.0), self.n) * self.dt_s
        self.peak = np.maximum(self.peak, c)
        for m, w in self._windows.items():
            # Until a full window has elapsed, average over the full window
            # length anyway (zeros before t=0), as an AEGL exposure would.
            self.max_avg[m] = np.maximum(self.max_avg[m], self._sums[m] / w)

    def aegl_tier(self, chemical: str | Chemical) -> NDArray[np.int_]:
        """Highest AEGL tier (0-3) exceeded by any 10/30/60-min average (ppm input)."""
        chem = get_chemical(chemical)
        tier = np.zeros(self.dose.shape, dtype=int)
        for t in (1, 2, 3):
            for m in AEGL_DURATIONS_MIN:
                lim = chem.aegl(t, m)
                if lim is not None:
                    tier = np.where(self.max_avg[m] >= lim, np.maximum(tier, t), tier)
        return tier


def ach_from_building(kind: str) -> float:
    """Representative air changes per hour for a building class.

    Project planning assumption, not from a cited source (not ALOHA's infiltration model, which needs building
    geometry, wind and temperature): ``"tight"`` 0.3, ``"average"`` 0.5,
    ``"leaky"`` 1.0, ``"open_windows"`` 5.0 per hour. Approximate.
    """
    table = {"tight": 0.3, "average": 0.5, "leaky": 1.0, "open_windows": 5.0}
    if kind not in table:
        raise ValueError(f"kind={kind!r}: expected one of {sorted(table)}")
    return table[kind]


def steady_fraction(ach_per_h: float, duration_s: float) -> float:
    """Ci/Co after ``duration_s`` of constant outdoor Co from Ci=0: 1 - exp(-ACH t)."""
    if ach_per_h < 0 or duration_s < 0:
        raise ValueError(f"ach_per_h={ach_per_h}, duration_s={duration_s}: expected >= 0")
    return 1.0 - math.exp(-ach_per_h * duration_s / 3600.0)
