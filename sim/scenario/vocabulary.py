"""The unit types a scenario may use.

A table, not code: a new unit type is one line here, or a hazard plug-in adds
its own through an optional `unit_types` attribute. The validator rejects
anything else, so a typo such as `forest_fire_por` cannot silently change how
a team is scored. MSEL expected-action kinds live with what credits them, in
`sim.expected_actions` (generic) and each plug-in's `expected_actions`.
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


def _extra(plugin: Any, attr: str) -> set[str]:
    return set(getattr(plugin, attr, ()) or ()) if plugin is not None else set()


def known_unit_types(plugin: Any = None) -> set[str]:
    """Unit types valid in a scenario of the given hazard plug-in."""
    return set(UNIT_TYPES) | _extra(plugin, "unit_types")
