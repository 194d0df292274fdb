"""Dispatch skips sea trees that cannot hold the best unit, and chooses as if it timed them all.

`DispatchCenter._rank_free` times a (mode, speed) group of units exactly (a Dijkstra
tree over the ~12 k sea cells) only if its straight-line lower bound could beat the
best exact key found; the bound never exceeds the exact time (`network_times_bound`).
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import DrillModel
from sim.response.dispatch import DOMAIN_MODES
from sim.run import load_world
from sim.scenario import load_scenario


@pytest.fixture(scope="module")
def mangkhut():
    scen = load_scenario("scenarios/typhoon/mangkhut_2018.yaml")
    return scen, load_world(scen)


def test_ty_sea_bound_never_exceeds_exact_time(mangkhut):
    _, world = mangkhut
    net = world._network("sea")
    rng = np.random.default_rng(2)
    cells = net.xy[rng.integers(0, len(net.xy), 40)]
    ports = net.xy[rng.integers(0, len(net.xy), 6)] + 150.0
    for dest in cells:
        for speed in (22.0, 33.0):
            exact = world.travel_time_min("sea", ports, dest, speed)
            low = world.travel_time_bound_min("sea", ports, dest, speed)
            ok = np.isfinite(exact)
            assert np.all(low[ok] <= exact[ok]) and np.all(low[ok] > 0.5 * exact[ok])
    assert world.travel_time_bound_min("road", ports, cells[0], 40.0) is None


@pytest.mark.parametrize("t_min", [0.0, 1900.0, 2300.0])  # calm, storm (units grounded), after
def test_ty_ranking_with_bound_equals_ranking_without(mangkhut, t_min, monkeypatch):
    scen, world = mangkhut
    m = DrillModel(scen, world, 3)
    m.run(t_min + 1.0)
    d = m.dispatch
    sea = np.asarray(world._network("sea").xy)
    rng = np.random.default_rng(int(t_min))
    dests = [tuple(p) for p in sea[rng.integers(0, len(sea), 25)]]
    calls = {"n": 0}
    travel = m.router.travel_time_min

    def counted(*a, **k):
        calls["n"] += 1
        return travel(*a, **k)

    monkeypatch.setattr(m.router, "travel_time_min", counted)
    got = [d._rank_free("sea_rescue", DOMAIN_MODES["sea"], p, True) for p in dests]
    with_bound = calls["n"]
    monkeypatch.setattr(m.router, "travel_time_bound_min", lambda *a, **k: None)
    ref = [d._rank_free("sea_rescue", DOMAIN_MODES["sea"], p, True) for p in dests]
    assert calls["n"] - with_bound > with_bound  # without the bound every group is timed
    # a router with no bound at all takes the single-pass path (`_rank_every`)
    monkeypatch.setattr(m.router, "travel_time_bound_min", None)
    every = [d._rank_free("sea_rescue", DOMAIN_MODES["sea"], p, True) for p in dests]
    for a, b, c in zip(got, ref, every, strict=True):
        assert (a is None and b is None) or (a[0] is b[0] and a[1:] == b[1:])
        assert (a is None and c is None) or (a[0] is c[0] and a[1:] == c[1:])
