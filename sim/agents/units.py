"""Response units as Mesa agents: teams and the vehicles that carry them.

A `Team` is the dispatchable unit (crew, capabilities, base, status); it rides a
`Vehicle` whose speed depends on the mode of travel. Both are Mesa agents so
that the visualiser and data collection see them like any other agent, while
their movements are SimPy processes on the model clock.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.agents.status import UnitStatus, route_position

if TYPE_CHECKING:
    from sim.scenario.schema import VehicleSpec

MODES = ("road", "foot", "sea", "river", "air")

__all__ = ["MODES", "Team", "UnitStatus", "Vehicle"]


class Vehicle(mesa.Agent):
    """A vehicle, boat or aircraft: speeds per mode and carrying capacity."""

    def __init__(self, model: mesa.Model, vid: str, spec: VehicleSpec) -> None:
        super().__init__(model)
        self.vid = vid
        self.type = spec.type
        self.capacity = spec.capacity
        self.speed_kmh: dict[str, float | None] = {
            "road": spec.road_kmh,
            "foot": spec.foot_kmh,
            "sea": spec.sea_kmh,
            "river": spec.river_kmh,
            "air": spec.air_kmh,
        }

    def can(self, mode: str) -> bool:
        """Whether the vehicle can travel in `mode`."""
        return self.speed_kmh.get(mode) is not None


class Team(mesa.Agent):
    """A dispatchable response team with its vehicle."""

    def __init__(
        self,
        model: mesa.Model,
        uid: str,
        type_: str,
        crew: int,
        capabilities: frozenset[str],
        base_xy: tuple[float, float],
        vehicle: Vehicle,
        *,
        group: str,
        fulltime: bool = True,
        meets_standard: bool = True,
        launch_limit_wind_m_s: float | None = None,
    ) -> None:
        super().__init__(model)
        self.uid = uid
        self.group = group
        self.type = type_
        self.crew = crew
        self.capabilities = capabilities
        self.base_xy = base_xy
        self.xy = base_xy
        self.vehicle = vehicle
        self.fulltime = fulltime
        self.meets_standard = meets_standard
        self.launch_limit_wind_m_s = launch_limit_wind_m_s
        self.status = UnitStatus.AVAILABLE
        self.incident_id = ""
        self.mode = ""  # travel mode of the current assignment
        self.phase = ""  # turnout / hold / travel / on_scene / returning while committed
        self.route_xy: np.ndarray | None = None
        self.route_t: tuple[float, float] = (math.nan, math.nan)

    def position_at(self, t: float) -> tuple[float, float]:
        """Position at time `t`, interpolated along the current route if moving."""
        return route_position(self.xy, self.route_xy, self.route_t, t)

    def can_serve(self, needs: str) -> bool:
        """Whether the team has the capability an incident needs."""
        return needs in self.capabilities or "any" in self.capabilities
