"""Static indicators: computed from the city-wide inventory only.

They compare what the whole city holds (shelter area, full-time firefighters,
forest-fire teams and their Ch.4 §3 equipment, rain gauges, lookouts and
cameras, towns with the 四个一 elements, departments with the 四合一 kit) with
its population and area. They never fall back to the units or shelters one
drill deploys (INDICATORS.md, "Static indicators").
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.indicators.inventory import Figure, Inventory, for_scenario
from sim.indicators.inventory.standards import KIT_4IN1, team_shortfalls


@dataclass(frozen=True)
class StaticValue:
    """A static indicator value with the inputs it was computed from."""

    value: float | None
    detail: str
    illustrative: bool = False
    n: int = 1
    k: int | None = None


def _prov(*figs: Figure) -> str:
    return "; ".join(f.provenance() for f in figs)


def compute_static(scenario, world) -> dict[str, StaticValue]:
    """All static indicators from the scenario's city-wide inventory."""
    inv = for_scenario(scenario)
    out: dict[str, StaticValue] = {}
    over = f" [overridden by the scenario: {', '.join(inv.overrides)}]" if inv.overrides else ""
    area, upop = inv.shelters.urban_area_m2, inv.urban_population_2020
    out["shelter_area_per_capita_urban"] = StaticValue(
        area.value / upop.value,
        f"{area.value:,.0f} m² urban shelter area ÷ {upop.value:,.0f} urban residents "
        f"({_prov(area)}; population {_prov(upop)}){over}",
        area.illustrative,
    )
    ff, pop = inv.fulltime_firefighters, inv.population_2020
    permille = ff.value / pop.value * 1000
    out["fulltime_firefighters_share"] = StaticValue(
        permille,
        f"{ff.value:,.0f} full-time firefighters ÷ {pop.value:,.0f} residents = {permille:.3f} ‰ "
        f"= {permille / 10:.4f} %. Read as ‰: the plan prints 0.45 %, which would need "
        f"{0.0045 * pop.value:,.0f} firefighters (implausible; ‰ gives "
        f"{0.00045 * pop.value:,.0f}). ({_prov(ff)}){over}",
        ff.illustrative,
    )
    g, land = inv.rain_gauges, inv.land_area_km2
    out["rain_gauges_per_100km2"] = StaticValue(
        g.value / land.value * 100,
        f"{g.value:,.0f} gauges ÷ {land.value:,.0f} km² × 100 ({_prov(g)}; area {_prov(land)})"
        + over,
        g.illustrative,
    )
    out["forest_fire_team_compliance"] = _forest_teams(inv, over)
    out["towns_four_ones"] = _four_ones(inv)
    out["equipment_compliance_town_up"] = _kit(inv)
    lk = _lookouts(scenario, world, inv)
    if lk is not None:
        out["lookout_coverage_key_forest"] = lk
    return out


def _forest_teams(inv: Inventory, over: str) -> StaticValue:
    n = ok = 0
    gaps: list[str] = []
    illus = False
    for t in inv.forest_fire_teams:
        n += t.count
        short = team_shortfalls(t.type, t.staff, t.equipment)
        illus |= t.illustrative
        if short:
            gaps.append(f"{t.count} {t.type}: {', '.join(short)}")
        else:
            ok += t.count
    detail = (
        f"{ok} of {n} forest-fire teams meet the full Ch.4 §3 standard (vehicles, pumps, hose, "
        f"extinguishers, drones, PPE per member)"
        + (f"; short: {'; '.join(gaps)}" if gaps else "")
        + ("; ILLUSTRATIVE team counts/equipment" if illus else "")
        + over
    )
    return StaticValue(ok / n if n else None, detail, illus, n=n, k=ok)


def _four_ones(inv: Inventory) -> StaticValue:
    t = inv.towns
    lacking = min(t.count, sum(t.four_ones.missing.values()))
    ok = t.count - lacking
    miss = ", ".join(f"{v} lack a {k}" for k, v in t.four_ones.missing.items()) or "none missing"
    return StaticValue(
        ok / t.count,
        f"{ok} of {t.count} towns/streets with all four (agency, rescue team, response platform, "
        f"supply warehouse; plan note 9); {miss} (towns: {t.source}; status "
        + ("ILLUSTRATIVE: " + t.four_ones.note if t.four_ones.illustrative else "cited")
        + ")",
        t.four_ones.illustrative,
        n=t.count,
        k=ok,
    )


def _kit(inv: Inventory) -> StaticValue:
    d = inv.departments_town_up
    hold = d.kit_4in1.holding
    ok = min([hold.get(k, 0) for k in KIT_4IN1] + [d.count])
    return StaticValue(
        ok / d.count,
        f"at most {ok} of {d.count} town-and-above departments hold the full 四合一 kit "
        f"({', '.join(f'{k} {hold.get(k, 0)}' for k in KIT_4IN1)}; departments: {d.source}; "
        + ("ILLUSTRATIVE holdings: " + d.kit_4in1.note if d.kit_4in1.illustrative else "cited")
        + ")",
        d.kit_4in1.illustrative,
        n=d.count,
        k=ok,
    )


def _lookouts(scenario, world, inv: Inventory) -> StaticValue | None:
    """Viewshed coverage by the forest-fire plug-in (optional `inventory_lookout_coverage`)."""
    if world is None or not hasattr(world, "grid"):
        return None
    from sim.hazards.registry import get_plugin

    try:
        plugin = get_plugin("forestfire")
    except (KeyError, ImportError):  # plug-in not installed
        return None
    hook = getattr(plugin, "inventory_lookout_coverage", None)
    if hook is None:
        return None
    share, detail = hook(inv, world)
    if share != share:  # NaN: no key forest cells
        return None
    illus = inv.cameras.illustrative or inv.key_forest_areas.illustrative
    return StaticValue(share, detail + ("; ILLUSTRATIVE cameras/key areas" if illus else ""), illus)
