"""Scene communications: public network outages at incident scenes and their restoration.

When the first unit arrives and the mobile network is down at the scene, the
scene logs `comms_lost`. A unit carrying satellite phones (`equipment:
{satellite_phone: n}` in the plan) restores contact after a short set-up time;
otherwise the nearest free emergency-comms unit (capability `comms_capability`)
is assigned to the scene by road and restores it on arrival if the scene is
still open (not for scenes at sea, where only on-board satellite phones help).
The scene is watched for as long as it is open (every model tick): a network
that fails later, mid-operation, is a loss too, with the same restoration.
`scene_comms_assurance` counts scenes whose losses were not all restored
before the scene closed.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

import numpy as np

from sim.response.dispatch import default_on_scene

if TYPE_CHECKING:
    from sim.agents.units import Team
    from sim.model import DrillModel
    from sim.response.incident import Incident


def _has_sat_phone(model: DrillModel, unit: Team) -> bool:
    for spec in model.spec.plan.units:
        if spec.id == unit.group:
            return spec.equipment.get("satellite_phone", 0) > 0
    return False


def make_handler(
    mobile_ok: Callable[[np.ndarray, np.ndarray], np.ndarray],
    restore_min: float,
    capability: str,
) -> Callable:
    """An on-scene handler: check scene comms on first arrival, then do the default work."""

    def handler(model: DrillModel, inc: Incident, unit: Team) -> Generator:
        if unit.can_serve(capability):
            if inc.attrs.get("_comms_lost") and not inc.resolved:
                inc.attrs["_comms_lost"] = False
                model.log.emit(
                    model.env.now,
                    "comms_restored",
                    incident_id=inc.id,
                    unit_id=unit.uid,
                    by="emergency_comms_unit",
                )
        elif inc.attrs.get("_comms_checked") is None:
            inc.attrs["_comms_checked"] = True
            ok = bool(mobile_ok(np.array([inc.x_m]), np.array([inc.y_m]))[0])
            if not ok:
                _lose(model, inc, unit, "public mobile network down", restore_min, capability)
            model.env.process(_watch(model, inc, unit, ok, mobile_ok, restore_min, capability))
        yield from default_on_scene(model, inc, unit)

    return handler


def _lose(
    model: DrillModel, inc: Incident, unit: Team, cause: str, restore_min: float, capability: str
) -> None:
    """Log a loss at the scene and start its restoration (satellite phone or comms unit)."""
    inc.attrs["_comms_lost"] = True
    model.log.emit(
        model.env.now,
        "comms_lost",
        incident_id=inc.id,
        unit_id=unit.uid,
        x_m=inc.x_m,
        y_m=inc.y_m,
        cause=cause,
    )
    if _has_sat_phone(model, unit):
        model.env.process(_restore_after(model, inc, unit.uid, restore_min))
    elif inc.domain != "sea":
        model.env.process(_send_comms_unit(model, inc, capability))


def _watch(
    model: DrillModel,
    inc: Incident,
    unit: Team,
    net_ok: bool,
    mobile_ok: Callable[[np.ndarray, np.ndarray], np.ndarray],
    restore_min: float,
    capability: str,
) -> Generator:
    """Check the network at the open scene every tick; a new outage is a new loss."""
    while True:
        yield model.env.timeout(model.tick_min)
        if inc.resolved:
            return
        ok = bool(mobile_ok(np.array([inc.x_m]), np.array([inc.y_m]))[0])
        if net_ok and not ok and not inc.attrs.get("_comms_lost"):
            _lose(model, inc, unit, "public mobile network failed during the operation",
                  restore_min, capability)  # fmt: skip
        net_ok = ok


def _restore_after(model: DrillModel, inc: Incident, uid: str, minutes: float) -> Generator:
    yield model.env.timeout(minutes)
    if inc.attrs.get("_comms_lost") and not inc.resolved:
        inc.attrs["_comms_lost"] = False
        model.log.emit(
            model.env.now, "comms_restored", incident_id=inc.id, unit_id=uid, by="satellite_phone"
        )


def _send_comms_unit(model: DrillModel, inc: Incident, capability: str) -> Generator:
    """Send the nearest free emergency-comms unit by road to the scene; retry each tick."""
    while not inc.resolved and inc.attrs.get("_comms_lost"):
        best = model.dispatch.nearest_free(capability, ("road",), (inc.x_m, inc.y_m))
        if best is not None:
            unit, mode, eta = best
            model.dispatch.assign(unit, inc, mode, eta)
            return
        yield model.env.timeout(model.tick_min)
