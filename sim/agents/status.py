"""Where a response unit is in its dispatch cycle.

Kept apart from the Mesa agents in `sim.agents.units` so that code that only
matches units to incidents (the dispatch centre, the M/M/c check) does not have
to import Mesa.
"""

from __future__ import annotations

from enum import StrEnum


class UnitStatus(StrEnum):
    """Where a team is in its dispatch cycle."""

    AVAILABLE = "available"
    DISPATCHED = "dispatched"
    ON_SCENE = "on_scene"
    RETURNING = "returning"
    OUT_OF_SERVICE = "out_of_service"
