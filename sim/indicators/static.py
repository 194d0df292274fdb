"""Static indicators: computed from the plan's inventory and the world's base data.

These need no simulation: they compare what the plan holds (shelter area,
full-time firefighters, equipped forest-fire teams, rain gauges) with the
population and area of the world.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.scenario.schema import Scenario, UnitSpec

#: Plan Ch.4 §3 (提升森林火灾预防能力) minimum equipment per team type.
#: Town teams: ≥2 long-range high-pressure pumps and ≥2000 m hose; village teams:
#: ≥1 high-pressure pump and ≥1000 m hose. Other types fall back to `meets_standard`.
FOREST_TEAM_STANDARD: dict[str, dict[str, float]] = {
    "town_forest_team": {"pumps": 2, "hose_m": 2000},
    "village_forest_team": {"pumps": 1, "hose_m": 1000},
}
FIRE_CAPABILITIES = frozenset({"fire", "forest_fire", "urban_fire"})


@dataclass(frozen=True)
class StaticValue:
    """A static indicator value with the inputs it was computed from."""

    value: float | None
    detail: str


def team_meets_standard(u: UnitSpec) -> bool:
    """Whether a forest-fire team meets the plan's equipment standard."""
    std = FOREST_TEAM_STANDARD.get(u.type)
    if std is None:
        return u.meets_standard
    return all(u.equipment.get(k, 0) >= v for k, v in std.items())


def compute_static(scenario: Scenario, world) -> dict[str, StaticValue]:
    """All static indicators computable for this scenario's plan and world."""
    plan = scenario.plan
    out: dict[str, StaticValue] = {}
    d = world.districts if world is not None else None
    pop_total = float(d["pop_2020"].sum()) if d is not None else None
    if d is not None and plan.shelters:
        urban_pop = float(d.loc[d["urban"], "pop_2020"].sum())
        area = sum(s.area_m2 for s in plan.shelters if s.urban)
        out["shelter_area_per_capita_urban"] = StaticValue(
            area / urban_pop if urban_pop else None,
            f"{area:,.0f} m² urban shelter area / {urban_pop:,.0f} urban residents",
        )
    if pop_total:
        ff = sum(
            u.crew * u.count
            for u in plan.units
            if u.fulltime and FIRE_CAPABILITIES & set(u.capabilities)
        )
        out["fulltime_firefighters_share"] = StaticValue(
            ff / pop_total * 100, f"{ff:,} full-time firefighters / {pop_total:,.0f} residents"
        )
    teams = [u for u in plan.units if "forest_fire" in u.capabilities]
    if teams:
        n = sum(u.count for u in teams)
        ok = sum(u.count for u in teams if team_meets_standard(u))
        out["forest_fire_team_compliance"] = StaticValue(
            ok / n, f"{ok} of {n} forest-fire teams meet the standard"
        )
    if plan.rain_gauges is not None and d is not None:
        area_km2 = float(d["area_km2"].sum())
        out["rain_gauges_per_100km2"] = StaticValue(
            plan.rain_gauges / area_km2 * 100, f"{plan.rain_gauges} gauges / {area_km2:,.0f} km²"
        )
    return out
