"""Expected-action kinds of a chemical-leak drill (registered by the plug-in).

`reissue_zone_order` is the decision a wind shift tests: a new shelter-in-place
or evacuation order over the threat zone *as it is after the shift*, i.e. the
order covers at least `ZONE_COVER_SHARE` of the resident groups inside the
forecast AEGL-2 zone at the moment it is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.expected_actions import ZONE_COVER_SHARE, ActionKind

if TYPE_CHECKING:
    from sim.commands import Command
    from sim.model import DrillModel


def covers_aegl2_zone(model: DrillModel, cmd: Command) -> bool:
    """The order covers >= ZONE_COVER_SHARE of the groups in today's forecast AEGL-2 zone."""
    from sim.commands import zone_groups

    zone = model.hazard.zone_groups(model, "aegl2")  # type: ignore[attr-defined]
    if zone.size == 0:
        return False
    ordered = zone_groups(model, cmd)
    return np.isin(zone, ordered).mean() >= ZONE_COVER_SHARE


EXPECTED_ACTIONS: dict[str, ActionKind] = {
    "reissue_zone_order": ActionKind(
        "a shelter-in-place or evacuation order covering the AEGL-2 zone as it is now "
        f"(>= {ZONE_COVER_SHARE:.0%} of its resident groups)",
        ("order_shelter_in_place", "order_evacuation"),
        when=covers_aegl2_zone,
    ),
    "dispatch_hazmat": ActionKind(
        "a hazmat unit sent to the leak (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=("hazmat",),
        auto=True,
    ),
    "treat_casualties": ActionKind(
        "an ambulance sent to a casualty incident (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=("ambulance",),
        auto=True,
    ),
}
