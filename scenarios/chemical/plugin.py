"""Registration of the chemical-leak hazard with the engine (entry point `chemical`)."""

from __future__ import annotations

from typing import Any

from scenarios.chemical.expected_actions import EXPECTED_ACTIONS
from scenarios.chemical.hazard import ChemicalHazard
from scenarios.chemical.injects import INJECT_PARAMS, place_problems
from scenarios.chemical.params import ChemicalParams


class _Plugin:
    """What `sim.hazards.registry` loads: the params model and a builder."""

    name = "chemical"
    params_model = ChemicalParams
    inject_params = INJECT_PARAMS
    place_problems = staticmethod(place_problems)
    expected_actions = EXPECTED_ACTIONS

    def build(self, scenario: Any, world: Any, streams: Any) -> ChemicalHazard:
        """One run's hazard from the validated `hazard:` block."""
        return ChemicalHazard(scenario.hazard, world, streams)


PLUGIN = _Plugin()
