"""Entry point `jmsim.hazards: typhoon` — validates the `hazard:` block and builds the hazard."""

from __future__ import annotations

from scenarios.typhoon.expected_actions import EXPECTED_ACTIONS
from scenarios.typhoon.params import TyphoonParams


class _Plugin:
    name = "typhoon"
    params_model = TyphoonParams
    expected_actions = EXPECTED_ACTIONS

    def build(self, scenario, world, streams):
        """A `TyphoonHazard` for one run."""
        from scenarios.typhoon.hazard import TyphoonHazard

        return TyphoonHazard(scenario.hazard, scenario, world, streams)


PLUGIN = _Plugin()
