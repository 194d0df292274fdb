"""The re-solve's shortcuts leave the fire unchanged (issue #15, fire under changing wind).

Each re-solve evaluates the new weather's fire behaviour only at the cells a path can
reach within the horizon at every cell's top rate (`travel_time.within_bound`), skips
burning cells known to have no front edge, keeps the legal stencil edges from one solve
to the next (cut where cells get blocked) and reads the burned state inside the box of
finite arrival times. None of this may change a number: candidates = every unburned
free cell, every burning cell read as a source, edges rebuilt from scratch, and reads
over the whole grid must all give bit-identical results on sloped ground with mixed
fuels, blocks and extinguished cells.
"""

import numpy as np
import pytest

from scenarios.forestfire.rothermel import KW_M_PER_BTU_FT_S as KW
from scenarios.forestfire.rothermel import M_PER_FT, Moisture
from scenarios.forestfire.spread import FireSpread

M = Moisture(6, 7, 8, 60, 90)


def _grid(n=70, seed=5):
    rng = np.random.default_rng(seed)
    fuel = np.where(rng.random((n, n)) < 0.75, 102, 0)  # GR2 grass with gaps
    fuel[rng.random((n, n)) < 0.2] = 165  # some TU5 timber understory
    yy, xx = np.mgrid[0:n, 0:n]
    elev = 35.0 * np.sin(xx / 8.0) + 20.0 * np.cos(yy / 11.0)
    return fuel, elev


def _run(fs: FireSpread, n=70, turn: bool = True):
    """Wind shifts every 15 min (announced), a fireline, a spot fire and a put-out patch.

    ``turn=False``: the wind keeps blowing from the west and changes speed only, so the
    head runs straight along a stencil ray at the fastest rate, as far as the bound allows.
    """
    fs.expect_weather_change(15.0)
    fs.ignite(n // 2, 10, 0.0)
    reads = []
    for k in range(1, 13):
        t = 15.0 * k
        if k == 4:
            line = np.zeros(fs.shape, dtype=bool)
            line[n // 4 : n // 2, 30:32] = True
            fs.block(line, t - 5.0)
        if k == 6:
            fs.ignite(n // 5, n - 8, t - 3.0)
        if k == 8:
            wet = np.zeros(fs.shape, dtype=bool)
            wet[n // 2 - 4 : n // 2 + 4, :20] = True
            fs.extinguish(wet, t - 2.0)
        turn_deg = (35.0 if k % 2 else -35.0) if turn else 0.0
        speed = 3.0 if turn else (3.5 if k % 2 else 3.0)
        fs.set_weather(t, speed, 270.0 + turn_deg, next_change_min=t + 15)
        reads.append(
            (
                fs.burning_mask().copy(),
                fs.front_cells().copy(),
                fs.burned_area_ha(),
                fs.burned_area_ha(t + 9.0),
            )
        )
    return reads


def _make(uniform: bool = False):
    fuel, elev = _grid()
    if uniform:  # flat, one fuel: the head runs at the grid's fastest rate, the bound is tight
        fuel, elev = np.full_like(fuel, 102), None
    return FireSpread(fuel, 30.0, elev, M, 3.0, 270.0, stencil=32, horizon_min=360.0)


def _same(ref: FireSpread, other: FireSpread, r_ref, r_other) -> None:
    np.testing.assert_array_equal(ref.arrival, other.arrival)
    np.testing.assert_array_equal(ref.cell_intensity_kw_m, other.cell_intensity_kw_m)
    np.testing.assert_array_equal(ref.cell_flame_length_m, other.cell_flame_length_m)
    for a, b in zip(r_ref, r_other, strict=True):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
        assert a[2:] == b[2:]


def _all_candidates(bits, b_off, b_step, free, burned, *args, **kwargs):
    """`within_bound` switched off: every unburned free cell is a candidate."""
    return np.flatnonzero(free & ~burned)


@pytest.mark.parametrize("uniform", [False, True])
def test_bounded_candidates_equal_every_unburned_cell(uniform, monkeypatch):
    """Candidates only within the top-rate reach of the fire: same solve as every unburned cell."""
    import scenarios.forestfire.spread as spread

    ref = _make(uniform)
    r_ref = _run(ref, turn=not uniform)
    assert ref.burned_area_ha() > 10.0  # a real fire
    monkeypatch.setattr(spread, "within_bound", _all_candidates)
    whole = _make(uniform)
    whole._retire = lambda cells: None  # every burning cell is read as a source, every solve
    r_whole = _run(whole, turn=not uniform)
    assert ref.n_solves == whole.n_solves
    _same(ref, whole, r_ref, r_whole)


@pytest.mark.parametrize("uniform", [False, True])
def test_each_shortcut_alone_changes_nothing(uniform, monkeypatch):
    """Each shortcut alone: skipping spent sources, and the bounded candidates."""
    import scenarios.forestfire.spread as spread

    ref = _make(uniform)
    r_ref = _run(ref, turn=not uniform)
    assert ref._spent.any()  # sources were retired
    all_src = _make(uniform)
    all_src._retire = lambda cells: None
    _same(ref, all_src, r_ref, _run(all_src, turn=not uniform))
    monkeypatch.setattr(spread, "within_bound", _all_candidates)
    all_cand = _make(uniform)
    _same(ref, all_cand, r_ref, _run(all_cand, turn=not uniform))


def test_cut_edges_equal_edges_rebuilt_from_scratch():
    fs = _make()
    _run(fs)
    assert fs.blocked.any() and fs.extinguished.any()
    # rebuilt from the fuel and the blocked cells
    np.testing.assert_array_equal(fs._edge_bits, fs._bits_of(fs._legal_edges()))
    assert (fs._edge_bits != fs._bits_of(_make()._legal_edges())).any()  # edges were cut


def test_box_limited_reads_equal_whole_grid_reads():
    fs = _make()
    reads = _run(fs)
    t = fs.t_now
    a = fs.arrival.reshape(fs.shape)
    burned = a <= t
    free = (fs._fuel_burnable & ~fs.blocked).reshape(fs.shape) & ~burned
    pad = np.pad(free, 1)
    nb = np.zeros_like(free)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            nb |= pad[1 + dr : 1 + dr + free.shape[0], 1 + dc : 1 + dc + free.shape[1]]
    alive = ~fs.extinguished.reshape(fs.shape)
    front = nb & burned & alive
    recent = burned & (t - a < fs.burnout_min) & alive
    np.testing.assert_array_equal(reads[-1][1], front)
    np.testing.assert_array_equal(reads[-1][0], recent | front)
    assert reads[-1][2] == np.count_nonzero(burned) * fs.cell_size_m**2 / 1e4
    np.testing.assert_array_equal(fs.burned_mask(t + 9.0), a <= t + 9.0)
    # reads before the last solve's start and within it: the same rule on the whole grid
    for when in (t - 40.0, fs._solve_from - 1e-9, fs._solve_from, t + 7.0):
        burned = a <= when
        nb = np.zeros_like(burned)
        pad = np.pad(fs._static_masks()[0] & ~burned, 1)
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                nb |= pad[1 + dr : 1 + dr + burned.shape[0], 1 + dc : 1 + dc + burned.shape[1]]
        want = burned & alive & (nb | (when - a < fs.burnout_min))
        np.testing.assert_array_equal(fs.burning_mask(when), want)


def test_edge_words_decode_to_the_masks_edges():
    """The compiled front read of every free cell yields exactly the masks' edges."""
    from scenarios.forestfire.travel_time import front_edges

    fs = _make()
    _run(fs)
    h, w = fs.shape
    cells = np.flatnonzero(fs._fuel_burnable & ~fs.blocked)
    nothing_burned = np.zeros(fs.n_cells, dtype=bool)
    k, src, dst, spent, starts, start_of = front_edges(
        fs._edge_bits, fs._dst_order, fs._bit_step, cells, nothing_burned, len(fs.offsets),
        np.zeros(0, dtype=np.int64), fs._node_id,
    )  # fmt: skip
    got = sorted(zip(src.tolist(), k.tolist(), dst.tolist(), strict=True))
    legal = fs._legal_edges()
    want = []
    for c in cells.tolist():
        r, q = divmod(c, w)
        for kk, (dr, dc) in enumerate(fs.offsets):
            if legal[kk, r, q]:
                want.append((c, kk, (r + dr) * w + q + dc))
    assert got == sorted(want)
    assert np.all(np.diff(k) >= 0)  # offset by offset
    np.testing.assert_array_equal(spent, ~np.isin(cells, src))
    # the start cells: every destination once, and each edge's start is its destination
    assert sorted(starts.tolist()) == sorted(set(dst.tolist()))
    np.testing.assert_array_equal(starts[start_of], dst)
    assert (fs._node_id == -1).all()  # the scratch is left as found


class _ReferenceFire(FireSpread):
    """The re-solve as plain numpy and scipy: every unburned free cell is a node, every burning
    cell a source, edges from masks rebuilt from scratch, all behaviour evaluated, and
    ``scipy.sparse.csgraph.dijkstra`` on the whole graph (the algorithm of the module
    docstring, with none of its shortcuts and nothing compiled)."""

    def _resolve(self, t_from, old):
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        from scenarios.forestfire.spread import _EPS

        self.n_solves += 1
        h, w = self.shape
        beh = self._beh
        beh.ensure()
        free = self._fuel_burnable & ~self.blocked
        burned = self.arrival <= t_from
        self.arrival[~burned] = np.inf
        pend_i, pend_t = self._take_pending(t_from, burned, free)
        horizon = self.horizon_min
        if t_from < self._next_change_min:
            horizon = min(horizon, self._next_change_min - t_from)
        active = burned & ~self.extinguished
        if (not active.any() and pend_i.size == 0) or not (beh.ros[free] > 0).any():
            self._valid_until = np.inf
            return
        limit = horizon + 1e-6
        legal = self._legal_edges()
        ks, ss, ds = [], [], []
        for k, (dr, dc) in enumerate(self.offsets):
            r, c = np.nonzero(legal[k])
            ks.append(np.full(r.size, k))
            ss.append(r * w + c)
            ds.append((r + dr) * w + c + dc)
        k_all, s_all, d_all = (np.concatenate(v) for v in (ks, ss, ds))
        coef = self.ref.cell_terms(self, beh, np.arange(self.n_cells))
        cand = np.full(self.n_cells, np.inf)
        np.minimum.at(cand, pend_i, pend_t)
        front = active[s_all] & ~burned[d_all]  # offset by offset, each by source
        fk, fs_, fd = k_all[front], s_all[front], d_all[front]
        c_t = np.zeros(0)
        if fk.size:
            tau_new = self.ref.edge_times(self, coef, fs_, fd, fk)
            tau_old = self.ref.old_edge_times(self, old, fs_, fd, fk) if old is not beh else tau_new
            with np.errstate(invalid="ignore", divide="ignore"):
                elapsed = 1.0 - (t_from - self.arrival[fs_]) / tau_old
                frac = np.where(np.isfinite(tau_old), np.clip(elapsed, 0, 1), 1.0)
            c_t = t_from + frac * tau_new
            np.minimum.at(cand, fd, c_t)
        if not np.isfinite(cand).any():
            self._valid_until = np.inf
            return
        node = np.flatnonzero(free & ~burned)
        nid = np.full(self.n_cells, -1)
        nid[node] = np.arange(node.size)
        e = (nid[s_all] >= 0) & (nid[d_all] >= 0)
        tau = self.ref.edge_times(self, coef, s_all[e], d_all[e], k_all[e])
        fin = np.isfinite(tau)
        starts = np.flatnonzero(np.isfinite(cand) & (cand - t_from + _EPS <= limit))
        if starts.size == 0:
            self._solved_to(t_from, horizon)
            return
        sup = node.size
        rows = np.concatenate([nid[s_all[e]][fin], np.full(starts.size, sup)])
        cols = np.concatenate([nid[d_all[e]][fin], nid[starts]])
        data = np.concatenate([tau[fin], cand[starts] - t_from + _EPS])
        g = csr_matrix((data, (rows, cols)), shape=(sup + 1, sup + 1))
        dist, pred = dijkstra(g, indices=sup, limit=limit, return_predecessors=True)
        dist, pred = dist[:sup], pred[:sup]
        lids = np.flatnonzero(np.isfinite(dist))
        cells = node[lids]
        self.arrival[cells] = t_from + dist[lids] - _EPS
        if cells.size:
            rr, cc = np.divmod(cells, w)
            self._grow_fin_box_to((rr.min(), rr.max() + 1, cc.min(), cc.max() + 1))
        ratio = np.ones(lids.size)
        p = pred[lids]
        from_graph = (p >= 0) & (p < sup)
        pc_ = node[p[from_graph]]
        qc_ = cells[from_graph]
        az = np.arctan2(qc_ % w - pc_ % w, -(qc_ // w - pc_ // w))
        e_ = beh.ecc[qc_]
        ratio[from_graph] = (1.0 - e_) / (1.0 - e_ * np.cos(az - beh.theta[qc_]))
        front_ratio = np.ones(self.n_cells)
        if fk.size:
            won = (c_t <= cand[fd]) & (c_t - t_from + _EPS <= limit)
            gi = fd[won]
            e_ = beh.ecc[gi]
            front_ratio[gi] = (1.0 - e_) / (1.0 - e_ * np.cos(self._az[fk[won]] - beh.theta[gi]))
        ratio[~from_graph] = front_ratio[cells[~from_graph]]
        self.cell_intensity_kw_m[cells] = beh.fli[cells] * ratio
        with np.errstate(divide="ignore"):
            self.cell_flame_length_m[cells] = np.where(
                self.cell_intensity_kw_m[cells] > 0,
                0.45 * (self.cell_intensity_kw_m[cells] / KW) ** 0.46 * M_PER_FT,
                0.0,
            )
        self._solved_to(t_from, horizon)


@pytest.mark.parametrize("uniform", [False, True])
@pytest.mark.parametrize("stencil", [16, 32])
def test_compiled_resolve_equals_the_plain_numpy_scipy_algorithm(uniform, stencil, numpy_ref):
    """The whole fire: every arrival time, intensity, flame length and read, bit for bit.

    A patch of fuel is too wet to burn (dead moisture above extinction: rate 0 in a
    burnable cell, so infinite edge times and slowness); the fire must go around it.
    """
    fuel, elev = _grid()
    if uniform:
        fuel, elev = np.full_like(fuel, 102), None
    wet = np.full(fuel.shape, 6.0)
    wet[40:52, 20:34] = 45.0  # GR2's moisture of extinction is 15 %
    moist = Moisture(wet, 7, 8, 60, 90)
    args = (fuel, 30.0, elev, moist, 3.0, 270.0)
    fast = FireSpread(*args, stencil=stencil, horizon_min=360.0)
    ref = _ReferenceFire(*args, stencil=stencil, horizon_min=360.0)
    ref.ref = numpy_ref
    r_fast, r_ref = _run(fast), _run(ref)
    assert fast.burned_area_ha() > 10.0 and fast.blocked.any() and fast.extinguished.any()
    assert fast.n_solves == ref.n_solves
    patch = fast.arrival.reshape(fast.shape)[40:52, 20:34]
    assert np.isinf(patch).all()  # the wet patch never burns
    assert (fast._beh.ros.reshape(fast.shape)[40:52, 20:34] == 0).any()  # its rate was read
    _same(ref, fast, r_ref, r_fast)
