"""The hazard protocol: what the engine asks of any hazard.

Following CLIMADA's split, a hazard is only the physical process. It exposes a
field at time t, the incidents it creates, and the limits of its model;
exposure (residents) and response (units) are the engine's business.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from sim.model import DrillModel


class Hazard(Protocol):
    """A physical hazard advanced by the engine's clock."""

    name: str
    tick_min: float  # minutes between `advance` calls; math.inf for a field that never changes

    def validity(self) -> list[str]:
        """Human-readable limits and warnings of the model for this run."""
        ...

    def start(self, model: DrillModel) -> None:
        """Called once at t=0, after the plan is built."""
        ...

    def advance(self, model: DrillModel, t_min: float) -> None:
        """Move the field to `t_min`; report new incidents through `model.report_incident`."""
        ...

    def intensity_at(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Hazard intensity at points now (0 = unaffected); units are hazard-specific."""
        ...

    def fields(self) -> dict[str, np.ndarray]:
        """Named numpy arrays describing the current field, for display and reports."""
        ...


class NullHazard:
    """A hazard that never affects anyone; incidents come from the MSEL only."""

    name = "none"
    tick_min = math.inf  # nothing to advance: the engine calls `advance` once, at t=0

    def validity(self) -> list[str]:
        """No physics, so no limits."""
        return []

    def start(self, model: DrillModel) -> None:
        """Nothing to set up."""

    def advance(self, model: DrillModel, t_min: float) -> None:
        """Nothing changes."""

    def intensity_at(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Zero everywhere."""
        return np.zeros(np.shape(x_m))

    def fields(self) -> dict[str, np.ndarray]:
        """No fields."""
        return {}
