"""On-scene work for chemical incidents, plugged into the dispatch centre.

`DispatchCenter.handlers[kind]` runs after a unit arrives; these generators
are the hazmat team closing the source, the fire unit holding a water curtain
until the source is shut, and the ambulance shuttling patients to the nearest
hospital. All randomness comes from `model.streams.response`.

Assumption (no cited source): the time a hazmat team (危化品救援队) needs on
scene to isolate a leak is gamma-distributed with shape 4 and the scenario's
mean `response.isolation_work_min` (coefficient of variation 0.5).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import numpy as np

from sim.response.passable import passable_leg

if TYPE_CHECKING:
    from sim.agents.units import Team
    from sim.model import DrillModel
    from sim.response.incident import Incident

#: Gamma shape of the on-scene isolation time (assumption, see module docstring).
ISOLATION_SHAPE = 4.0
#: Ambulance road speed when the vehicle spec gives none, km/h.
DEFAULT_KMH = 60.0


def hazmat_on_scene(model: DrillModel, inc: Incident, unit: Team) -> Generator:
    """Work to isolate the source; the first team to finish closes it."""
    hz = model.hazard
    env = model.env
    if hz.leaking:
        mean = inc.work_min
        work = float(model.streams.response.gamma(ISOLATION_SHAPE, mean / ISOLATION_SHAPE))
        yield env.any_of([env.timeout(work), hz.stopped])
        if hz.leaking:
            hz.isolate(model, by=unit.uid)


def fire_standby(model: DrillModel, inc: Incident, unit: Team) -> Generator:
    """Hold a water curtain / cordon until the release has stopped."""
    hz = model.hazard
    if hz.leaking:
        yield hz.stopped


def _nearest_hospital(model: DrillModel, xy: tuple[float, float], speed: float):
    hz = model.hazard
    hosp = hz.hospitals
    if len(hosp) == 0:
        raise ValueError(
            "chemical casualties need hospitals: the world has no facility kind=hospital"
        )
    best = None
    for fid, hx, hy in hosp.tolist():
        t = float(model.router.travel_time_min("road", np.array([xy]), (hx, hy), speed)[0])
        if best is None or t < best[0]:
            best = (t, str(fid), (float(hx), float(hy)))
    return best


def medical_transport(model: DrillModel, inc: Incident, unit: Team) -> Generator:
    """Shuttle the incident's patients to the nearest hospital, `capacity` per trip."""
    env = model.env
    cap = max(int(unit.vehicle.capacity), 1)
    speed = unit.vehicle.speed_kmh.get("road") or DEFAULT_KMH
    scene = (inc.x_m, inc.y_m)
    while inc.attrs.get("remaining", 0) > 0:
        k = min(cap, int(inc.attrs["remaining"]))
        inc.attrs["remaining"] = int(inc.attrs["remaining"]) - k
        yield env.timeout(inc.work_min)
        _, fid, hxy = _nearest_hospital(model, unit.xy, speed)
        leg = yield from passable_leg(
            model, "road", unit.xy, hxy, speed, unit_id=unit.uid, incident_id=inc.id
        )
        yield env.timeout(leg.time_min)
        unit.xy = hxy
        model.log.emit(
            env.now,
            "patients_delivered",
            incident_id=inc.id,
            unit_id=unit.uid,
            subject_id=fid,
            x_m=hxy[0],
            y_m=hxy[1],
            patients=k,
            since_report_min=env.now - inc.t_reported,
        )
        if inc.attrs["remaining"] > 0:
            back = model.router.route("road", unit.xy, scene, speed)
            yield env.timeout(back.time_min)
            unit.xy = scene
