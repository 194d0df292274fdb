"""Weather-aware dispatch (issue 13): rank by expected arrival, re-plan held units, re-task.

A stub hazard with a scripted wind forecast grounds one unit; the tests check
the dispatcher's choice against what the pre-issue-13 nearest-unit policy did
(send the grounded unit and let the call wait), and that every arrival logs
phases that add up to the response time.
"""

from __future__ import annotations

import math

import pytest

from sim.hazards.base import NullHazard
from sim.model import DrillModel
from tests.engine.test_eng_response import _scenario, _unit


class WindowHazard(NullHazard):
    """Wind above every launch limit until `open_min`, calm after (a perfect forecast)."""

    def __init__(self, open_min: float) -> None:
        self.open_min = open_min
        self.tick_min = math.inf

    def launch_open_min(self, x_m: float, y_m: float, limit: float, t_min: float) -> float:
        return max(t_min, self.open_min)


def _model(w, units, open_min, policy="earliest_arrival", hours=12):
    sc = _scenario(units)
    disp = sc.plan.dispatch.model_copy(update={"policy": policy, "turnout_min": 3.0})
    sc = sc.model_copy(
        update={
            "plan": sc.plan.model_copy(update={"dispatch": disp}),
            "scenario": sc.scenario.model_copy(update={"duration_h": hours}),
        }
    )
    return DrillModel(sc, w, 1, hazard=WindowHazard(open_min))


def _fast_grounded_and_slow_free(w):
    lat0, lon0 = float(w.towns.lat[0]), float(w.towns.lon[0])
    lat3, lon3 = float(w.towns.lat[3]), float(w.towns.lon[3])
    heli = {**_unit("heli", lat0, lon0, caps=("rescue",)), "launch_limit_wind_m_s": 20.0}
    heli["vehicle"] = {"type": "helicopter", "road_kmh": None, "air_kmh": 250}
    car = _unit("car", lat3, lon3, caps=("rescue",))
    return heli, car, (lat0, lon0)


def test_grounded_fast_unit_is_not_sent_when_a_free_one_arrives_sooner(synthetic_world):
    w = synthetic_world
    heli, car, (lat, lon) = _fast_grounded_and_slow_free(w)
    nearest = _model(w, [heli, car], open_min=600, policy="nearest")
    eta = _model(w, [heli, car], open_min=600)
    arrivals = {}
    for name, m in (("nearest", nearest), ("eta", eta)):
        inc = m.report_incident("call", *m.team("heli").base_xy, needs="rescue", work_min=10)
        m.run()
        arrivals[name] = (m.log.of_kind("unit_arrived")[0], inc)
    # the old policy sends the helicopter, which waits for the weather (what issue 13 found)
    a, inc = arrivals["nearest"]
    assert a.unit_id == "heli" and a.payload["weather_hold_min"] > 500
    # earliest arrival sends the car, which gets there long before the wind drops
    b, inc2 = arrivals["eta"]
    assert b.unit_id == "car" and b.payload["weather_hold_min"] == 0.0
    assert b.t_min < a.t_min and b.t_min < 600


def test_grounded_unit_is_sent_when_it_still_arrives_first(synthetic_world):
    w = synthetic_world
    heli, car, _ = _fast_grounded_and_slow_free(w)
    m = _model(w, [heli, car], open_min=5)  # the wind drops 5 min from now
    m.report_incident("call", *m.team("heli").base_xy, needs="rescue", work_min=10)
    m.run()
    a = m.log.of_kind("unit_arrived")[0]
    assert a.unit_id == "heli"
    assert a.payload["weather_hold_min"] == pytest.approx(2.0)  # 3 min turnout, opens at 5


def test_phases_add_up_to_the_response_time(synthetic_world):
    w = synthetic_world
    heli, car, _ = _fast_grounded_and_slow_free(w)
    m = _model(w, [heli, car], open_min=5)
    base = m.team("heli").base_xy
    for _ in range(3):  # more calls than units: some wait in the queue
        m.report_incident("call", *base, needs="rescue", work_min=30)
    m.run()
    arr = m.log.of_kind("unit_arrived")
    assert len(arr) == 3
    assert any(a.payload["queue_wait_min"] > 0 for a in arr)
    for a in arr:
        p = a.payload
        parts = (
            p["call_handling_min"]
            + p["queue_wait_min"]
            + p["turnout_min"]
            + p["weather_hold_min"]
            + p["travel_min"]
        )
        assert parts == pytest.approx(p["response_min"], abs=1e-6)
    dep = m.log.of_kind("unit_departed_scene")
    assert all(e.payload["on_scene_min"] >= 0 for e in dep)


def test_held_unit_is_stood_down_when_a_sooner_unit_frees_up(synthetic_world):
    """The car is busy, so the grounded helicopter takes call 2; when the car frees up
    and would arrive before the wind drops, the helicopter is stood down."""
    w = synthetic_world
    heli, car, _ = _fast_grounded_and_slow_free(w)
    m = _model(w, [heli, car], open_min=600)
    car_xy = m.team("car").base_xy
    m.report_incident("first", *car_xy, needs="rescue", work_min=20)  # car busy ~20 min
    second = m.report_incident("second", *m.team("heli").base_xy, needs="rescue", work_min=10)
    assert second.assigned == ["heli"]
    m.run()
    down = m.log.of_kind("unit_stood_down")
    assert [e.unit_id for e in down] == ["heli"]
    arr = [e for e in m.log.of_kind("unit_arrived") if e.incident_id == second.id]
    assert arr[0].unit_id == "car" and arr[0].t_min < 600


def test_unit_en_route_to_a_minor_call_is_retasked_to_an_urgent_one(synthetic_world):
    w = synthetic_world
    lat0, lon0 = float(w.towns.lat[0]), float(w.towns.lon[0])
    m = _model(w, [_unit("u", lat0, lon0, caps=("rescue",))], open_min=0)
    x, y = m.team("u").base_xy
    minor = m.report_incident("minor", x + 20_000, y, needs="rescue", priority=5, work_min=10)
    m.run(10)  # en route
    urgent = m.report_incident(
        "urgent", *m.team("u").base_xy, needs="rescue", priority=1, work_min=10
    )
    assert urgent.assigned == ["u"] and minor.assigned == []
    m.run()
    ev = m.log.of_kind("unit_retasked")
    assert ev and ev[0].payload["from_incident"] == minor.id
    first = m.log.of_kind("unit_arrived")[0]
    assert first.incident_id == urgent.id
    # the minor call is served afterwards, not dropped
    assert any(e.incident_id == minor.id for e in m.log.of_kind("unit_arrived"))


def test_nearest_policy_never_retasks(synthetic_world):
    w = synthetic_world
    lat0, lon0 = float(w.towns.lat[0]), float(w.towns.lon[0])
    m = _model(w, [_unit("u", lat0, lon0, caps=("rescue",))], open_min=0, policy="nearest")
    x, y = m.team("u").base_xy
    m.report_incident("minor", x + 20_000, y, needs="rescue", priority=5, work_min=10)
    m.run(10)
    urgent = m.report_incident("urgent", x, y, needs="rescue", priority=1, work_min=10)
    assert urgent.assigned == []
    m.run()
    assert not m.log.of_kind("unit_retasked")


def test_priority_weighted_keeps_the_last_unit_for_urgent_calls(synthetic_world):
    w = synthetic_world
    lat0, lon0 = float(w.towns.lat[0]), float(w.towns.lon[0])
    units = [_unit("a", lat0, lon0, caps=("rescue",)), _unit("b", lat0, lon0, caps=("rescue",))]
    m = _model(w, units, open_min=0, policy="priority_weighted")
    x, y = m.team("a").base_xy
    m1 = m.report_incident("minor1", x, y, needs="rescue", priority=5, work_min=60)
    m2 = m.report_incident("minor2", x, y, needs="rescue", priority=5, work_min=60)
    assert len(m1.assigned) == 1 and m2.assigned == []  # one unit kept back
    urgent = m.report_incident("urgent", x, y, needs="rescue", priority=1, work_min=10)
    assert len(urgent.assigned) == 1
