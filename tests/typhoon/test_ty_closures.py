"""The generic road-closure router (sim/world/closures.py) on the Jiangmen road graph."""

from __future__ import annotations

import numpy as np
import pytest

from sim.world.closures import ClosureRouter


@pytest.fixture(scope="module")
def world():
    from sim.world import load_jiangmen

    return load_jiangmen()


def _od(world):
    t = world.towns.set_index("town_id")
    o = tuple(t.loc["JM000", ["x_m", "y_m"]].astype(float))
    d = tuple(world.facilities.set_index("facility_id").loc["SHE04", ["x_m", "y_m"]].astype(float))
    return o, d


def test_ty_closing_the_used_edges_slows_or_cuts_and_reopening_restores(world):
    o, d = _od(world)
    base = float(world.travel_time_min("road", np.array([o]), d, 60)[0])
    r = ClosureRouter(world, closed_speed_kmh=None)
    leg = r.route("road", o, d, 60)
    mid = r.edge_midpoints()
    # close every edge of the fastest path (its segment midpoints are the edge midpoints)
    seg_mid = 0.5 * (leg.path_xy[1:] + leg.path_xy[:-1])
    gap = np.hypot(*(mid[:, None, :] - seg_mid[None, :, :]).transpose(2, 0, 1))
    closed = r.close(gap.min(axis=1) < 1.0)
    assert closed.size > 0
    cut = float(r.travel_time_min("road", np.array([o]), d, 60)[0])
    assert cut > base  # detour or unreachable (inf)
    # the shared world is untouched
    assert float(world.travel_time_min("road", np.array([o]), d, 60)[0]) == pytest.approx(base)
    r.reopen(closed)
    assert float(r.travel_time_min("road", np.array([o]), d, 60)[0]) == pytest.approx(base)


def test_ty_crawl_speed_keeps_places_reachable(world):
    o, d = _od(world)
    r = ClosureRouter(world, closed_speed_kmh=5.0)
    r.close(np.ones(r.n_edges, dtype=bool))
    t = float(r.travel_time_min("road", np.array([o]), d, 60)[0])
    base = float(world.travel_time_min("road", np.array([o]), d, 60)[0])
    assert np.isfinite(t) and t > 5 * base
    assert r.route("road", o, d, 60).time_min == pytest.approx(t, rel=1e-9)


def test_ty_bad_edge_index_is_a_clear_error(world):
    r = ClosureRouter(world)
    with pytest.raises(ValueError, match="edge index out of range"):
        r.close(np.array([r.n_edges + 5]))


def test_ty_network_is_rebuilt_only_when_a_route_asks_and_matches_one_closing(world, monkeypatch):
    """Closing and reopening over many ticks rebuilds the network once, when routed (#15)."""
    import sim.world.closures as closures

    o, d = _od(world)
    built = []
    real = closures.Network

    def counting(*a, **k):
        built.append(1)
        return real(*a, **k)

    monkeypatch.setattr(closures, "Network", counting)
    rng = np.random.default_rng(2)
    r = ClosureRouter(world, closed_speed_kmh=5.0)
    for _ in range(10):  # ten "ticks" of closures and reopenings, no journey in between
        r.close(rng.random(r.n_edges) < 0.05)
        r.reopen(rng.random(r.n_edges) < 0.02)
    assert not built
    t = r.travel_time_min("road", np.array([o]), d, 60)
    assert len(built) == 1
    once = ClosureRouter(world, closed_speed_kmh=5.0)
    once.close(r.closed.copy())
    assert np.array_equal(once.travel_time_min("road", np.array([o]), d, 60), t)
    assert r.route("road", o, d, 60).time_min == once.route("road", o, d, 60).time_min
    assert len(built) == 2  # the second router's network; the first one was reused
    r.reopen(r.closed.copy())
    base = world.travel_time_min("road", np.array([o]), d, 60)
    assert np.array_equal(r.travel_time_min("road", np.array([o]), d, 60), base)
