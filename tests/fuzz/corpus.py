"""Malformed scenario files generated from the shipped scenarios of every hazard.

Each case is a file plus its class (what kind of mistake it holds) and whether
jmsim is meant to accept it. `generate(out_dir)` writes the corpus and returns
the cases; `FAST` names a small subset (one or two per class) for the default
test run. The generator only mutates copies of shipped scenarios, so it keeps
working when scenarios change.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*/*.yaml"))

#: Classes of malformation, in report order.
CLASSES = (
    "intended_accept",
    "yaml_bomb",
    "yaml_depth",
    "file_size",
    "yaml_duplicate_key",
    "yaml_syntax",
    "unknown_facility",
    "bad_inject",
    "unknown_unit_type",
    "inject_after_end",
    "unknown_district",
    "unknown_indicator_or_action",
    "empty_section",
    "non_finite_number",
    "bool_as_number",
    "out_of_range_number",
    "bad_seed",
    "bad_place",
    "world_override",
)


@dataclass(frozen=True)
class Case:
    """One corpus file: name, class, whether jmsim should accept it, and the file."""

    name: str
    cls: str
    expect: str  # "accept" or "reject"
    path: Path


def _load(p: Path) -> dict:
    return yaml.safe_load(p.read_text(encoding="utf-8"))


def _dump(d: Any) -> str:
    return yaml.safe_dump(d, allow_unicode=True, sort_keys=False, width=100)


def _by_hazard() -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for p in SCENARIOS:
        out.setdefault(_load(p)["scenario"]["hazard"], []).append(p)
    return out


Mut = Callable[[dict], Any]


def _set(path: list, value: Any) -> Mut:
    def f(d: dict) -> None:
        cur = d
        for k in path[:-1]:
            cur = cur[k]
        cur[path[-1]] = value

    return f


def _first_unit(d: dict) -> dict:
    return d["plan"]["units"][0]


def _msel_add(inj: dict) -> Mut:
    def f(d: dict) -> None:
        d.setdefault("msel", []).append(inj)

    return f


def _sea_unit(d: dict) -> dict:
    for u in d["plan"]["units"]:
        if u["vehicle"].get("sea_kmh"):
            return u
    raise KeyError("no sea unit")  # the generator then tries the hazard's next file


def _road_unit(d: dict) -> dict:
    for u in d["plan"]["units"]:
        v = u["vehicle"]
        if v.get("road_kmh", 60) and not v.get("sea_kmh") and not v.get("air_kmh"):
            return u
    raise KeyError("no road unit")


HAZARDS = ("chemical", "forestfire", "scripted", "typhoon")


def _share_vehicles(d: dict) -> None:
    """Units of the same vehicle type share one mapping: safe_dump writes an anchor + aliases."""
    seen: dict[str, dict] = {}
    for u in d["plan"]["units"]:
        u["vehicle"] = seen.setdefault(str(sorted(u["vehicle"].items())), u["vehicle"])


# Places (lat, lon) used by the place mutations.
BEIJING = {"lat": 39.9, "lon": 116.4}
ORIGIN = {"lat": 0.0, "lon": 0.0}
KAIPING_INLAND = {"lat": 22.38, "lon": 112.57}  # land, far from sea
OPEN_SEA = {"lat": 21.55, "lon": 112.75}  # south of 上川/下川, at sea


def _semantic_mutations(hazard: str) -> list[tuple[str, str, str, Mut]]:
    """(name, class, expect, mutation) for a parsed scenario of `hazard`."""
    general: list[tuple[str, str, str, Mut]] = [
        # -- references ------------------------------------------------------------------
        ("unit_base_unknown", "unknown_facility", "reject",
         lambda d: _first_unit(d).update(base="FIR999")),
        ("shelter_unknown", "unknown_facility", "reject",
         lambda d: d["plan"].setdefault("shelters", []).append(
             {"facility": "SHE_NOPE", "capacity_people": 100, "area_m2": 100})),
        ("depot_unknown", "unknown_facility", "reject",
         lambda d: d["plan"].setdefault("depots", []).append(
             {"facility": "DEP404", "level": "city", "stock_kits": 10})),
        ("inject_kind_unknown", "bad_inject", "reject",
         _msel_add({"id": "FZ1", "at_min": 5, "kind": "alien_landing"})),
        ("inject_incident_no_place", "bad_inject", "reject",
         _msel_add({"id": "FZ2", "at_min": 5, "kind": "incident", "params": {"needs": "general"}})),
        ("inject_breakdown_unknown_unit", "bad_inject", "reject",
         _msel_add({"id": "FZ3", "at_min": 5, "kind": "unit_breakdown",
                    "params": {"unit_id": "ghost"}})),
        ("inject_params_not_mapping", "bad_inject", "reject",
         _msel_add({"id": "FZ4", "at_min": 5, "kind": "warning", "params": [1, 2]})),
        ("inject_road_block_no_place", "bad_inject", "reject",
         _msel_add({"id": "FZ5", "at_min": 5, "kind": "road_block", "params": {}})),
        ("inject_incident_priority_text", "bad_inject", "reject",
         _msel_add({"id": "FZ6", "at_min": 5, "kind": "incident",
                    "params": {"lat": 22.58, "lon": 113.08, "priority": "high"}})),
        ("inject_incident_bad_lat", "bad_inject", "reject",
         _msel_add({"id": "FZ7", "at_min": 5, "kind": "incident",
                    "params": {"lat": 222.5, "lon": 113.08}})),
        ("unit_type_unknown", "unknown_unit_type", "reject",
         lambda d: _first_unit(d).update(type="flying_carpet")),
        ("inject_after_end", "inject_after_end", "reject",
         _msel_add({"id": "FZ8", "at_min": 10**6, "kind": "note"})),
        ("inject_just_after_end", "inject_after_end", "reject",
         lambda d: d.setdefault("msel", []).append(
             {"id": "FZ9", "at_min": d["scenario"]["duration_h"] * 60 + 1, "kind": "note"})),
        ("residents_district_unknown", "unknown_district", "reject",
         lambda d: d.setdefault("residents", {}).update(districts=[999999])),
        ("inject_district_unknown", "unknown_district", "reject",
         _msel_add({"id": "FZ10", "at_min": 5, "kind": "warning",
                    "params": {"districts": [123456]}})),
        ("indicator_unknown", "unknown_indicator_or_action", "reject",
         lambda d: d.setdefault("indicators", {}).update(include=["happiness_index"])),
        ("expected_action_unknown", "unknown_indicator_or_action", "reject",
         _msel_add({"id": "FZ11", "at_min": 5, "kind": "note",
                    "expected_actions": [{"action": "do_a_dance", "within_min": 5}]})),
        # -- empty sections -------------------------------------------------------------------
        ("hazard_empty", "empty_section", "reject", lambda d: d.update(hazard={})),
        ("hazard_null", "empty_section", "reject", lambda d: d.update(hazard=None)),
        ("plan_empty", "empty_section", "reject", lambda d: d.update(plan={})),
        ("plan_units_empty", "empty_section", "reject", lambda d: d["plan"].update(units=[])),
        ("plan_baseline_none", "intended_accept", "accept",
         lambda d: d.update(plan={"baseline": "none"})),
        # -- numbers --------------------------------------------------------------------------
        ("duration_true", "bool_as_number", "reject",
         _set(["scenario", "duration_h"], True)),
        ("unit_count_true", "bool_as_number", "reject", lambda d: _first_unit(d).update(count=True)),
        ("tick_false", "bool_as_number", "reject", lambda d: d["run"].update(tick_min=False)),
        ("delay_nan", "non_finite_number", "reject",
         lambda d: d["plan"].setdefault("warning", {}).update(
             channels=[{"name": "sms", "reach": 0.5, "delay_min": math.nan}])),
        ("delay_inf", "non_finite_number", "reject",
         lambda d: d["plan"].setdefault("warning", {}).update(
             channels=[{"name": "sms", "reach": 0.5, "delay_min": math.inf}])),
        ("area_inf", "non_finite_number", "reject",
         lambda d: d["plan"].setdefault("shelters", []).append(
             {"facility": "SHE01", "capacity_people": 10, "area_m2": math.inf})),
        ("inject_time_inf", "non_finite_number", "reject",
         _msel_add({"id": "FZ12", "at_min": math.inf, "kind": "note"})),
        ("inject_time_nan", "non_finite_number", "reject",
         _msel_add({"id": "FZ13", "at_min": math.nan, "kind": "note"})),
        ("inject_param_nan", "non_finite_number", "reject",
         _msel_add({"id": "FZ14", "at_min": 5, "kind": "incident",
                    "params": {"lat": math.nan, "lon": 113.0}})),
        ("duration_negative", "out_of_range_number", "reject",
         _set(["scenario", "duration_h"], -5)),
        ("unit_count_zero", "out_of_range_number", "reject",
         lambda d: _first_unit(d).update(count=0)),
        ("equipment_negative", "out_of_range_number", "reject",
         lambda d: _first_unit(d).update(equipment={"pumps": -3})),
        ("seed_huge", "bad_seed", "reject", lambda d: d["run"].update(seed=2**80)),
        ("seed_2_63", "bad_seed", "reject", lambda d: d["run"].update(seed=2**63)),
        ("seed_negative", "bad_seed", "reject", lambda d: d["run"].update(seed=-1)),
        ("seed_text", "bad_seed", "reject", lambda d: d["run"].update(seed="lucky")),
        # -- places ---------------------------------------------------------------------------
        ("unit_base_beijing", "bad_place", "reject",
         lambda d: _first_unit(d).update(base=dict(BEIJING))),
        ("unit_base_origin", "bad_place", "reject",
         lambda d: _first_unit(d).update(base=dict(ORIGIN))),
        ("incident_beijing", "bad_place", "reject",
         _msel_add({"id": "FZ15", "at_min": 5, "kind": "incident", "params": dict(BEIJING)})),
        ("sea_incident_on_land", "bad_place", "reject",
         _msel_add({"id": "FZ16", "at_min": 5, "kind": "incident",
                    "params": {**KAIPING_INLAND, "domain": "sea", "needs": "sea_rescue"}})),
        ("land_incident_at_sea", "bad_place", "reject",
         _msel_add({"id": "FZ17", "at_min": 5, "kind": "incident",
                    "params": {**OPEN_SEA, "domain": "land"}})),
        # -- harmless variations ------------------------------------------------------------------
        ("unchanged", "intended_accept", "accept", lambda d: None),
        ("anchors_small_legit", "intended_accept", "accept", _share_vehicles),
        ("seed_max_int32", "intended_accept", "accept", lambda d: d["run"].update(seed=2**31 - 1)),
        ("extra_approximate_note", "intended_accept", "accept",
         lambda d: d["scenario"].setdefault("approximate", []).append("fuzz: nothing")),
        ("note_inject_added", "intended_accept", "accept",
         _msel_add({"id": "FZ18", "at_min": 1, "kind": "note", "description": "ok"})),
        ("world_override_missing_dem", "world_override", "reject",
         lambda d: d.setdefault("world", {}).update(dem="no_such_dem.tif")),
        ("world_override_bad_boundaries", "world_override", "reject",
         lambda d: d.setdefault("world", {}).update(boundaries="not_geojson.geojson")),
        ("world_override_bad_landcover", "world_override", "reject",
         lambda d: d.setdefault("world", {}).update(landcover="not_geojson.geojson")),
        ("world_override_missing_roads", "world_override", "reject",
         lambda d: d.setdefault("world", {}).update(roads_osm="no_such_roads.osm")),
    ]  # fmt: skip
    # Each general mutation goes to half of the hazards (alternating), to keep the corpus
    # small enough to run; hazard-specific ones follow.
    h = HAZARDS.index(hazard) if hazard in HAZARDS else 0
    m = [g for i, g in enumerate(general) if (i + h) % 2 == 0 or g[1] == "intended_accept"]
    sea = {
        ("sea_unit_base_inland", "bad_place", "reject"): lambda d: _sea_unit(d).update(
            base=dict(KAIPING_INLAND)
        ),
    }
    road = {
        ("road_unit_base_at_sea", "bad_place", "reject"): lambda d: _road_unit(d).update(
            base=dict(OPEN_SEA)
        ),
    }
    for (n, c, e), f in {**sea, **road}.items():
        m.append((n, c, e, f))
    if hazard == "chemical":
        m += [
            ("orifice_below_atmospheric", "out_of_range_number", "reject",
             lambda d: d["hazard"]["release"].update(
                 rate_kg_s=None,
                 orifice={"phase": "gas", "hole_diameter_m": 0.01, "pressure_pa": 50000})),
            ("release_rate_inf", "non_finite_number", "reject",
             lambda d: d["hazard"]["release"].update(rate_kg_s=math.inf)),
            ("chem_inject_bad_rate", "bad_inject", "reject",
             _msel_add({"id": "FZC1", "at_min": 5, "kind": "release_rate_change",
                        "params": {"rate_kg_s": -1}})),
            ("chem_inject_wind_text", "bad_inject", "reject",
             _msel_add({"id": "FZC2", "at_min": 5, "kind": "wind_shift",
                        "params": {"wind_m_s": "fast"}})),
            ("chem_source_at_sea", "bad_place", "reject",
             lambda d: d["hazard"]["release"].update(**OPEN_SEA)),
        ]  # fmt: skip
    if hazard == "forestfire":
        m += [
            ("ignition_in_sea", "bad_place", "reject",
             lambda d: d["hazard"]["ignitions"][0].update(**OPEN_SEA)),
            ("ignition_beijing", "bad_place", "reject",
             lambda d: d["hazard"]["ignitions"][0].update(**BEIJING)),
            ("ignition_time_nan", "non_finite_number", "reject",
             lambda d: d["hazard"]["ignitions"][0].update(at_min=math.nan)),
            ("ff_inject_bad_param", "bad_inject", "reject",
             _msel_add({"id": "FZF1", "at_min": 5, "kind": "wind_shift",
                        "params": {"gusts": 3}})),
            ("ff_spot_fire_in_sea", "bad_place", "reject",
             _msel_add({"id": "FZF2", "at_min": 5, "kind": "ignite", "params": dict(OPEN_SEA)})),
            ("wind_true", "bool_as_number", "reject",
             lambda d: d["hazard"]["weather"].update(wind_speed_10m_m_s=True)),
        ]  # fmt: skip
    if hazard == "typhoon":
        m += [
            ("gdp_inf", "non_finite_number", "reject",
             lambda d: d["hazard"].setdefault("impacts", {}).update(gdp_cny=math.inf)),
            ("shift_north_nan", "non_finite_number", "reject",
             lambda d: d["hazard"].update(variant={"shift_north_km": math.nan})),
            ("shift_north_inf", "non_finite_number", "reject",
             lambda d: d["hazard"].update(variant={"shift_north_km": math.inf})),
            ("evac_district_unknown", "unknown_district", "reject",
             lambda d: d["hazard"]["evacuations"][0].update(zone={"districts": [111111]})),
        ]  # fmt: skip
    if hazard == "scripted":
        m += [
            ("stream_rate_nan", "non_finite_number", "reject",
             lambda d: d["hazard"]["streams"][0].update(rate_per_h=math.nan)),
            ("stream_rate_true", "bool_as_number", "reject",
             lambda d: d["hazard"]["streams"][0].update(rate_per_h=True)),
        ]  # fmt: skip
    return m


def _text_cases(base: Path, text: str) -> list[tuple[str, str, str, str | bytes]]:
    """Cases built on the YAML text (bombs, depth, duplicates, syntax, size)."""
    laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, 10):
        prev = ", ".join([f"*a{i - 1}"] * 9)
        laughs += f"a{i}: &a{i} [{prev}]\n"
    bomb_in_notes = text.replace(
        "scenario:\n", "x-bomb:\n" + "".join("  " + ln + "\n" for ln in laughs.splitlines()) +
        "scenario:\n", 1)  # fmt: skip
    bomb_in_approx = laughs.replace("a9: &a9", "top: &a9") + text.replace(
        "  approximate:\n", "  approximate: *a9\n  approximate_old:\n", 1
    )
    recursive = "loop: &loop [*loop]\n" + text
    deep_list = "[" * 10000 + "]" * 10000 + "\n"
    deep_map = "".join("  " * i + f"k{i}:\n" for i in range(1000)) + "  " * 1000 + "v: 1\n"
    deep_in_plan = text.replace("plan:\n", "plan:\n  x: " + "[" * 5000 + "]" * 5000 + "\n", 1)
    dup_top = text + "\nrun:\n  seed: 7\n"
    dup_unit = text.replace("    - {id: ", "    - {count: 2, count: 3, id: ", 1)
    dup_meta = text.replace("scenario:\n", "scenario:\n  duration_h: 1\n", 1)
    return [
        ("bomb_billion_laughs", "yaml_bomb", "reject", laughs),
        ("bomb_in_extra_key", "yaml_bomb", "reject", bomb_in_notes),
        ("bomb_in_approximate", "yaml_bomb", "reject", bomb_in_approx),
        ("bomb_recursive_alias", "yaml_bomb", "reject", recursive),
        ("deep_list_10000", "yaml_depth", "reject", deep_list),
        ("deep_map_1000", "yaml_depth", "reject", deep_map),
        ("deep_in_plan", "yaml_depth", "reject", deep_in_plan),
        ("dup_top_level_run", "yaml_duplicate_key", "reject", dup_top),
        ("dup_unit_count", "yaml_duplicate_key", "reject", dup_unit),
        ("dup_duration", "yaml_duplicate_key", "reject", dup_meta),
        ("syntax_unclosed", "yaml_syntax", "reject", text + "\nbroken: [1, 2\n"),
        ("syntax_tab_indent", "yaml_syntax", "reject", text.replace("\n  ", "\n\t", 3)),
        ("syntax_python_tag", "yaml_syntax", "reject",
         text + "\nx: !!python/object/apply:os.system ['echo pwned']\n"),
        ("syntax_top_list", "yaml_syntax", "reject", "- 1\n- 2\n"),
        ("syntax_empty_file", "yaml_syntax", "reject", ""),
        ("syntax_invalid_utf8", "yaml_syntax", "reject", b"scenario:\n  id: \xff\xfe\n"),
        ("comment_padding_1mb", "intended_accept", "accept",
         text + "\n" + ("# padding line of a long comment block\n" * 25_000)),
        ("size_6mb", "file_size", "reject", text + "\n" + ("# " + "x" * 98 + "\n") * 62_000),
    ]  # fmt: skip


def generate(out_dir: Path, big: bool = False) -> list[Case]:
    """Write the corpus into `out_dir`; `big` adds the 50 MB file of the report."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "not_geojson.geojson").write_text("this is not json\n")
    cases: list[Case] = []

    def write(name: str, cls: str, expect: str, content: str | bytes) -> None:
        p = out_dir / f"{name}.yaml"
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        cases.append(Case(name, cls, expect, p))

    by_hazard = _by_hazard()
    for hazard, files in sorted(by_hazard.items()):
        muts = _semantic_mutations(hazard)
        for k, (name, cls, expect, fn) in enumerate(muts):
            # Spread mutations over the hazard's scenarios; skip files lacking the field.
            for j in range(len(files)):
                base = files[(k + j) % len(files)]
                d = copy.deepcopy(_load(base))
                try:
                    fn(d)
                except (KeyError, IndexError, TypeError, AttributeError):
                    continue
                write(f"{hazard}__{base.stem}__{name}", cls, expect, _dump(d))
                break
        base = files[0]
        for name, cls, expect, content in _text_cases(base, base.read_text(encoding="utf-8")):
            write(f"{hazard}__{base.stem}__{name}", cls, expect, content)
    if big:
        text = SCENARIOS[0].read_text(encoding="utf-8")
        write("big_50mb", "file_size", "reject", text + ("# " + "y" * 98 + "\n") * 520_000)
    return cases


#: Names (suffixes) of the default fast subset: one or two per class.
FAST = (
    "bomb_billion_laughs",
    "deep_list_10000",
    "size_6mb",
    "dup_unit_count",
    "syntax_python_tag",
    "unit_base_unknown",
    "inject_kind_unknown",
    "unit_type_unknown",
    "inject_after_end",
    "residents_district_unknown",
    "indicator_unknown",
    "hazard_empty",
    "plan_units_empty",
    "duration_true",
    "delay_inf",
    "seed_huge",
    "sea_incident_on_land",
    "ignition_in_sea",
    "orifice_below_atmospheric",
    "world_override_bad_boundaries",
    "anchors_small_legit",
)
