"""The compiled searches of the fire kernel against scipy's Dijkstra (issue #15).

`min_travel_time` reads edges from the per-cell edge words and works out each edge's
travel time only when it relaxes it; scipy needs the whole graph first. On the same
edge times both must give the same shortest times bit for bit (Dijkstra 1959: the
same relaxations ``d + tau``, kept when ``<= limit`` and strictly better), whatever the
terrain, the start cells and the limit. `within_bound` must return exactly the cells
whose lower-bound time is within the limit.
"""

import numpy as np
import pytest
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from scenarios.forestfire.rothermel import Moisture
from scenarios.forestfire.spread import _EPS, FireSpread
from scenarios.forestfire.travel_time import _low_bit, front_edges, min_travel_time, within_bound

M = Moisture(6, 7, 8, 60, 90)


def _fire(seed: int, n: int = 40, wind_from: float = 250.0) -> FireSpread:
    rng = np.random.default_rng(seed)
    fuel = np.where(rng.random((n, n)) < 0.8, 102, 0)
    fuel[rng.random((n, n)) < 0.25] = 165
    yy, xx = np.mgrid[0:n, 0:n]
    elev = 30.0 * np.sin(xx / 7.0 + seed) + 15.0 * np.cos(yy / 9.0)
    fs = FireSpread(fuel, 30.0, elev, M, 3.0 + seed % 3, wind_from + 20 * seed)
    blocked = np.zeros((n, n), dtype=bool)
    blocked[n // 3 : n // 2, n // 2] = True
    fs.block(blocked, 0.0)
    return fs


def _all_edges(fs: FireSpread, cells: np.ndarray):
    """Every legal edge between free cells, from the masks: (source, offset, destination)."""
    h, w = fs.shape
    legal = fs._legal_edges()
    src, kk, dst = [], [], []
    for k, (dr, dc) in enumerate(fs.offsets):
        r, c = np.nonzero(legal[k])
        src.append(r * w + c)
        kk.append(np.full(r.size, k))
        dst.append((r + dr) * w + c + dc)
    src, kk, dst = (np.concatenate(v) for v in (src, kk, dst))
    keep = np.isin(src, cells) & np.isin(dst, cells)
    return src[keep], kk[keep], dst[keep]


def _scipy_times(n_nodes, src, dst, tau, starts, start_w, limit):
    """Shortest times with scipy: a super source with an edge to each start cell."""
    fin = np.isfinite(tau)
    rows = np.concatenate([src[fin], np.full(starts.size, n_nodes)])
    cols = np.concatenate([dst[fin], starts])
    data = np.concatenate([tau[fin], start_w])
    g = csr_matrix((data, (rows, cols)), shape=(n_nodes + 1, n_nodes + 1))
    dist, pred = dijkstra(g, indices=n_nodes, limit=limit, return_predecessors=True)
    return dist[:n_nodes], pred[:n_nodes]


@pytest.mark.parametrize("seed", range(5))
def test_compiled_search_equals_scipy_dijkstra(seed, numpy_ref):
    fs = _fire(seed)
    rng = np.random.default_rng(100 + seed)
    cells = np.flatnonzero(fs._fuel_burnable & ~fs.blocked)  # candidates, row-major
    fs._beh.ensure(cells)
    terms = fs._cell_terms(fs._beh, cells)
    idx = np.full(fs.n_cells, -1, dtype=np.int32)
    idx[cells] = np.arange(cells.size, dtype=np.int32)
    s, k, d = _all_edges(fs, cells)
    # edge times of the reference in plain numpy; the search gets the compiled cell terms
    coef = numpy_ref.cell_terms(fs, fs._beh, cells)
    tau = numpy_ref.edge_times(fs, coef, idx[s], idx[d], k)
    starts = rng.choice(cells.size, size=3 + seed, replace=False).astype(np.int64)
    start_w = rng.uniform(0.0, 5.0, starts.size)
    limit = 30.0 + 20.0 * seed
    want, want_pred = _scipy_times(cells.size, idx[s], idx[d], tau, starts, start_w, limit)
    got_ids, got_t, got_pred = min_travel_time(
        fs._edge_bits, fs._dst_order, fs._bit_step, idx, cells,
        terms["ec"], terms["es"], terms["base"], terms["z"],
        fs._cos_az, fs._sin_az, fs._horiz, starts, start_w, limit, _EPS,
    )  # fmt: skip
    dist = np.full(cells.size, np.inf)
    dist[got_ids] = got_t
    assert np.isfinite(want).sum() > 50  # a real search
    np.testing.assert_array_equal(dist, want)  # bit for bit
    assert np.all(np.diff(got_t) >= 0)  # settled in time order
    # predecessors: the super source for start cells, else a neighbour on a shortest path
    pred = np.where(want_pred == cells.size, -1, cells[np.clip(want_pred, 0, cells.size - 1)])
    same = pred[got_ids] == got_pred
    assert same.mean() > 0.99  # differ only where two paths tie exactly
    # a different predecessor must give exactly the same time
    for i in np.flatnonzero(~same):
        j, p = got_ids[i], got_pred[i]
        on_edge = (s == p) & (d == cells[j])
        assert (dist[idx[p]] + tau[on_edge] == dist[j]).any()


def test_compiled_search_retries_a_full_heap():
    fs = _fire(1)
    cells = np.flatnonzero(fs._fuel_burnable & ~fs.blocked)
    fs._beh.ensure(cells)
    t = fs._cell_terms(fs._beh, cells)
    idx = np.full(fs.n_cells, -1, dtype=np.int32)
    idx[cells] = np.arange(cells.size, dtype=np.int32)
    args = (
        fs._edge_bits, fs._dst_order, fs._bit_step, idx, cells, t["ec"], t["es"], t["base"],
        t["z"], fs._cos_az, fs._sin_az, fs._horiz, np.array([5, 400]), np.array([0.0, 1.0]),
        60.0, _EPS,
    )  # fmt: skip
    ref = min_travel_time(*args)
    small = min_travel_time(*args, 2)  # a 2-entry heap overflows at once
    assert ref[0].size > 100
    for a, b in zip(ref, small, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("seed", range(4))
def test_bound_search_returns_the_cells_within_the_limit(seed, numpy_ref):
    """Cells whose lower-bound time (scipy on the lower-bound edge times) is within the limit."""
    fs = _fire(seed)
    rng = np.random.default_rng(200 + seed)
    node = fs._fuel_burnable & ~fs.blocked
    cells = np.flatnonzero(node)
    inv_ub = fs._inv_ub(fs._beh)
    s, k, d = _all_edges(fs, cells)
    lb = fs._half_horiz[k] * (inv_ub[s] + inv_ub[d]) * (1.0 - 1e-9)
    starts = rng.choice(cells, size=2 + seed, replace=False).astype(np.int64)
    start_w = rng.uniform(0.0, 3.0, starts.size)
    limit = 20.0 + 10.0 * seed
    want, _ = _scipy_times(fs.n_cells, s, d, lb, starts, start_w, limit)
    scratch = np.full(fs.n_cells, np.inf)
    args = (
        fs._edge_bits, fs._dst_order, fs._bit_step, node, np.zeros_like(node), inv_ub,
        fs._half_horiz,
        fs._min_edge_bound(fs._beh), starts, start_w, limit, scratch,
    )  # fmt: skip
    got = within_bound(*args)
    assert np.all(np.diff(got) > 0)  # sorted, each once
    assert np.isinf(scratch).all()  # the work array is left all-inf
    # equal up to float rounding of the sums at the limit itself
    sure = np.flatnonzero(want <= limit * (1 - 1e-12))
    maybe = np.flatnonzero(want <= limit * (1 + 1e-12))
    assert sure.size > 30
    assert np.isin(sure, got).all() and np.isin(got, maybe).all()
    np.testing.assert_array_equal(within_bound(*args, 3), got)  # the queue retry: same set
    # the lower bound is below every exact edge time
    fs._beh.ensure(cells)
    idx = np.full(fs.n_cells, -1)
    idx[cells] = np.arange(cells.size)
    tau = numpy_ref.edge_times(fs, numpy_ref.cell_terms(fs, fs._beh, cells), idx[s], idx[d], k)
    assert np.all(lb < tau)


def test_low_bit_of_every_word_position():
    for b in range(32):
        assert _low_bit(1 << b) == b
        assert _low_bit((1 << b) | (0xFFFFFFFF << b & 0xFFFFFFFF)) == b


def test_front_start_times_dedup_pending_and_edge_ends():
    fs = _fire(0, n=12)
    burned = np.zeros(fs.n_cells, dtype=bool)
    burned[[40, 41]] = True
    pending = np.array([5, 77, 5], dtype=np.int64)
    k, src, dst, spent, starts, start_of = front_edges(
        fs._edge_bits, fs._dst_order, fs._bit_step, np.array([40, 41]), burned,
        len(fs.offsets), pending, fs._node_id,
    )  # fmt: skip
    keys = np.concatenate([pending, dst])
    np.testing.assert_array_equal(starts[start_of], keys)
    assert sorted(starts.tolist()) == sorted(set(keys.tolist()))
    assert not np.isin(dst, [40, 41]).any()  # no edge into burned cells
