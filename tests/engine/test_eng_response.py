"""Behaviour of the response system: dispatch choice, priorities, shelters, relief."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.indicators.measures import MEASURES
from sim.model import DrillModel
from sim.routing import StraightLineRouter
from sim.run import run
from sim.scenario import validate_scenario_dict


def _scenario(units, streams=(), extra=None):
    d = {
        "scenario": {
            "id": "t",
            "title": "t",
            "hazard": "scripted",
            "start_time": "2025-01-01T00:00:00+08:00",
            "duration_h": 6,
        },
        "world": {"pack": "synthetic"},
        "hazard": {"type": "scripted", "streams": list(streams)},
        "plan": {"units": units, "dispatch": {"call_handling_min": 0, "turnout_min": 0}},
        "run": {"tick_min": 5},
    }
    d.update(extra or {})
    return validate_scenario_dict(d)


def _unit(uid, lat, lon, caps=("general",), **veh):
    return {
        "id": uid,
        "type": "rescue_team",
        "capabilities": list(caps),
        "base": {"lat": lat, "lon": lon},
        "vehicle": {"type": "car", "road_kmh": 50, **veh},
    }


def _inject(lat, lon, at=10, **p):
    return {
        "id": f"i{at}",
        "at_min": at,
        "kind": "incident",
        "params": {"lat": lat, "lon": lon, **p},
    }


def test_nearest_unit_is_dispatched(synthetic_world):
    w = synthetic_world
    lat0, lon0 = float(w.towns.lat[0]), float(w.towns.lon[0])
    lat3, lon3 = float(w.towns.lat[3]), float(w.towns.lon[3])
    sc = _scenario(
        [_unit("far", lat3, lon3), _unit("near", lat0, lon0)],
        extra={"msel": [_inject(lat0 + 0.005, lon0, work_min=10)]},
    )
    log = run(sc, 1, world=w).log
    d = log.of_kind("unit_dispatched")
    assert [e.unit_id for e in d] == ["near"]
    arr = log.of_kind("unit_arrived")[0]
    assert arr.payload["travel_min"] > 0


def test_priority_beats_arrival_order(synthetic_world):
    w = synthetic_world
    lat, lon = float(w.towns.lat[0]), float(w.towns.lon[0])
    msel = [
        {"id": "down", "at_min": 5, "kind": "unit_breakdown", "params": {"unit_id": "u"}},
        {**_inject(lat, lon, at=20, priority=5, work_min=5), "id": "low"},
        {**_inject(lat, lon, at=30, priority=1, work_min=5), "id": "high"},
        {"id": "up", "at_min": 40, "kind": "unit_restored", "params": {"unit_id": "u"}},
    ]
    sc = _scenario([_unit("u", lat, lon)], extra={"msel": msel})
    log = run(sc, 3, world=w).log
    order = [e.incident_id for e in log.of_kind("unit_dispatched")]
    src = {e.incident_id: e.payload.get("source") for e in log.of_kind("incident_reported")}
    assert [src[i] for i in order] == ["high", "low"]
    assert log.of_kind("unit_dispatched")[0].t_min == 40.0


def test_capability_and_sea_mode(synthetic_world):
    w = synthetic_world
    port = w.ports.iloc[0]
    lat, lon = float(w.towns.lat[0]), float(w.towns.lon[0])
    units = [
        _unit("engine", lat, lon, caps=("general",)),
        {
            **_unit("boat", float(port.lat), float(port.lon), caps=("sea_rescue",), sea_kmh=30),
        },
    ]
    units[1]["vehicle"]["road_kmh"] = None
    streams = [
        {"kind": "distress", "where": "sea", "rate_per_h": 2, "needs": "sea_rescue", "work_min": 10}
    ]
    log = run(_scenario(units, streams), 2, world=w).log
    arr = log.of_kind("unit_arrived")
    assert arr and all(e.unit_id == "boat" and e.payload["mode"] == "sea" for e in arr)


def test_manual_dispatch_mode_waits_for_command(synthetic_world):
    w = synthetic_world
    lat, lon = float(w.towns.lat[0]), float(w.towns.lon[0])
    sc = _scenario([_unit("u", lat, lon)], extra={"msel": [_inject(lat, lon)]})
    sc = sc.model_copy(
        update={
            "plan": sc.plan.model_copy(
                update={"dispatch": sc.plan.dispatch.model_copy(update={"auto": False})}
            )
        }
    )
    m = DrillModel(sc, w, 1)
    m.run(60)
    assert not m.log.of_kind("unit_dispatched")
    inc = next(iter(m.dispatch.incidents.values()))
    m.dispatch.assign(m.team("u"), inc, "road")
    m.run(200)
    assert m.log.of_kind("unit_arrived")[0].incident_id == inc.id


def test_shelter_capacity_overflow_is_recorded(drill, synthetic_world):
    small = drill.plan.shelters[0].model_copy(update={"capacity_people": 20000})
    sc = drill.model_copy(update={"plan": drill.plan.model_copy(update={"shelters": [small]})})
    m = DrillModel(sc, synthetic_world, 4)
    m.run()
    sheltered = sum(e.payload["people"] for e in m.log.of_kind("household_sheltered"))
    assert 0 < sheltered <= 20000
    assert m.log.of_kind("shelter_full")
    occ = max(e.payload["occupancy"] for e in m.log.of_kind("household_sheltered"))
    assert occ <= 20000


def test_relief_follows_depot_stock(drill, synthetic_world):
    ev = run(drill, 5, world=synthetic_world).events()
    s = MEASURES["initial_relief_time"](ev)
    assert s.n > 0 and np.isfinite(s.values).mean() > 0.5
    # with an empty depot nobody is relieved and every group is censored
    d0 = drill.plan.depots[0].model_copy(update={"stock_kits": 0})
    sc = drill.model_copy(update={"plan": drill.plan.model_copy(update={"depots": [d0]})})
    s0 = MEASURES["initial_relief_time"](run(sc, 5, world=synthetic_world).events())
    assert s0.n > 0 and s0.censored == s0.n


def test_more_boats_shorten_sea_arrival(drill, synthetic_world):
    def p90(scn):
        ev = pd.concat([run(scn, s, world=synthetic_world).events() for s in range(3)])
        v = MEASURES["sea_arrival_time"](ev).values
        return np.quantile(v, 0.9, method="inverted_cdf")

    boats = drill.plan.units[0]
    one = drill.model_copy(
        update={
            "plan": drill.plan.model_copy(
                update={"units": [boats.model_copy(update={"count": 1}), *drill.plan.units[1:2]]}
            )
        }
    )
    many = drill.model_copy(
        update={
            "plan": drill.plan.model_copy(
                update={"units": [boats.model_copy(update={"count": 4}), *drill.plan.units[1:2]]}
            )
        }
    )
    assert p90(many) < p90(one)


def test_warning_reaches_people_and_coverage_measure(drill, synthetic_world):
    m = DrillModel(drill, synthetic_world, 9, router=StraightLineRouter(1.3))
    m.run()
    got = m.log.of_kind("warning_received")
    assert len(got) > 0.8 * m.residents.n
    assert set(e.payload["channel"] for e in got) <= {
        "cell_broadcast",
        "loudspeaker",
        "door_to_door",
    }
    # residents' Mesa agents mirror the columnar state
    a = m.residents.agents[0]
    assert a.state == m.residents.state[0] and a.people == m.residents.people[0]


def test_mutual_aid_teams_are_built_like_plan_teams(drill, synthetic_world):
    m = DrillModel(drill, synthetic_world, 2)
    spec = drill.plan.units[1]
    t = m.add_team(spec, "aid-x-1", (0.0, 0.0), group="aid-engine")
    assert t in m.teams and t.vehicle in m.vehicles
    assert (t.crew, t.capabilities, t.group) == (
        spec.crew,
        frozenset(spec.capabilities),
        "aid-engine",
    )
    assert m.team("aid-x-1") is t


def test_one_unit_serves_a_queue_back_to_back(synthetic_world):
    """A unit freed at base takes the next queued incident at that instant, one at a time."""
    w = synthetic_world
    lat, lon = float(w.towns.lat[0]), float(w.towns.lon[0])
    msel = [{**_inject(lat + 0.01 * k, lon, at=10, work_min=15), "id": f"q{k}"} for k in range(3)]
    log = run(_scenario([_unit("u", lat, lon)], extra={"msel": msel}), 4, world=w).log
    disp = log.of_kind("unit_dispatched")
    back = log.of_kind("unit_returned")
    assert len(disp) == 3 and len({e.incident_id for e in disp}) == 3
    assert len(back) == 3
    # the 2nd and 3rd jobs start exactly when the unit is back from the previous one
    assert [e.t_min for e in disp[1:]] == [e.t_min for e in back[:2]]
    # never two jobs at once: each arrival lies between its dispatch and the next return
    arr = log.of_kind("unit_arrived")
    for d, a, r in zip(disp, arr, back, strict=True):
        assert d.t_min <= a.t_min <= r.t_min and d.incident_id == a.incident_id


def test_a_busy_unit_cannot_be_assigned_again(synthetic_world):
    w = synthetic_world
    lat, lon = float(w.towns.lat[0]), float(w.towns.lon[0])
    m = DrillModel(_scenario([_unit("u", lat, lon)]), w, 1)
    first = m.report_incident("call", *m.team("u").base_xy, work_min=30)
    second = m.report_incident("call", *m.team("u").base_xy, work_min=30)
    assert first.assigned == ["u"] and second.assigned == []  # auto dispatch took the only unit
    with pytest.raises(RuntimeError, match="'u' is dispatched; only an available unit"):
        m.dispatch.assign(m.team("u"), second, "road")
    m.run(120)
    assert [e.incident_id for e in m.log.of_kind("unit_dispatched")] == [first.id, second.id]


def test_a_static_hazard_is_advanced_once_and_a_moving_one_every_tick(synthetic_world):
    """`tick_min = inf` means no field to move: the clock calls `advance` once, at t=0."""
    from sim.hazards.base import NullHazard

    class Counting(NullHazard):
        def __init__(self, tick: float) -> None:
            self.tick_min, self.calls = tick, []

        def advance(self, model, t_min):
            self.calls.append(t_min)

    w = synthetic_world
    lat, lon = float(w.towns.lat[0]), float(w.towns.lon[0])
    sc = _scenario([_unit("u", lat, lon)])  # 6 h
    static, moving = Counting(math.inf), Counting(30.0)
    DrillModel(sc, w, 1, hazard=static).run()
    DrillModel(sc, w, 1, hazard=moving).run()
    assert static.calls == [0.0]
    assert moving.calls == [30.0 * k for k in range(12)]


def test_a_repositioning_unit_is_not_taken_by_auto_dispatch(synthetic_world):
    """Ordering a unit to a point commits it at once; an incident in the same instant waits."""
    from sim.commands import Command, apply_command

    w = synthetic_world
    lat0, lon0 = float(w.towns.lat[0]), float(w.towns.lon[0])
    lat3, lon3 = float(w.towns.lat[3]), float(w.towns.lon[3])
    m = DrillModel(_scenario([_unit("u", lat0, lon0)]), w, 1)
    m.run(10)
    move = Command(
        id="C1", at_min=10, kind="dispatch_unit", params={"unit_id": "u", "lat": lat3, "lon": lon3}
    )
    apply_command(m, move)
    inc = m.report_incident("call", *m.team("u").base_xy, work_min=5)
    assert inc.assigned == []  # the unit is already committed to its move
    m.run(360)
    moved = m.log.of_kind("unit_repositioned")[0]
    disp = m.log.of_kind("unit_dispatched")
    assert [e.incident_id for e in disp] == [inc.id]
    assert disp[0].t_min == moved.t_min  # taken as soon as it is available at the new point
    assert m.log.of_kind("unit_returned")  # and its cycle completed normally


def test_breakdown_en_route_pulls_unit_off_and_requeues(synthetic_world):
    """A unit broken down while en route never arrives; its incident goes back to the queue
    and is served by the other unit (paired with the same seed without the breakdown)."""
    w = synthetic_world
    lat0, lon0 = float(w.towns.lat[0]), float(w.towns.lon[0])
    lat3, lon3 = float(w.towns.lat[3]), float(w.towns.lon[3])
    inc = _inject(lat3, lon3, at=10, work_min=10)
    # "near" sits at town 1 (~8 km from the call), "far" at town 0 (~11 km): both inside the world
    base = [_unit("near", float(w.towns.lat[1]), float(w.towns.lon[1])), _unit("far", lat0, lon0)]
    ref = run(_scenario(base, extra={"msel": [inc]}), 4, world=w).log
    first = ref.of_kind("unit_dispatched")[0]
    eta = first.payload["eta_min"]
    assert eta > 2  # precondition: the unit is on the road for a while
    down = {
        "id": "down",
        "at_min": 11,
        "kind": "unit_breakdown",
        "params": {"unit_id": first.unit_id},
    }
    up = {"id": "up", "at_min": 300, "kind": "unit_restored", "params": {"unit_id": first.unit_id}}
    log = run(_scenario(base, extra={"msel": [inc, down, up]}), 4, world=w).log
    arrived = [e.unit_id for e in log.of_kind("unit_arrived")]
    assert first.unit_id in [e.unit_id for e in ref.of_kind("unit_arrived")]
    assert arrived and first.unit_id not in arrived[:1]  # the other unit answers instead
    req = log.of_kind("incident_requeued")
    assert len(req) == 1 and req[0].unit_id == first.unit_id
    un = log.of_kind("unit_unavailable")[0]
    assert un.payload["was"] == "dispatched" and un.payload["pulled_off"] == first.incident_id
    assert [e.payload["was"] for e in log.of_kind("unit_restored")] == ["out_of_service"]
    assert log.count("incident_resolved") == 1
