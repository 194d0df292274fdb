"""Where a response unit is in its dispatch cycle.

Kept apart from the Mesa agents in `sim.agents.units` so that code that only
matches units to incidents (the dispatch centre, the M/M/c check) does not have
to import Mesa.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np


class UnitStatus(StrEnum):
    """Where a team is in its dispatch cycle."""

    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    ON_SCENE = "on_scene"
    RETURNING = "returning"
    OUT_OF_SERVICE = "out_of_service"


def route_position(
    xy: tuple[float, float], route_xy: np.ndarray | None, route_t: tuple[float, float], t: float
) -> tuple[float, float]:
    """Position at time `t` of a unit at `xy`, interpolated along its current route if moving."""
    if route_xy is None or len(route_xy) < 2:
        return xy
    t0, t1 = route_t
    if t1 <= t0 or t >= t1:
        return tuple(route_xy[-1])
    if t <= t0:
        return tuple(route_xy[0])
    seg = np.diff(route_xy, axis=0)
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(seg[:, 0], seg[:, 1]))])
    s = cum[-1] * (t - t0) / (t1 - t0)
    return (
        float(np.interp(s, cum, route_xy[:, 0])),
        float(np.interp(s, cum, route_xy[:, 1])),
    )
