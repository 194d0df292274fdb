"""Expected-action kinds of a forest-fire drill (registered by the plug-in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.expected_actions import (
    ActionKind,
    aid_template_has_mode,
    both,
    unit_has_capability,
)
from sim.geo import point_from_params

if TYPE_CHECKING:
    from sim.commands import Command
    from sim.model import DrillModel

#: How close to an open fire incident a repositioned crew must go to count as
#: "to the flank" (km). A drill-design choice.
FLANK_KM = 5.0


def near_open_fire(model: DrillModel, cmd: Command) -> bool:
    """The command's point is within FLANK_KM of an open forest-fire incident."""
    xy = point_from_params(cmd.params)
    if xy is None:
        return False
    fires = [
        (i.x_m, i.y_m)
        for i in model.dispatch.incidents.values()
        if not i.resolved and i.needs == "forest_fire"
    ]
    if not fires:
        return False
    d = np.hypot(*(np.asarray(fires) - np.asarray(xy)).T)
    return bool(d.min() <= FLANK_KM * 1000)


EXPECTED_ACTIONS: dict[str, ActionKind] = {
    "dispatch_forest_fire_teams": ActionKind(
        "forest-fire crews sent to a fire (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=("forest_fire",),
        auto=True,
    ),
    "dispatch_aerial": ActionKind(
        "an aircraft sent to a fire (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=("aerial_firefighting",),
        auto=True,
    ),
    "reposition_crews_to_flank": ActionKind(
        f"a forest-fire crew moved to a point within {FLANK_KM:g} km of an open fire",
        ("dispatch_unit",),
        when=both(unit_has_capability("forest_fire"), near_open_fire),
        to_point=True,
    ),
    "request_provincial_helicopters": ActionKind(
        "mutual aid requested for aircraft (a plan unit template that flies)",
        ("request_mutual_aid",),
        when=aid_template_has_mode("air"),
    ),
}
