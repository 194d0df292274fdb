"""Hazard-independent trainer injects: block and reopen roads.

A trainer may block a road in any drill (a crash, a landslide, a cordon), so
the inject belongs to the engine, not to a hazard. Closures go through
`sim.world.closures.ClosureRouter`, installed on the model on first use (or the
one a hazard already installed), so the shared `World` is never modified.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sim.geo import point_from_params

if TYPE_CHECKING:
    from sim.model import DrillModel
    from sim.scenario.schema import Inject

#: Default radius (km) around the inject point within which road edges close.
DEFAULT_BLOCK_RADIUS_KM = 0.5


def _point(inj: Inject) -> tuple[float, float]:
    """UTM point of an inject given as lat/lon or x_m/y_m."""
    xy = point_from_params(inj.params)
    if xy is None:
        raise ValueError(
            f"inject {inj.id!r} ({inj.kind}): params={inj.params!r}; "
            "expected lat/lon or x_m/y_m of the road"
        )
    return xy


def closure_router(model: DrillModel):
    """The model's closure router, installed over the world on first use."""
    from sim.world.closures import ClosureRouter

    if isinstance(model.router, ClosureRouter):
        return model.router
    if model.router is not model.world or not hasattr(model.world, "_network"):
        raise ValueError("road_block: this run's router does not support road closures")
    model.router = ClosureRouter(model.world, closed_speed_kmh=None)
    return model.router


def _edges_near(model: DrillModel, inj: Inject) -> tuple[np.ndarray, float, float]:
    router = closure_router(model)
    x, y = _point(inj)
    r_km = float(inj.params.get("radius_km", DEFAULT_BLOCK_RADIUS_KM))
    if not r_km > 0:
        raise ValueError(f"inject {inj.id!r}: params.radius_km={r_km!r}; expected > 0")
    mid = router.edge_midpoints()
    d = np.hypot(mid[:, 0] - x, mid[:, 1] - y)
    idx = np.flatnonzero(d <= r_km * 1000.0)
    if idx.size == 0 and d.size:
        idx = np.array([int(np.argmin(d))])  # nearest edge: the road the trainer pointed at
    return idx, x, y


def road_block(model: DrillModel, inj: Inject) -> None:
    """Close the road edges near a point (impassable until reopened)."""
    idx, x, y = _edges_near(model, inj)
    new = closure_router(model).close(idx)
    model.log.emit(
        model.env.now, "road_blocked", subject_id=inj.id, x_m=x, y_m=y, edges=int(new.size)
    )


def road_reopen(model: DrillModel, inj: Inject) -> None:
    """Reopen the road edges near a point."""
    idx, x, y = _edges_near(model, inj)
    new = closure_router(model).reopen(idx)
    model.log.emit(
        model.env.now, "road_reopened", subject_id=inj.id, x_m=x, y_m=y, edges=int(new.size)
    )


#: Inject kinds handled here, by kind.
GENERIC_INJECTS: dict[str, Callable[[DrillModel, Inject], None]] = {
    "road_block": road_block,
    "road_reopen": road_reopen,
}
