"""A drifting train of Gaussian puffs for the drill clock.

A continuous leak is sliced into many small puffs released a few seconds
apart; each puff drifts with the wind of the moment and spreads with the
distance it has travelled. When the wind turns, puffs already out keep their
place and head the new way while fresh ones leave the source on the new
heading, so the cloud bends like smoke from a chimney in a shifting breeze.

Sigma choice (why two):
    * ``"briggs"`` (continuous releases): Briggs (1973) plume sigmas as a
      function of travel distance, with sigma_x = sigma_y. For closely spaced
      puffs (spacing u*dt well below sigma_x) the sum of puffs integrates to
      the steady Gaussian plume of :mod:`scenarios.chemical.dispersion` exactly,
      so drill concentrations match `jmsim calc plume` / threat-zone distances.
      This is the "puff-plume" equivalence of CCPS (1999) ch. 2.
    * ``"slade"`` (instantaneous releases): CCPS / Slade (1968) instantaneous
      puff sigmas (:func:`scenarios.chemical.dispersion.puff_sigma_y`).

Validity limits: spatially uniform wind at any instant, flat terrain, no
deposition or chemistry; puffs keep their release-time stability class;
Briggs sigmas are calibrated for 100 m - 10 km of travel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scenarios.chemical.dispersion import (
    briggs_sigma_y,
    briggs_sigma_z,
    puff_sigma_y,
    puff_sigma_z,
    wind_vector,
)
from scenarios.chemical.stability import validate_class

FloatArray = NDArray[np.float64]
SIGMA_BRIGGS = 0
SIGMA_SLADE = 1
#: Travel floor inside the sigma formulas so fresh puffs stay finite, m.
MIN_TRAVEL_M = 1.0
_K = (2.0 * np.pi) ** 1.5
#: Receptors beyond this many sigma from every puff centre are skipped (exp(-40.5) ~ 3e-18).
CUTOFF_SIGMAS = 9.0


def _gauss(q: FloatArray) -> FloatArray:
    """exp(-q), flushed to exactly 0 where q > CUTOFF_SIGMAS**2 / 2.

    Without the flush, far tails underflow to subnormal numbers, which make
    exp and the matrix products an order of magnitude slower.
    """
    q = np.asarray(q, dtype=float)
    return np.exp(-np.where(q > CUTOFF_SIGMAS**2 / 2, np.inf, q))


@dataclass
class PuffTrain:
    """Puff centres, masses and travel distances as numpy columns.

    Attributes:
        stability: Pasquill-Gifford class A-F for all puffs.
        urban: Briggs urban instead of rural sigmas.
        source_height_m: Release height H used in the ground-reflection term.
    """

    stability: str
    urban: bool = False
    source_height_m: float = 0.0
    x: FloatArray = field(default_factory=lambda: np.zeros(0))
    y: FloatArray = field(default_factory=lambda: np.zeros(0))
    mass_kg: FloatArray = field(default_factory=lambda: np.zeros(0))
    travel_m: FloatArray = field(default_factory=lambda: np.zeros(0))
    model: NDArray[np.int8] = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    _cache: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.stability = validate_class(self.stability)
        if not self.source_height_m >= 0:
            raise ValueError(f"source_height_m={self.source_height_m!r}: expected >= 0")

    @property
    def n(self) -> int:
        """Number of puffs."""
        return int(self.x.size)

    def copy(self) -> PuffTrain:
        """Independent copy (for forecasts)."""
        return PuffTrain(
            self.stability,
            self.urban,
            self.source_height_m,
            self.x.copy(),
            self.y.copy(),
            self.mass_kg.copy(),
            self.travel_m.copy(),
            self.model.copy(),
        )

    # -- dynamics ---------------------------------------------------------------
    def release_continuous(
        self,
        x0: float,
        y0: float,
        rate_kg_s: float,
        dt_s: float,
        n_sub: int,
        wind_m_s: float,
        wind_from_deg: float,
    ) -> None:
        """Release ``rate * dt`` as ``n_sub`` Briggs puffs spread along the last step's path.

        Puff j was emitted (j + 0.5) dt/n_sub seconds before the step ends, so it
        sits that far downwind with that travel already done.
        """
        if rate_kg_s <= 0 or dt_s <= 0:
            return
        if n_sub < 1:
            raise ValueError(f"n_sub={n_sub!r}: expected >= 1")
        age = (np.arange(n_sub) + 0.5) * (dt_s / n_sub)
        u, v = wind_vector(wind_m_s, wind_from_deg)
        self._append(
            x0 + u * age,
            y0 + v * age,
            np.full(n_sub, rate_kg_s * dt_s / n_sub),
            wind_m_s * age,
            SIGMA_BRIGGS,
        )

    def release_instantaneous(self, x0: float, y0: float, mass_kg: float) -> None:
        """Release one CCPS/Slade puff of ``mass_kg`` at the source."""
        if mass_kg > 0:
            self._append(
                np.array([x0]), np.array([y0]), np.array([mass_kg]), np.zeros(1), SIGMA_SLADE
            )

    def _append(self, x, y, m, travel, model: int) -> None:
        self._cache.clear()
        self.x = np.concatenate([self.x, x])
        self.y = np.concatenate([self.y, y])
        self.mass_kg = np.concatenate([self.mass_kg, m])
        self.travel_m = np.concatenate([self.travel_m, travel])
        self.model = np.concatenate([self.model, np.full(len(x), model, dtype=np.int8)])

    def advect(self, dt_s: float, wind_m_s: float, wind_from_deg: float) -> None:
        """Move every puff with the (uniform) wind for ``dt_s`` seconds."""
        self._cache.clear()
        u, v = wind_vector(wind_m_s, wind_from_deg)
        self.x = self.x + u * dt_s
        self.y = self.y + v * dt_s
        self.travel_m = self.travel_m + wind_m_s * dt_s

    def prune(self, max_travel_m: float) -> int:
        """Drop puffs that travelled beyond ``max_travel_m``; return how many."""
        keep = self.travel_m <= max_travel_m
        dropped = int((~keep).sum())
        if dropped:
            self._cache.clear()
            for name in ("x", "y", "mass_kg", "travel_m", "model"):
                setattr(self, name, getattr(self, name)[keep])
        return dropped

    # -- concentration ----------------------------------------------------------
    def sigmas(self) -> tuple[FloatArray, FloatArray]:
        """(sigma_h, sigma_z) per puff, m; sigma_h = sigma_x = sigma_y."""
        t = np.maximum(self.travel_m, MIN_TRAVEL_M)
        s = self.stability
        slade = self.model == SIGMA_SLADE
        sh = briggs_sigma_y(t, s, self.urban)
        sz = briggs_sigma_z(t, s, self.urban)
        if slade.any():
            sh[slade] = puff_sigma_y(t[slade], s)
            sz[slade] = puff_sigma_z(t[slade], s)
        return sh, sz

    def _amplitude(self, z_m: float) -> tuple[FloatArray, FloatArray]:
        key = ("amp", float(z_m), self.stability)
        if key not in self._cache:
            self._cache[key] = self._amplitude_now(z_m)
        return self._cache[key]

    def _amplitude_now(self, z_m: float) -> tuple[FloatArray, FloatArray]:
        sh, sz = self.sigmas()
        h = self.source_height_m
        refl = np.exp(-((z_m - h) ** 2) / (2 * sz**2)) + np.exp(-((z_m + h) ** 2) / (2 * sz**2))
        return self.mass_kg / (_K * sh * sh * sz) * refl, sh

    def at(self, rx: ArrayLike, ry: ArrayLike, z_m: float = 0.0, chunk: int = 2048) -> FloatArray:
        """Concentration at receptor points (M,), kg/m3 (CCPS puff with reflection)."""
        rxa = np.asarray(rx, dtype=float).ravel()
        rya = np.asarray(ry, dtype=float).ravel()
        out = np.zeros(rxa.size)
        if self.n == 0 or rxa.size == 0:
            return out
        amp, sh = self._amplitude(z_m)
        inv = 1.0 / (2.0 * sh**2)
        # Receptors farther than CUTOFF_SIGMAS sigma from every puff get exactly 0.
        reach = CUTOFF_SIGMAS * sh
        near = np.flatnonzero(
            (rxa >= (self.x - reach).min())
            & (rxa <= (self.x + reach).max())
            & (rya >= (self.y - reach).min())
            & (rya <= (self.y + reach).max())
        )
        for i in range(0, near.size, chunk):
            sel = near[i : i + chunk]
            dx = rxa[sel, None] - self.x[None, :]
            dy = rya[sel, None] - self.y[None, :]
            out[sel] = _gauss((dx * dx + dy * dy) * inv[None, :]) @ amp
        return out

    def field(self, grid_x: ArrayLike, grid_y: ArrayLike, z_m: float = 0.0) -> FloatArray:
        """Concentration on a regular grid (ny, nx), kg/m3, as one separable matmul."""
        gx = np.asarray(grid_x, dtype=float).ravel()
        gy = np.asarray(grid_y, dtype=float).ravel()
        if self.n == 0:
            return np.zeros((gy.size, gx.size))
        amp, sh = self._amplitude(z_m)
        ex = _gauss((gx[None, :] - self.x[:, None]) ** 2 / (2 * sh[:, None] ** 2))
        ey = _gauss((gy[:, None] - self.y[None, :]) ** 2 / (2 * sh[None, :] ** 2))
        return (ey * amp[None, :]) @ ex
