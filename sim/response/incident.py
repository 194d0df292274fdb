"""Incidents: the demand side of the response system.

An incident is a place where help is needed (a fire front at a village, a boat
in distress, a casualty). It records the times the indicators need: reported,
each dispatch, each arrival and resolution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

Domain = Literal["land", "sea", "river", "flood", "air"]


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
        t = self.t_resolved
        return t == t  # not NaN (read on every dispatch step: no call to math.isnan)


def new_incident(
    number: int,
    now: float,
    kind: str,
    x_m: float,
    y_m: float,
    domain: str,
    needs: str,
    priority: int,
    units_needed: int,
    work_min: float,
    attrs: dict[str, Any],
    incident_id: str | None = None,
) -> Incident:
    """The `number`-th incident of a run, reported at `now` (id `I00001`, ... unless given).

    One construction for the drill model and the lean queue check, so both log
    the same incidents. Positional: this is on every incident's path.
    """
    return Incident(
        incident_id or f"I{number:05d}",
        kind,
        float(x_m),
        float(y_m),
        now,
        domain,  # type: ignore[arg-type]
        needs,
        priority,
        units_needed,
        work_min,
        attrs,
    )
