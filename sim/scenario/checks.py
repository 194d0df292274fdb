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

from pydantic import ValidationError

from sim.rng import MAX_SEED
from sim.scenario.inject_params import inject_params_table
from sim.scenario.places import place_problem, places_of, unit_medium
from sim.scenario.schema import LatLon, Scenario, WorldSpec
from sim.scenario.vocabulary import known_unit_types


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
                why = " ".join(msg.replace(f"{v}: ", "", 1).split())  # one line, path said once
                return None, [f"world.{key}: got {v!r}; expected {_expected_layer(key)} ({why})"]
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


#: Per facilities table: (table, length, ids as text, id -> first row's lat/lon). A batch
#: worker validates every sampled run's scenario against the same world, ~45 facility
#: references each; filtering the table per reference was most of that validation.
_FACILITY_LOOKUP: dict[int, tuple[Any, int, frozenset[str], dict[Any, tuple[float, float]]]] = {}


def _facility_lookup(fac: Any) -> tuple[frozenset[str], dict[Any, tuple[float, float]]]:
    hit = _FACILITY_LOOKUP.get(id(fac))
    if hit is not None and hit[0] is fac and hit[1] == len(fac):
        return hit[2], hit[3]
    ids = frozenset(fac["facility_id"].astype(str).tolist())
    latlon: dict[Any, tuple[float, float]] = {}
    if "lat" in fac:
        rows = zip(
            fac["facility_id"].tolist(), fac["lat"].tolist(), fac["lon"].tolist(), strict=True
        )
        for fid, lat, lon in rows:
            latlon.setdefault(fid, (float(lat), float(lon)))
    if len(_FACILITY_LOOKUP) > 8:
        _FACILITY_LOOKUP.clear()
    _FACILITY_LOOKUP[id(fac)] = (fac, len(fac), ids, latlon)
    return ids, latlon


def _facility_latlon(world: Any, fid: str) -> tuple[float, float] | None:
    fac = getattr(world, "facilities", None)
    if fac is None:
        return None
    return _facility_lookup(fac)[1].get(fid)


def _facility_problem(world: Any, path: str, fid: str) -> str | None:
    fac = getattr(world, "facilities", None)
    if fac is None:
        return f"{path}: got {fid!r}; expected lat/lon (this world has no facilities)"
    if fid in _facility_lookup(fac)[0]:
        return None
    ids = sorted(fac["facility_id"].astype(str))
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
    places = places_of(world) if hasattr(world, "grid") else None

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

    # -- reporting chain (国务院令第493号 Art. 9/10 deadlines) -----------------------------------
    rep = plan.reporting
    for level in ("town", "county"):
        hop = getattr(rep, level)
        if hop.deadline_min > rep.deadline_min:
            add(
                f"plan.reporting.{level}.deadline_min: got {hop.deadline_min:g}; expected at "
                f"most the whole chain's plan.reporting.deadline_min ({rep.deadline_min:g})"
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
    # MSEL expected-action kinds: `sim.expected_actions.unknown_kinds` (run by the loader)
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
            medium = unit_medium(u.vehicle)
            if places is not None and ll is not None:
                if (p := place_problem(places, path, *ll, medium)) is not None:
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
                if (line := place_problem(places, where, lat, lon, what)) is not None
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
            medium = {"land": "land", "flood": "land", "sea": "water", "river": "river"}.get(
                params.domain, "any"
            )
        elif kind in ("road_block", "road_reopen"):
            medium = "land"
        elif kind in ("ignite", "spot_fire"):
            medium = "burnable"
        if (p := place_problem(places, f"{path}.params", lat, lon, medium)) is not None:
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
