"""Checks that need the world and the hazard plug-in.

Every reference resolves, every place lies in the world on the right medium,
every inject can be applied.

These are the checks `run` would otherwise fail on (or silently get wrong)
part-way through a batch; `validate_scenario_dict` runs them for `validate`,
`run`, `drill`, `compare` and `sweep` alike. Each problem is one line
`field.path: got VALUE; expected ...`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from pydantic import ValidationError

from sim.scenario.inject_params import inject_params_table
from sim.scenario.schema import MAX_SEED, LatLon, Scenario, WorldSpec
from sim.scenario.vocabulary import known_actions, known_unit_types

#: How far (km) a boat's base may be from water and a road unit's from land: the
#: world grid is ~0.9 km, so a quay or a coastal station can fall in a sea cell.
WATER_REACH_KM = 5.0
LAND_REACH_KM = 1.5
#: Aircraft may be based outside the world by this much (degrees, ~150 km): a
#: provincial helicopter at Zhuhai flies in; one in Beijing does not.
AIR_MARGIN_DEG = 1.5
#: How far (km) an ignition may be from a burnable cell (the fire starts at the nearest).
BURNABLE_REACH_KM = 3.0


def _short(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


@cache
def world_for(spec: WorldSpec):
    """The world a scenario runs on (cached per spec; overrides read once per process)."""
    from sim.run import load_world
    from sim.scenario.schema import Meta, Scenario

    meta = Meta(id="w", title="w", hazard="scripted", start_time="2025-01-01T00:00:00Z",
                duration_h=1)  # fmt: skip
    return load_world(Scenario(scenario=meta, world=spec))


def world_problems(spec: WorldSpec) -> tuple[Any, list[str]]:
    """(world or None, problems) for the `world:` section, naming the bad override."""
    from sim.world.errors import WorldError

    try:
        return world_for(spec), []
    except WorldError as exc:
        msg = str(exc)
        for key in ("dem", "landcover", "boundaries", "roads_osm"):
            v = getattr(spec, key)
            if v is not None and str(v) in msg:
                return None, [f"world.{key}: got {v!r}; expected {_expected_layer(key)} ({msg})"]
        return None, [f"world: cannot build the world: {msg}"]
    except (OSError, ValueError) as exc:
        return None, [f"world: cannot build the world: {exc}"]


def _expected_layer(key: str) -> str:
    return {
        "dem": "a readable GeoTIFF elevation raster",
        "landcover": "a readable GeoTIFF land-cover raster",
        "boundaries": "a GeoJSON file of district polygons",
        "roads_osm": "an OSM extract (.osm XML, .osm.pbf or GeoJSON lines)",
    }[key]


class Places:
    """Where things may be: world bounds, land, water, rivers, burnable land."""

    def __init__(self, world: Any) -> None:
        self.world = world
        g = world.grid
        w, s, e, n = g.bounds
        self.bounds = (float(w), float(s), float(e), float(n))
        self._trees: dict[str, Any] = {}

    def inside(self, lat: float, lon: float, margin_deg: float = 0.0) -> bool:
        """Whether lat/lon is inside the world's grid (widened by `margin_deg`)."""
        w, s, e, n = self.bounds
        m = margin_deg
        return s - m <= lat <= n + m and w - m <= lon <= e + m

    def _tree(self, what: str):
        if what not in self._trees:
            from scipy.spatial import cKDTree

            w = self.world
            if what == "river":
                pts = np.array(
                    [(d["x_m"], d["y_m"]) for _, d in w.rivers.nodes(data=True)], float
                ).reshape(-1, 2)
            else:
                mask = {
                    "water": ~w.is_land,
                    "land": w.is_land,
                    "burnable": w.is_land & np.isin(w.landcover, (3, 4, 5, 6, 7, 8)),
                }[what]
                pts = np.column_stack([w.grid.x_m[mask], w.grid.y_m[mask]])
            self._trees[what] = cKDTree(pts) if len(pts) else None
        return self._trees[what]

    def distance_km(self, what: str, lat: float, lon: float) -> float:
        """Distance (km) from lat/lon to the nearest cell/node of `what`."""
        from sim.geo import to_utm

        tree = self._tree(what)
        if tree is None:
            return float("inf")
        x, y = to_utm(lat, lon)
        d, _ = tree.query([float(x), float(y)])
        return float(d) / 1000.0


@cache
def _places(world: Any) -> Places:
    """One `Places` (and its search trees) per world: batches validate every run."""
    return Places(world)


def _place_problem(places: Places, path: str, lat: float, lon: float, medium: str) -> str | None:
    """A problem line if lat/lon is outside the world or not on/near `medium`."""
    got = f"lat {lat}, lon {lon}"
    margin = AIR_MARGIN_DEG if medium == "air" else 0.0
    if not places.inside(lat, lon, margin):
        w, s, e, n = places.bounds
        w, s, e, n = w - margin, s - margin, e + margin, n + margin
        return (
            f"{path}: got {got}; expected a place inside the world "
            f"(lat {s:.2f}..{n:.2f}, lon {w:.2f}..{e:.2f})"
        )
    reach = {
        "land": LAND_REACH_KM,
        "water": WATER_REACH_KM,
        "river": WATER_REACH_KM,
        "burnable": BURNABLE_REACH_KM,
        "sea_or_river": WATER_REACH_KM,
    }.get(medium)
    if reach is None:
        return None
    if medium == "sea_or_river":
        d = min(places.distance_km("water", lat, lon), places.distance_km("river", lat, lon))
    else:
        d = places.distance_km(medium, lat, lon)
    if d > reach:
        what = {
            "land": "on land",
            "water": "at sea or on the coast",
            "river": "on or beside a river",
            "burnable": "on burnable land (forest, shrub or grass)",
            "sea_or_river": "on or beside water",
        }[medium]
        return f"{path}: got {got} ({d:.1f} km away); expected a place {what}"
    return None


def _unit_medium(vehicle: Any) -> str:
    """Where a unit's base must be, from the modes its vehicle can use."""
    modes = {
        m for m in ("road", "sea", "river", "air") if getattr(vehicle, f"{m}_kmh", None) is not None
    }
    if "air" in modes:
        return "air"
    if "road" in modes or not modes:
        return "land"
    if modes == {"sea"}:
        return "water"
    if modes == {"river"}:
        return "river"
    return "sea_or_river"


def _facility_latlon(world: Any, fid: str) -> tuple[float, float] | None:
    fac = getattr(world, "facilities", None)
    if fac is None:
        return None
    row = fac[fac["facility_id"] == fid]
    if row.empty or "lat" not in row:
        return None
    return float(row["lat"].iloc[0]), float(row["lon"].iloc[0])


def _facility_problem(world: Any, path: str, fid: str) -> str | None:
    fac = getattr(world, "facilities", None)
    if fac is None:
        return f"{path}: got {fid!r}; expected lat/lon (this world has no facilities)"
    ids = sorted(fac["facility_id"].astype(str))
    if fid in ids:
        return None
    prefix = fid.rstrip("0123456789")
    near = [i for i in ids if i.startswith(prefix)][:8] if prefix else []
    shown = ", ".join(near or ids[:8])
    return f"{path}: got {fid!r}; expected a facility id of the world (e.g. {shown}, ...)"


def _team_ids(scen: Scenario) -> list[str]:
    out = []
    for u in scen.plan.units:
        out += [u.id] if u.count == 1 else [f"{u.id}-{k + 1}" for k in range(u.count)]
    return out


def _format(err: ValidationError, model: Any, prefix: str) -> list[str]:
    from sim.scenario.loader import format_validation_error

    return [
        f"{prefix}.{line}" if not line.startswith("(top level)") else f"{prefix}{line[11:]}"
        for line in format_validation_error(err, model)
    ]


def semantic_problems(scen: Scenario, plugin: Any, raw_hazard: Any, world: Any) -> list[str]:
    """Every reference, place, inject and vocabulary problem of a typed scenario."""
    problems: list[str] = []
    add = problems.append
    plan = scen.plan
    places = _places(world) if hasattr(world, "grid") else None

    # -- sections that must say something ------------------------------------------------
    if raw_hazard is None or raw_hazard == {}:
        add(
            f"hazard: got {_short(raw_hazard)}; expected the {scen.scenario.hazard} hazard's "
            f"parameters (at least `type: {scen.scenario.hazard}`)"
        )
    if plan.baseline == "none":
        if plan.units or plan.depots or plan.shelters:
            add(
                "plan.baseline: got 'none' with units, depots or shelters; expected a "
                "no-response baseline to list none of them"
            )
    elif not plan.units:
        add(
            "plan.units: got no units; expected at least one unit, or `plan: {baseline: none}` "
            "to run a no-response baseline on purpose"
        )

    # -- run settings ---------------------------------------------------------------------------
    if scen.run.seed + scen.run.runs - 1 > MAX_SEED:
        add(f"run.seed: got {scen.run.seed}; expected 0..{MAX_SEED} (2**62)")

    # -- vocabulary --------------------------------------------------------------------------------
    types = known_unit_types(plugin)
    for i, u in enumerate(plan.units):
        if u.type not in types:
            add(
                f"plan.units[{i}].type: got {u.type!r}; expected a known unit type "
                f"({', '.join(sorted(types))})"
            )
    actions = known_actions(plugin)
    for i, inj in enumerate(scen.msel):
        for j, ea in enumerate(inj.expected_actions):
            if ea.action not in actions:
                add(
                    f"msel[{i}].expected_actions[{j}].action: got {ea.action!r}; expected one "
                    f"of {', '.join(sorted(actions))}"
                )
    if scen.indicators.include != "all":
        from sim.indicators.catalog import CATALOG

        for i, ind in enumerate(scen.indicators.include):
            if ind not in CATALOG:
                add(
                    f"indicators.include[{i}]: got {ind!r}; expected an indicator id "
                    f"({', '.join(sorted(CATALOG))})"
                )

    # -- facilities and places of the plan ----------------------------------------------------------
    if world is not None:
        for i, u in enumerate(plan.units):
            path = f"plan.units[{i}].base"
            if isinstance(u.base, LatLon):
                ll = (u.base.lat, u.base.lon)
            else:
                if (p := _facility_problem(world, path, u.base)) is not None:
                    add(p)
                    continue
                ll = _facility_latlon(world, u.base)
            medium = _unit_medium(u.vehicle)
            if places is not None and ll is not None:
                if (p := _place_problem(places, path, *ll, medium)) is not None:
                    add(p)
        for what, items in (("depots", plan.depots), ("shelters", plan.shelters)):
            for i, d in enumerate(items):
                if p := _facility_problem(world, f"plan.{what}[{i}].facility", d.facility):
                    add(p)

    # -- districts -----------------------------------------------------------------------------------
    codes = None
    if world is not None and getattr(world, "districts", None) is not None:
        codes = {int(c) for c in world.districts["adcode"]}
    if codes is not None:
        res = scen.residents
        if res is not None and res.districts != "all":
            for j, c in enumerate(res.districts):
                if c not in codes:
                    add(
                        f"residents.districts[{j}]: got {c!r}; expected a district code of the "
                        f"world ({', '.join(map(str, sorted(codes)))})"
                    )
        problems += _hazard_districts(raw_hazard, codes)

    # -- injects -------------------------------------------------------------------------------------
    table = inject_params_table(plugin)
    teams = set(_team_ids(scen))
    end = scen.duration_min
    for i, inj in enumerate(scen.msel):
        path = f"msel[{i}]"
        if inj.at_min > end:
            add(
                f"{path}.at_min: got {inj.at_min:g}; expected at most {end:g} "
                f"(the scenario ends after {scen.scenario.duration_h:g} h)"
            )
        model = table.get(inj.kind)
        if model is None:
            add(f"{path}.kind: got {inj.kind!r}; expected one of {', '.join(sorted(table))}")
            continue
        try:
            params = model.model_validate(inj.params)
        except ValidationError as err:
            problems += _format(err, model, f"{path}.params")
            continue
        problems += _inject_refs(path, inj.kind, params, teams, codes, places)
    if places is not None:
        hook = getattr(plugin, "place_problems", None)
        if hook is not None:
            problems += [
                line
                for what, where, lat, lon in hook(scen.hazard)
                if (line := _place_problem(places, where, lat, lon, what)) is not None
            ]
    return problems


def _inject_refs(path, kind, params, teams, codes, places) -> list[str]:
    out = []
    unit_id = getattr(params, "unit_id", None)
    if unit_id is not None and unit_id not in teams:
        members = sorted(t for t in teams if t.rsplit("-", 1)[0] == unit_id)
        if members:
            hint = f"one unit of group {unit_id!r}: {members[0]} .. {members[-1]}"
        else:
            hint = f"{', '.join(sorted(teams)[:12])}{', ...' if len(teams) > 12 else ''}"
        out.append(f"{path}.params.unit_id: got {unit_id!r}; expected a unit of the plan ({hint})")
    districts = getattr(params, "districts", None)
    if districts and codes is not None:
        for j, c in enumerate(districts):
            if c not in codes:
                out.append(
                    f"{path}.params.districts[{j}]: got {c!r}; expected a district code of the "
                    f"world ({', '.join(map(str, sorted(codes)))})"
                )
    lat, lon = getattr(params, "lat", None), getattr(params, "lon", None)
    if places is not None and lat is not None and lon is not None:
        medium = "any"
        if kind == "incident":
            medium = {"land": "land", "sea": "water", "river": "river"}.get(params.domain, "any")
        elif kind in ("road_block", "road_reopen"):
            medium = "land"
        elif kind in ("ignite", "spot_fire"):
            medium = "burnable"
        if (p := _place_problem(places, f"{path}.params", lat, lon, medium)) is not None:
            out.append(p)
    return out


def _hazard_districts(raw: Any, codes: set[int]) -> list[str]:
    """Every `districts: [...]` list under `hazard:` must name districts of the world."""
    out: list[str] = []

    def walk(obj: Any, path: str) -> None:
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == "districts" and isinstance(v, list):
                    for j, c in enumerate(v):
                        if isinstance(c, int) and c not in codes:
                            out.append(
                                f"{path}.districts[{j}]: got {c!r}; expected a district code "
                                f"of the world ({', '.join(map(str, sorted(codes)))})"
                            )
                else:
                    walk(v, f"{path}.{k}")
        elif isinstance(obj, list):
            for j, v in enumerate(obj):
                walk(v, f"{path}[{j}]")

    walk(raw, "hazard")
    return out
