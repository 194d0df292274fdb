"""Entry point ``jmsim.hazards: forestfire``: params model, hazard factory, static indicator."""

from __future__ import annotations

from scenarios.forestfire.expected_actions import EXPECTED_ACTIONS
from scenarios.forestfire.injects import INJECT_PARAMS, place_problems
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


def inventory_lookout_coverage(inventory, world) -> tuple[float, str]:
    """``lookout_coverage_key_forest`` from the city inventory (static row of every scenario).

    Observers: the world's lookouts (if the inventory says so) and the inventory's
    cameras; key forest: the inventory's key areas. The target height is the
    default smoke height used by detection (`DetectionParams.smoke_height_m`), so
    coverage and detection agree on what "seen" means.
    """
    from .hazard import Observer
    from .params import DetectionParams
    from .viewshed import coverage

    det = DetectionParams()
    obs = []
    fac = getattr(world, "facilities", None)
    if inventory.lookouts.from_world_facilities and fac is not None and "kind" in fac:
        for r in fac[fac["kind"] == "lookout"].itertuples():
            obs.append(Observer(str(r.facility_id), "lookout", float(r.x_m), float(r.y_m),
                                det.lookout_height_m, det.lookout_range_km * 1000.0))  # fmt: skip
    for c in inventory.cameras.items:
        x, y = to_utm(c.lat, c.lon)
        obs.append(Observer(c.id, "camera", float(x), float(y), c.height_m, c.range_km * 1000.0))
    areas = []
    for a in inventory.key_forest_areas.items:
        x, y = to_utm(a.lat, a.lon)
        areas.append((float(x), float(y), a.radius_km * 1000.0))
    share, seen, total = coverage(world, obs, areas, target_h_m=det.smoke_height_m)
    where = ", ".join(a.name for a in inventory.key_forest_areas.items) or "all forest of the city"
    detail = (
        f"{seen} of {total} key-forest cells in {where} visible from {len(obs)} inventory "
        f"lookouts/cameras within range (viewshed on the world DEM, target = smoke at "
        f"{det.smoke_height_m:g} m as detection)"
    )
    return share, detail


class _Plugin:
    name = "forestfire"
    params_model = ForestFireParams
    inject_params = INJECT_PARAMS
    place_problems = staticmethod(place_problems)
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

    def inventory_lookout_coverage(self, inventory, world) -> tuple[float, str]:
        """Static lookout coverage from the city inventory (hook read by the scorecard)."""
        return inventory_lookout_coverage(inventory, world)


PLUGIN = _Plugin()
