"""Journeys that wait for a cut road to reopen instead of failing the run.

Impassable road closures (flood water, landslides, fallen trees) can leave a unit,
a relief truck or a patient shuttle with no route at the moment it must leave: the
closure router then raises "destination unreachable". A real crew waits and tries
again when the situation changes, so each journey here re-checks the route every
`RETRY_MIN` minutes and logs `route_blocked` once while it waits. The wait counts in
the journey's own time (travel phase), so arrival indicators show it; a road that
never reopens leaves the journey unfinished, which the indicators count as unreached.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from sim.errors import JmsimError

if TYPE_CHECKING:
    from sim.model import DrillModel
    from sim.routing import Leg

#: Minutes between route re-checks while cut off (ILLUSTRATIVE: a crew asks its
#: command post for the road situation about twice an hour).
RETRY_MIN = 30.0


def _unreachable(err: Exception) -> bool:
    return "unreachable" in str(err) or str(err) == "no path"


def open_leg(model: DrillModel, mode: str, origin_xy, dest_xy, speed_kmh: float) -> Leg | None:
    """The route from `origin_xy` to `dest_xy` now, or None while closures cut it off.

    Other routing errors raise. The synchronous first try of `passable_leg`: a hot
    caller (the dispatch cycle, twice per call) tries this first and only enters
    the waiting generator when it gets None.
    """
    try:
        return model.router.route(mode, origin_xy, dest_xy, speed_kmh)
    except JmsimError as err:
        from sim.world.errors import WorldError  # only here: `jmsim calc` skips sim.world

        if not (isinstance(err, WorldError) and _unreachable(err)):
            raise
        return None


def passable_leg(
    model: DrillModel, mode: str, origin_xy, dest_xy, speed_kmh: float, **who: Any
) -> Generator[Any, Any, Leg]:
    """The route from `origin_xy` to `dest_xy`, waiting while closures cut it off.

    Use as ``leg = yield from passable_leg(...)`` inside a SimPy process; `who`
    (e.g. ``unit_id=...``, ``incident_id=...``) goes on the `route_blocked` event.
    """
    blocked = False
    while (leg := open_leg(model, mode, origin_xy, dest_xy, speed_kmh)) is None:
        if not blocked:
            blocked = True
            model.log.emit(
                model.env.now,
                "route_blocked",
                x_m=float(dest_xy[0]),
                y_m=float(dest_xy[1]),
                mode=mode,
                retry_min=RETRY_MIN,
                **who,
            )
        yield model.env.timeout(RETRY_MIN)
    return leg
