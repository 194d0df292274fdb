"""Evacuation traffic: link capacity makes queues, closures and avoidance change routes."""

import networkx as nx
import numpy as np
import pytest

from sim.response.traffic import RoadTraffic


def _line(n=3, length=1000.0, cls="local"):
    g = nx.Graph()
    for i in range(n):
        g.add_node(i, x_m=i * length, y_m=0.0)
    for i in range(n - 1):
        g.add_edge(i, i + 1, length_m=length, speed_kmh=60.0, road_class=cls)
    return g


def test_point_queue_delay_equals_vehicles_over_capacity():
    # Vickrey (1969) point queue: a second platoon entering behind a first one on a link of
    # capacity c waits for the first to discharge, n1 / c. Local road c = 1000 veh/h.
    t = RoadTraffic(_line(), persons_per_vehicle=2.0)
    o = np.array([[0.0, 0.0]])
    d = np.array([[2000.0, 0.0]])
    t1, d1 = t.evacuate(o, np.array([500]), d, 0.0, 60.0)  # 250 vehicles: 15 min to discharge
    t2, d2 = t.evacuate(o, np.array([500]), d, 0.0, 60.0)
    ff = 2.0  # 2 km at 60 km/h
    assert t1[0] == pytest.approx(ff + 15.0 / 2)  # mid-platoon arrival
    assert d2[0] - d1[0] == pytest.approx(15.0)
    assert t2[0] > t1[0]


def test_larger_capacity_means_less_delay():
    slow = RoadTraffic(_line(cls="local"))
    fast = RoadTraffic(_line(cls="expressway"))
    args = (
        np.array([[0.0, 0.0]] * 3),
        np.array([1000, 1000, 1000]),
        np.array([[2000.0, 0.0]] * 3),
        0.0,
        60.0,
    )
    assert fast.evacuate(*args)[1].max() < slow.evacuate(*args)[1].max()


def _square():
    # 0 -- 1 -- 3 direct (2 km), 0 -- 2 -- 3 detour (4 km)
    g = nx.Graph()
    for n, (x, y) in {0: (0, 0), 1: (1000, 0), 2: (1000, 2000), 3: (2000, 0)}.items():
        g.add_node(n, x_m=x, y_m=y)
    g.add_edge(0, 1, length_m=1000.0, speed_kmh=60.0, road_class="county")
    g.add_edge(1, 3, length_m=1000.0, speed_kmh=60.0, road_class="county")
    g.add_edge(0, 2, length_m=2000.0, speed_kmh=60.0, road_class="county")
    g.add_edge(2, 3, length_m=2000.0, speed_kmh=60.0, road_class="county")
    return g


def test_closure_reroutes_outside_traffic_and_reports_roadblocks():
    t = RoadTraffic(_square())
    blocks = t.close(np.array([False, True, False, False]))
    assert {tuple(b) for b in blocks.tolist()} == {(0.0, 0.0), (2000.0, 0.0)}
    (path,) = t.route_nodes(np.array([[0.0, 0.0]]), (2000.0, 0.0), 60.0)
    assert path.tolist() == [0, 2, 3]
    # a group starting inside the closed area may drive out through it
    (inside,) = t.route_nodes(np.array([[1000.0, 0.0]]), (2000.0, 0.0), 60.0)
    assert inside.tolist() == [1, 3]


def test_avoid_penalty_bends_route_away_from_cloud():
    t = RoadTraffic(_square(), avoid_penalty=5.0)
    t.avoid(np.array([False, True, False, False]))
    (path,) = t.route_nodes(np.array([[0.0, 0.0]]), (2000.0, 0.0), 60.0)
    assert path.tolist() == [0, 2, 3]  # 4 km detour beats 2 km x 5 penalty


def test_bad_inputs():
    with pytest.raises(ValueError, match="persons_per_vehicle"):
        RoadTraffic(_line(), persons_per_vehicle=0)
    with pytest.raises(ValueError, match="avoid_penalty"):
        RoadTraffic(_line(), avoid_penalty=0.5)
