import time

import numpy as np
import pytest

from sim.world import WorldError, load_jiangmen

PAIRS = [
    ("Huanshi", "Taishan"),
    ("Huanshi", "Encheng"),
    ("Shaping", "Duhu"),
    ("Changsha", "Chuandao"),
    ("Huicheng", "Yamen"),
    ("Encheng", "Gulao"),
]


@pytest.fixture(scope="module")
def jm():
    return load_jiangmen()


def _xy(jm, name):
    return jm.towns.set_index("name").loc[name, ["x_m", "y_m"]].to_numpy(float)


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_road_times_are_sane(jm, a, b):
    o, d = _xy(jm, a), _xy(jm, b)
    straight = np.hypot(*(d - o))
    r = jm.route("road", o, d, 100)
    assert np.isfinite(r.time_min)
    assert r.time_min >= straight / 100_000 * 60  # cannot beat the straight line at top speed
    assert r.length_m >= straight
    assert r.time_min <= 3 * straight / 40_000 * 60  # <= 3x detour at county-road speed
    assert jm.travel_time_min("road", o[None], d, 100)[0] == pytest.approx(r.time_min)


def test_island_unreachable_by_road(jm):
    with pytest.raises(WorldError):
        jm.route("road", _xy(jm, "Huanshi"), _xy(jm, "Shangchuan"), 60)
    tt = jm.travel_time_min(
        "road", np.array([_xy(jm, "Shangchuan"), _xy(jm, "Taishan")]), _xy(jm, "Huanshi"), 60
    )
    assert np.isinf(tt[0]) and np.isfinite(tt[1])


def test_travel_time_many_origins_is_fast(jm):
    origins = jm.facilities[["x_m", "y_m"]].to_numpy()
    dest = _xy(jm, "Sanbu") + 1234.0
    jm.travel_time_min("road", origins, dest, 80)
    t = time.perf_counter()
    for _ in range(20):
        out = jm.travel_time_min("road", origins, dest, 80)
    assert (time.perf_counter() - t) / 20 < 0.01
    assert out.shape == (len(origins),)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("P_SHANZUI", "P_SHADI"),
        ("P_YAMEN", "P_GUANGHAI"),
        ("P_HENGSHAN", "P_SHADI"),
        ("P_GUANGHAI", "P_SHANZUI"),
    ],
)
def test_sea_routes_stay_on_water(jm, a, b):
    p = jm.ports.set_index("port_id")
    o, d = p.loc[a, ["x_m", "y_m"]].to_numpy(float), p.loc[b, ["x_m", "y_m"]].to_numpy(float)
    r = jm.route("sea", o, d, 30)
    assert not jm.sample("is_land", *r.path_xy.T).any()
    assert r.length_m >= np.hypot(*(d - o)) - 1
    assert np.allclose(r.path_xy[0], o) and np.allclose(r.path_xy[-1], d)


def test_river_route(jm):
    r = jm.route("river", _xy(jm, "Sanbu"), _xy(jm, "Yamen"), 15)
    assert np.isfinite(r.time_min) and r.length_m > 40_000


def test_tree_equals_scipy_undirected_search_bitwise(jm):
    """`Network.tree_to` runs scipy's directed search on its symmetric matrix: the same
    distances and predecessors as the undirected search, on the road, river and sea
    networks and on a small graph with a parallel edge."""
    from scipy.sparse.csgraph import dijkstra

    from sim.world.routing import Network

    tiny = Network(
        np.array([[0.0, 0], [1, 0], [2, 0], [1, 1]]),
        np.array([0, 1, 0, 3, 1]),
        np.array([1, 2, 3, 2, 2]),
        np.array([1.0, 1.0, 1.5, 1.5, 0.7]),  # 1-2 twice: summed both ways alike
    )
    rng = np.random.default_rng(3)
    for net in (tiny, jm._network("road"), jm._network("river"), jm._network("sea")):
        for node in rng.integers(0, len(net.xy), 6).tolist():
            dist, pred = net.tree_to(node, 37.0)
            ref = dijkstra(net._hours(37.0), directed=False, indices=node, return_predecessors=True)
            assert np.array_equal(dist, ref[0]) and np.array_equal(pred, ref[1])


def test_snap_and_path_length_equal_the_direct_computations(jm):
    """Remembered snaps and dict-based path lengths give exactly the KD-tree query and the
    sparse-matrix sum, on the open road network and on one derived for closures."""
    from sim.world.routing import Network

    road = jm._network("road")
    keep = np.ones(len(road.u), dtype=bool)
    keep[::7] = False  # some roads closed
    closed = Network(road.xy, road.u[keep], road.v[keep], road.length_m[keep], like=road)
    rng = np.random.default_rng(11)
    pts = road.xy[rng.integers(0, len(road.xy), 30)] + rng.normal(0, 300, (30, 2))
    d_ref, i_ref = road.tree.query(pts)
    for net in (road, closed, road):  # the second pass over `road` answers from memory
        for k, p in enumerate(pts):
            i, d = net.snap(p)
            assert i.tolist() == [i_ref[k]] and d.tolist() == [d_ref[k]]
        i, d = net.snap(pts[:10])
        assert np.array_equal(i, i_ref[:10]) and np.array_equal(d, d_ref[:10])
    for net in (road, closed):
        for node in rng.integers(0, len(net.xy), 5).tolist():
            _, pred = net.tree_to(node, 60.0)
            starts = np.flatnonzero(pred >= 0)[:20]
            for s in starts.tolist():
                nodes = net.node_path(pred, s, node)
                ref = float(np.asarray(net._len_csr[nodes[:-1], nodes[1:]]).ravel().sum())
                assert net.path_length(nodes) == ref
