"""Incidents: the demand side of the response system.

An incident is a place where help is needed (a fire front at a village, a boat
in distress, a casualty). It records the times the indicators need: reported,
each dispatch, each arrival and resolution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

Domain = Literal["land", "sea", "river", "air"]


@dataclass(slots=True)
class Incident:
    """A request for help; mutable while the run resolves it."""

    id: str
    kind: str
    x_m: float
    y_m: float
    t_reported: float
    domain: Domain = "land"
    needs: str = "general"
    priority: int = 5
    units_needed: int = 1
    work_min: float = 60.0
    attrs: dict[str, Any] = field(default_factory=dict)
    t_queued: float = math.nan  # after call handling; queue wait starts here
    t_first_arrival: float = math.nan
    t_resolved: float = math.nan
    assigned: list[str] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        """Whether the incident has been closed."""
        return not math.isnan(self.t_resolved)
