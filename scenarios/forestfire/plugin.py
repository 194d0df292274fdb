"""Entry point ``jmsim.hazards: forestfire``: params model, hazard factory, static indicator."""

from __future__ import annotations

from scenarios.forestfire.expected_actions import EXPECTED_ACTIONS
from sim.geo import to_utm

from .hazard import ForestFireHazard, observers_from
from .params import ForestFireParams
from .viewshed import coverage


def lookout_coverage(scenario, world) -> tuple[float, str]:
    """``lookout_coverage_key_forest``: share of key forest seen by a lookout/camera in range."""
    p: ForestFireParams = scenario.hazard
    obs = observers_from(world, p)
    areas = []
    for a in p.detection.key_areas:
        x, y = to_utm(a.lat, a.lon)
        areas.append((float(x), float(y), a.radius_km * 1000.0))
    share, seen, total = coverage(world, obs, areas, target_h_m=0.0)
    where = ", ".join(a.name for a in p.detection.key_areas) or "all forest of the city"
    detail = (
        f"{seen} of {total} key-forest cells (~{world.grid.cell_size_deg * 111:.2f} km) in {where} "
        f"visible from {len(obs)} lookouts/cameras within range (viewshed on the world DEM, "
        "ground level target)"
    )
    return share, detail


class _Plugin:
    name = "forestfire"
    params_model = ForestFireParams
    expected_actions = EXPECTED_ACTIONS

    def build(self, scenario, world, streams) -> ForestFireHazard:
        """A fresh hazard for one run."""
        return ForestFireHazard(scenario.hazard, world, streams, scenario.scenario.start_time)

    def static_indicators(self, scenario, world) -> dict:
        """Static indicators this hazard can compute (scorecard hook)."""
        from sim.indicators.static import StaticValue

        share, detail = lookout_coverage(scenario, world)
        if share != share:  # NaN: no key forest cells
            return {}
        return {"lookout_coverage_key_forest": StaticValue(share, detail)}


PLUGIN = _Plugin()
