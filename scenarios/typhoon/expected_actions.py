"""Expected-action kinds of a typhoon drill (registered by the plug-in)."""

from __future__ import annotations

from sim.expected_actions import ActionKind, unit_has_mode

EXPECTED_ACTIONS: dict[str, ActionKind] = {
    "dispatch_sea_rescue": ActionKind(
        "a boat or aircraft sent to a rescue at sea (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=("sea_rescue",),
        auto=True,
    ),
    "dispatch_water_rescue": ActionKind(
        "a boat sent to a flood/river rescue (auto-dispatch counts)",
        ("dispatch_unit",),
        incident_needs=("water_rescue",),
        auto=True,
    ),
    "preposition_rescue_teams": ActionKind(
        "a rescue-capable unit moved to a staging point",
        ("dispatch_unit",),
        when=unit_has_mode("road", "sea", "river", "air"),
        to_point=True,
    ),
}
