"""The words a scenario may use: unit types and MSEL expected-action kinds.

Tables, not code: a new unit type or action is one line here, or a hazard
plug-in adds its own through optional `unit_types` / `expected_actions`
attributes (tuples of names). The validator rejects anything else, so a typo
such as `forest_fire_por` cannot silently change how a team is scored.
"""

from __future__ import annotations

from typing import Any

#: Unit types the engine and the indicators know (type → what it is).
UNIT_TYPES: dict[str, str] = {
    "fire_engine": "urban fire engine with crew",
    "engine": "fire engine (short form)",
    "forest_engine": "forest-fire engine",
    "water_tender": "water tender",
    "hazmat_team": "hazardous-materials team",
    "ambulance": "ambulance",
    "emergency_comms_vehicle": "emergency communications vehicle",
    "forest_fire_pro": "professional forest-fire brigade (专业森林消防队)",
    "town_forest_team": "semi-professional town forest-fire team (镇街半专业扑火队)",
    "village_forest_team": "village forest-fire team",
    "rescue_boat": "sea-rescue boat",
    "patrol_craft": "patrol craft",
    "msa_patrol_craft": "maritime safety administration patrol craft",
    "volunteer_boat": "volunteer sea-rescue boat",
    "fire_rescue_boat": "river fire-rescue boat",
    "tug": "tug",
    "boat": "boat (generic)",
    "helicopter": "helicopter",
    "rescue_team": "general rescue team",
    "medical_team": "medical team",
    "police": "police unit",
    "truck": "relief truck",
}

#: Expected-action kinds an MSEL inject may ask of players (action → what it means).
#: The after-action report matches them to trainee commands (`sim.commands.ACTION_MATCH`).
EXPECTED_ACTIONS: dict[str, str] = {
    "dispatch": "send units",
    "dispatch_unit": "send a unit",
    "dispatch_rescue": "send rescue units to the incident",
    "dispatch_forest_fire_teams": "send forest-fire teams",
    "preposition_boats": "move boats to a forward position",
    "preposition_units": "move units to a forward position",
    "reposition_crews_to_flank": "move crews to the fire's flank",
    "evacuate": "order an evacuation",
    "order_evacuation": "order an evacuation",
    "shelter_in_place": "order shelter-in-place",
    "order_shelter_in_place": "order shelter-in-place",
    "warn_public": "issue a public warning",
    "issue_warning": "issue a public warning",
    "open_shelter": "open a shelter",
    "open_shelters": "open shelters",
    "request_mutual_aid": "ask for mutual aid",
    "request_provincial_helicopters": "ask the province for helicopters",
    "reissue_zone_order": "re-issue the protective-action zone order",
    "set_auto_dispatch": "switch automatic dispatch on or off",
}


def _extra(plugin: Any, attr: str) -> set[str]:
    return set(getattr(plugin, attr, ()) or ()) if plugin is not None else set()


def known_unit_types(plugin: Any = None) -> set[str]:
    """Unit types valid in a scenario of the given hazard plug-in."""
    return set(UNIT_TYPES) | _extra(plugin, "unit_types")


def known_actions(plugin: Any = None) -> set[str]:
    """Expected-action kinds valid in a scenario of the given hazard plug-in."""
    return set(EXPECTED_ACTIONS) | _extra(plugin, "expected_actions")
