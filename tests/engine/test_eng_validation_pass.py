"""One validation pass: whatever `run` would fail on (or silently get wrong), `validate` reports.

Each case mutates a shipped scenario and checks the one line naming the field
path, the bad value and what was expected.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
import yaml

from sim.errors import ScenarioError
from sim.run import BASELINE_NOTE, run
from sim.scenario import validate_scenario_dict
from sim.scenario.schema import MAX_SEED

ROOT = Path(__file__).parents[2]
READINESS = ROOT / "scenarios/readiness/jiangmen_water_rescue.yaml"
CHLORINE = ROOT / "scenarios/chemical/chlorine_zhuxi_night.yaml"
FIRE = ROOT / "scenarios/forestfire/gudoushan_dry_season.yaml"
DRILL = ROOT / "tests/fixtures/synthetic_drill.yaml"


def _data(p: Path) -> dict:
    return yaml.safe_load(p.read_text(encoding="utf-8"))


def _problems(d: dict) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        validate_scenario_dict(d, "f.yaml")
    assert all("\n" not in p for p in e.value.problems)
    return e.value.problems


def _inject(**kw) -> dict:
    return {"id": "Z", "at_min": 5, **kw}


def test_shipped_scenarios_pass_the_whole_pass():
    for p in sorted(ROOT.glob("scenarios/*/*.yaml")):
        validate_scenario_dict(_data(p), str(p), p.parent)


CASES = [
    # (mutation, expected problem line start, expected words)
    (lambda d: d["plan"]["units"][0].update(base="FIR999"),
     "plan.units[0].base: got 'FIR999'; expected a facility id of the world", "FIR01"),
    (lambda d: d["plan"]["depots"].append({"facility": "DEP404", "level": "city", "stock_kits": 1}),
     "plan.depots[2].facility: got 'DEP404'; expected a facility id", "DEP01"),
    (lambda d: d["plan"]["shelters"].append({"facility": "X", "capacity_people": 1, "area_m2": 1}),
     "plan.shelters[8].facility: got 'X'; expected a facility id", ""),
    (lambda d: d["msel"].append(_inject(kind="alien_landing")),
     "msel[NEW].kind: got 'alien_landing'; expected one of", "road_block"),
    (lambda d: d["msel"].append(_inject(kind="incident", params={"needs": "x"})),
     "msel[NEW].params: got", "lat and lon"),
    (lambda d: d["msel"].append(_inject(kind="incident", params={"lat": 22, "lon": 112.8,
                                                                  "priority": "high"})),
     "msel[NEW].params.priority: got 'high'; expected", ""),
    (lambda d: d["msel"].append(_inject(kind="unit_breakdown", params={"unit_id": "msa_yamen"})),
     "msel[NEW].params.unit_id: got 'msa_yamen'; expected a unit of the plan", "group 'msa_yamen': msa_yamen-1 .. msa_yamen-4"),
    (lambda d: d["plan"]["units"][0].update(type="flying_carpet"),
     "plan.units[0].type: got 'flying_carpet'; expected a known unit type", "rescue_boat"),
    (lambda d: d["msel"].append(_inject(kind="note", at_min=24 * 60 + 1)),
     "msel[NEW].at_min: got 1441; expected at most 1440", "ends after 24 h"),
    (lambda d: d["residents"].update(districts=[999999]),
     "residents.districts[0]: got 999999; expected a district code of the world", "440781"),
    (lambda d: d["msel"].append(_inject(kind="warning", params={"districts": [1]})),
     "msel[NEW].params.districts[0]: got 1; expected a district code", ""),
    (lambda d: d.update(indicators={"include": ["happiness"]}),
     "indicators.include[0]: got 'happiness'; expected an indicator id", "sea_arrival_time"),
    (lambda d: d["msel"][2]["expected_actions"].append({"action": "dance", "within_min": 5}),
     "msel[2].expected_actions[2].action: got 'dance'; expected one of", "open_shelters"),
    (lambda d: d.update(hazard={}), "hazard: got {}; expected the scripted hazard's", ""),
    (lambda d: d.update(plan={}), "plan.units: got no units; expected at least one unit", ""),
    (lambda d: d["scenario"].update(duration_h=True),
     "scenario.duration_h: got True; expected a number, not true/false", ""),
    (lambda d: d["plan"]["warning"]["channels"][0].update(delay_min=math.inf),
     "plan.warning.channels[0].delay_min: got inf; expected a finite number", ""),
    (lambda d: d["plan"]["shelters"][0].update(area_m2=math.nan),
     "plan.shelters[0].area_m2: got nan; expected a finite number", ""),
    (lambda d: d["msel"].append(_inject(kind="note", at_min=math.inf)),
     "msel[NEW].at_min: got inf; expected a finite number", ""),
    (lambda d: d["run"].update(seed=2**80),
     f"run.seed: got {2**80}; expected input should be less than or equal to {MAX_SEED}", ""),
    (lambda d: d["plan"]["units"][0].update(base={"lat": 39.9, "lon": 116.4}),
     "plan.units[0].base: got lat 39.9, lon 116.4; expected a place inside the world", ""),
    (lambda d: d["plan"]["units"][0].update(base={"lat": 22.38, "lon": 112.57}),
     "plan.units[0].base: got lat 22.38, lon 112.57", "expected a place on or beside water"),
    (lambda d: d["plan"]["units"][1].update(base={"lat": 22.38, "lon": 112.57}),
     "plan.units[1].base: got lat 22.38, lon 112.57", "expected a place at sea or on the coast"),
    (lambda d: d["plan"]["units"][7].update(base={"lat": 21.55, "lon": 112.75}),
     "plan.units[7].base: got lat 21.55, lon 112.75", "expected a place on land"),
    (lambda d: d["msel"].append(_inject(kind="incident", params={
        "lat": 22.38, "lon": 112.57, "domain": "sea"})),
     "msel[NEW].params: got lat 22.38, lon 112.57", "expected a place at sea or on the coast"),
]  # fmt: skip


@pytest.mark.parametrize("mutate,start,words", CASES)
def test_each_run_failure_is_a_validation_line(mutate, start, words):
    d = copy.deepcopy(_data(READINESS))
    start = start.replace("msel[NEW]", f"msel[{len(d['msel'])}]")  # the appended inject
    mutate(d)
    problems = _problems(d)
    hit = [p for p in problems if p.startswith(start)]
    assert hit, problems
    assert words in hit[0]


def test_orifice_pressure_below_atmospheric_is_refused():
    d = _data(CHLORINE)
    d["hazard"]["release"].pop("rate_kg_s")
    d["hazard"]["release"]["orifice"] = {"phase": "gas", "hole_diameter_m": 0.01,
                                         "pressure_pa": 50_000}  # fmt: skip
    (p,) = _problems(d)
    assert p.startswith("hazard.release.orifice.pressure_pa: got 50000; expected")
    assert "101325" in p


def test_chemical_source_at_sea_and_bad_hazard_injects():
    d = _data(CHLORINE)
    d["hazard"]["release"].update(lat=21.55, lon=112.75)
    d["msel"] = [
        _inject(kind="release_rate_change", params={"rate_kg_s": -1}),
        {**_inject(kind="wind_shift", params={}), "id": "Z2"},
    ]
    problems = _problems(d)
    assert any(p.startswith("hazard.release: got lat 21.55, lon 112.75") for p in problems)
    assert any(p.startswith("msel[0].params.rate_kg_s: got -1; expected") for p in problems)
    assert any(p.startswith("msel[1].params: got {}; expected at least one of") for p in problems)


def test_ignition_in_the_sea_is_refused():
    d = _data(FIRE)
    d["hazard"]["ignitions"][0].update(lat=21.55, lon=112.75)
    d["hazard"]["detection"]["observers"][0].update(lat=39.9, lon=116.4)
    new = len(d["msel"])
    d["msel"].append(_inject(kind="wind_shift", params={"gusts": 3}))
    problems = _problems(d)
    assert any(
        p.startswith("hazard.detection.observers[0]: got lat 39.9, lon 116.4; expected a place "
                     "inside the world")
        for p in problems
    )  # fmt: skip
    assert any(
        p.startswith("hazard.ignitions[0]: got lat 21.55, lon 112.75") and "burnable land" in p
        for p in problems
    )
    assert any(p.startswith(f"msel[{new}].params.gusts: unknown field") for p in problems)


def test_uncertain_values_are_checked_at_their_extremes():
    d = _data(READINESS)
    d["msel"][0]["at_min"] = {"dist": "uniform", "low": 10, "high": 2000}
    problems = _problems(d)
    assert any(
        p.startswith("msel[0].at_min: got 2000; expected at most 1440") and "highest value" in p
        for p in problems
    )


def test_no_response_baseline_is_accepted_and_says_so(synthetic_world):
    d = _data(DRILL)
    d["plan"] = {"baseline": "none"}
    d["msel"] = [m for m in d["msel"] if m["kind"] != "relief_release"]
    d["scenario"]["duration_h"] = 2
    scen = validate_scenario_dict(d, "baseline.yaml")
    res = run(scen, 1, world=synthetic_world)
    assert BASELINE_NOTE in res.validity
    assert not res.log.of_kind("unit_dispatched")
    d["plan"]["units"] = _data(DRILL)["plan"]["units"]
    (p,) = _problems(d)
    assert p.startswith("plan.baseline: got 'none' with units")
