"""Expected-action kinds of a typhoon drill (registered by the plug-in).

Sea and river rescue kinds are shared by every hazard (`sim.expected_actions.GENERIC`).
"""

from __future__ import annotations

from sim.expected_actions import ActionKind, unit_has_mode

EXPECTED_ACTIONS: dict[str, ActionKind] = {
    "preposition_rescue_teams": ActionKind(
        "a rescue-capable unit moved to a staging point before landfall",
        ("dispatch_unit",),
        when=unit_has_mode("road", "sea", "river", "air"),
        to_point=True,
    ),
    "restore_comms": ActionKind(
        "an emergency-comms unit sent to a comms outage (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=("emergency_comms",),
        auto=True,
    ),
}
