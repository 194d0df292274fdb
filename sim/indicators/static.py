"""Static indicators: computed from the plan's inventory and the world's base data.

These need no simulation: they compare what the plan holds (shelter area,
full-time firefighters, equipped forest-fire teams, rain gauges) with the
population and area of the world.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.scenario.schema import Scenario

#: Plan Ch.4 §3 (提升森林火灾预防能力) minimum equipment per team type.
#: Town teams: ≥2 long-range high-pressure pumps and ≥2000 m hose; village teams:
#: ≥1 high-pressure pump and ≥1000 m hose. Other types fall back to `meets_standard`.
FOREST_TEAM_STANDARD: dict[str, dict[str, float]] = {
    "town_forest_team": {"pumps": 2, "hose_m": 2000},
    "village_forest_team": {"pumps": 1, "hose_m": 1000},
}


@dataclass(frozen=True)
class StaticValue:
    """A static indicator value with the inputs it was computed from."""

    value: float | None
    detail: str


def team_meets_standard(type_: str, equipment: dict, meets_standard: bool) -> bool:
    """Whether a forest-fire team meets the plan's equipment standard."""
    std = FOREST_TEAM_STANDARD.get(type_)
    if std is None:
        return meets_standard
    return all(equipment.get(k, 0) >= v for k, v in std.items())


def compute_static(scenario: Scenario, world) -> dict[str, StaticValue]:
    """All static indicators computable for this scenario's plan and world.

    City-wide figures come from `plan.inventory`; where it is silent, shelter
    area and forest-team compliance fall back to the shelters and teams listed
    in the plan, and the detail says so. Firefighters and rain gauges are never
    inferred from a drill's deployed units.
    """
    plan = scenario.plan
    inv = plan.inventory
    src = f" ({inv.source})" if inv.source else ""
    out: dict[str, StaticValue] = {}
    d = world.districts if world is not None and hasattr(world, "districts") else None
    if d is not None:
        urban_pop = float(d.loc[d["urban"], "pop_2020"].sum())
        if inv.urban_shelter_area_m2 is not None:
            area, what = inv.urban_shelter_area_m2, "inventory"
        elif plan.shelters:
            area, what = (
                sum(s.area_m2 for s in plan.shelters if s.urban),
                "shelters listed in the plan",
            )
        else:
            area = None
        if area is not None and urban_pop:
            out["shelter_area_per_capita_urban"] = StaticValue(
                area / urban_pop,
                f"{area:,.0f} m² urban shelter area ({what}{src}) / {urban_pop:,.0f} urban residents",
            )
        pop_total = float(d["pop_2020"].sum())
        if inv.fulltime_firefighters is not None and pop_total:
            ff = inv.fulltime_firefighters
            out["fulltime_firefighters_share"] = StaticValue(
                ff / pop_total * 100,
                f"{ff:,} full-time firefighters{src} / {pop_total:,.0f} residents",
            )
        if inv.rain_gauges is not None:
            area_km2 = float(d["area_km2"].sum())
            out["rain_gauges_per_100km2"] = StaticValue(
                inv.rain_gauges / area_km2 * 100,
                f"{inv.rain_gauges} gauges{src} / {area_km2:,.0f} km²",
            )
    if inv.forest_fire_teams:
        teams = [(t.type, t.count, t.equipment, t.meets_standard) for t in inv.forest_fire_teams]
        what = "inventory"
    else:
        teams = [
            (u.type, u.count, u.equipment, u.meets_standard)
            for u in plan.units
            if "forest_fire" in u.capabilities
        ]
        what = "teams deployed in this scenario"
    n = sum(c for _, c, _, _ in teams)
    if n:
        ok = sum(c for t, c, e, m in teams if team_meets_standard(t, e, m))
        out["forest_fire_team_compliance"] = StaticValue(
            ok / n, f"{ok} of {n} forest-fire teams meet the Ch.4 §3 standard ({what}{src})"
        )
    out.update(_plugin_static(scenario, world))
    return out


def _plugin_static(scenario: Scenario, world) -> dict[str, StaticValue]:
    """Static indicators a hazard plug-in computes itself (optional `static_indicators`)."""
    if world is None or scenario.scenario.hazard == "scripted":
        return {}
    from sim.hazards.registry import get_plugin

    try:
        plugin = get_plugin(scenario.scenario.hazard)
    except (KeyError, ImportError):  # plug-in not installed or not written yet
        return {}
    hook = getattr(plugin, "static_indicators", None)
    return dict(hook(scenario, world)) if hook is not None else {}
