import time

import numpy as np
import pytest

from sim.world import Route, World, WorldError


@pytest.fixture(scope="module")
def syn() -> World:
    return World.synthetic()


def test_synthetic_is_fast_and_complete(syn):
    t = time.perf_counter()
    World.synthetic(seed=1)
    assert time.perf_counter() - t < 0.2  # target < 50 ms; generous bound for slow CI
    assert len(syn.towns) == 4 and len(syn.ports) == 2
    assert set(syn.facilities["kind"]) >= {
        "fire_station",
        "depot",
        "shelter",
        "hospital",
        "sea_rescue",
        "air_base",
        "lookout",
        "port",
    }
    assert syn.is_land.any() and (~syn.is_land).any()
    assert syn.grid.lat[0] > syn.grid.lat[-1]  # row 0 = north
    assert syn.rivers.number_of_edges() > 0


def test_synthetic_routes(syn):
    xy = syn.towns[["x_m", "y_m"]].to_numpy()
    r = syn.route("road", xy[0], xy[3], 60)
    assert isinstance(r, Route) and np.isfinite(r.time_min)
    assert np.allclose(r.path_xy[0], xy[0]) and np.allclose(r.path_xy[-1], xy[3])
    assert r.length_m >= np.hypot(*(xy[3] - xy[0])) - 1
    tt = syn.travel_time_min("road", xy, xy[3], 60)
    assert tt.shape == (4,) and tt[3] == pytest.approx(0, abs=1e-6)
    assert tt[0] == pytest.approx(r.time_min)
    ports = syn.ports[["x_m", "y_m"]].to_numpy()
    sea = syn.route("sea", ports[0], ports[1], 30)
    assert not syn.sample("is_land", *sea.path_xy.T).any()
    assert syn.route("air", xy[0], xy[1], 200).length_m == pytest.approx(np.hypot(*(xy[1] - xy[0])))
    foot = syn.route("foot", xy[0], xy[1], 5)
    assert foot.length_m == pytest.approx(1.3 * np.hypot(*(xy[1] - xy[0])))
    riv = syn.route("river", xy[0], ports[0], 10)
    assert riv.time_min > 0


def test_synthetic_queries_and_errors(syn):
    t = syn.towns.iloc[2]
    assert syn.nearest_town(t.x_m + 5, t.y_m - 5) == t.town_id
    assert syn.sample("landcover", np.array([t.x_m]), np.array([t.y_m]))[0] == 1
    with pytest.raises(WorldError):
        syn.route("teleport", (0, 0), (1, 1), 10)
    with pytest.raises(WorldError):
        syn.route("road", (0, 0), (1, 1), 0)
    with pytest.raises(WorldError):
        syn.sample("nope", 0.0, 0.0)
