"""Scene communications: who restores a scene whose mobile network is down, and when."""

from __future__ import annotations

import numpy as np

from scenarios.typhoon.comms import make_handler
from sim.model import DrillModel
from sim.scenario import validate_scenario_dict


def _unit(uid, lat, lon, caps, **extra):
    return {
        "id": uid,
        "type": "rescue_team",
        "capabilities": list(caps),
        "base": {"lat": lat, "lon": lon},
        "vehicle": {"type": "car", "road_kmh": 50},
        **extra,
    }


def _model(world, units):
    sc = validate_scenario_dict(
        {
            "scenario": {
                "id": "c",
                "title": "c",
                "hazard": "scripted",
                "start_time": "2025-01-01T00:00:00+08:00",
                "duration_h": 12,
            },
            "world": {"pack": "synthetic"},
            "hazard": {"type": "scripted", "streams": []},
            "plan": {"units": units, "dispatch": {"call_handling_min": 0, "turnout_min": 0}},
            "run": {"tick_min": 5},
        }
    )
    m = DrillModel(sc, world, 1)
    network_down = lambda x, y: np.zeros(len(x), dtype=bool)  # noqa: E731
    m.dispatch.handlers["rescue"] = make_handler(network_down, 20.0, "emergency_comms")
    return m


def test_nearest_comms_unit_restores_a_scene_without_network(synthetic_world):
    w = synthetic_world
    lat0, lon0 = float(w.towns.lat[0]), float(w.towns.lon[0])
    lat3, lon3 = float(w.towns.lat[3]), float(w.towns.lon[3])
    m = _model(
        w,
        [
            _unit("rescue", lat0, lon0, ["general"]),
            _unit("comms-far", lat3, lon3, ["emergency_comms"]),
            _unit("comms-near", lat0, lon0, ["emergency_comms"]),
        ],
    )
    m.run(1)
    inc = m.report_incident("rescue", *m.team("rescue").base_xy, work_min=240)
    m.run()
    log = m.log
    lost = log.of_kind("comms_lost")
    assert [e.incident_id for e in lost] == [inc.id]
    sent = [e for e in log.of_kind("unit_dispatched") if e.unit_id.startswith("comms")]
    assert [(e.unit_id, e.payload["mode"]) for e in sent] == [("comms-near", "road")]
    assert sent[0].t_min == lost[0].t_min  # sent at once: it was free
    restored = log.of_kind("comms_restored")
    assert [(e.incident_id, e.payload["by"]) for e in restored] == [
        (inc.id, "emergency_comms_unit")
    ]
    arrived = next(e for e in log.of_kind("unit_arrived") if e.unit_id == "comms-near")
    assert restored[0].t_min == arrived.t_min


def test_a_satellite_phone_restores_without_a_comms_unit(synthetic_world):
    w = synthetic_world
    lat0, lon0 = float(w.towns.lat[0]), float(w.towns.lon[0])
    m = _model(
        w,
        [
            _unit("rescue", lat0, lon0, ["general"], equipment={"satellite_phone": 1}),
            _unit("comms", lat0, lon0, ["emergency_comms"]),
        ],
    )
    m.run(1)
    inc = m.report_incident("rescue", *m.team("rescue").base_xy, work_min=240)
    m.run()
    lost = m.log.of_kind("comms_lost")[0]
    restored = m.log.of_kind("comms_restored")
    assert [(e.payload["by"], e.t_min - lost.t_min) for e in restored] == [
        ("satellite_phone", 20.0)
    ]
    assert all(e.incident_id == inc.id for e in restored)
    assert not [e for e in m.log.of_kind("unit_dispatched") if e.unit_id == "comms"]
