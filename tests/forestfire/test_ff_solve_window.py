"""The re-solve's shortcuts leave the fire unchanged (issue #15, fire under changing wind).

Each Dijkstra pass builds its graph only on the unburned cells within reach of where the
fire starts, keeps per-offset edge masks from one solve to the next (cut where cells get
blocked) and reads the burned state inside the box of finite arrival times. None of this
may change a number: a solve with a wider reach (more nodes, nodes that cannot be
reached), edge masks rebuilt from scratch, and reads over the whole grid must all give
bit-identical results on sloped ground with mixed fuels, blocks and extinguished cells.
"""

import numpy as np
import pytest

from scenarios.forestfire.rothermel import Moisture
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


def test_wider_reach_gives_bit_identical_arrival_times():
    """More graph nodes (cells that cannot be reached in time) change nothing."""
    ref = _make()
    wide = _make()
    reach = wide._reach_cells

    def wider(beh, free, horizon):
        r = reach(beh, free, horizon)
        return None if r is None else r + 15

    wide._reach_cells = wider
    r_ref, r_wide = _run(ref), _run(wide)
    assert ref.burned_area_ha() > 10.0  # a real fire
    assert ref.n_solves == wide.n_solves
    np.testing.assert_array_equal(ref.arrival, wide.arrival)
    np.testing.assert_array_equal(ref.cell_intensity_kw_m, wide.cell_intensity_kw_m)
    for a, b in zip(r_ref, r_wide, strict=True):
        np.testing.assert_array_equal(a[0], b[0])
        assert a[2:] == b[2:]


def _same(ref: FireSpread, other: FireSpread, r_ref, r_other) -> None:
    np.testing.assert_array_equal(ref.arrival, other.arrival)
    np.testing.assert_array_equal(ref.cell_intensity_kw_m, other.cell_intensity_kw_m)
    np.testing.assert_array_equal(ref.cell_flame_length_m, other.cell_flame_length_m)
    for a, b in zip(r_ref, r_other, strict=True):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
        assert a[2:] == b[2:]


@pytest.mark.parametrize("uniform", [False, True])
def test_graph_on_reachable_cells_equals_graph_on_whole_window(uniform):
    """Nodes only within reach of the fire's start: same solve as every unburned cell."""
    ref = _make(uniform)
    whole = _make(uniform)
    whole._node_radius = lambda reach_cells: 200  # more than the grid: every unburned cell
    whole._axis_rates = lambda terms: None  # and no cut along the axes
    whole._retire = lambda cells: None  # every burning cell is read as a source, every solve
    r_ref, r_whole = _run(ref, turn=not uniform), _run(whole, turn=not uniform)
    np.testing.assert_array_equal(ref.arrival, whole.arrival)
    np.testing.assert_array_equal(ref.cell_intensity_kw_m, whole.cell_intensity_kw_m)
    for a, b in zip(r_ref, r_whole, strict=True):
        np.testing.assert_array_equal(a[0], b[0])
        assert a[2:] == b[2:]


def test_cut_edge_masks_equal_masks_rebuilt_from_scratch():
    fs = _make()
    _run(fs)
    assert fs.blocked.any() and fs.extinguished.any()
    kept = fs._legal_edges().copy()
    fs._legal = None  # rebuild from the fuel and the blocked cells
    np.testing.assert_array_equal(kept, fs._legal_edges())


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


@pytest.mark.parametrize("uniform", [False, True])
def test_axis_cut_and_retired_sources_change_nothing(uniform):
    """Each shortcut alone: the per-axis cut of the nodes, and skipping spent sources."""
    ref = _make(uniform)
    r_ref = _run(ref, turn=not uniform)
    assert ref._spent.any()  # sources were retired
    no_cut = _make(uniform)
    no_cut._axis_rates = lambda terms: None
    _same(ref, no_cut, r_ref, _run(no_cut, turn=not uniform))
    all_src = _make(uniform)
    all_src._retire = lambda cells: None
    _same(ref, all_src, r_ref, _run(all_src, turn=not uniform))


def test_axis_rates_are_behaves_head_flank_and_back_rates():
    """Flat ground, wind from the west: the fastest spread east, north/south and west are
    the head, flanking and backing rates of Behave's ellipse (Andrews 2018, RMRS-GTR-371:
    flanking = (head + backing) / (2 LW)), here from the same Rothermel/Anderson chain."""
    from scenarios.forestfire.rothermel import surface_fire

    fs = FireSpread(np.full((9, 9), 102), 30.0, None, M, 3.0, 270.0)
    cells = np.arange(fs.n_cells)
    fs._beh.ensure(cells)
    north, south, west, east = fs._axis_rates(fs._cell_terms(fs._beh, cells))
    ref = surface_fire("GR2", M, 3.0)
    assert east == pytest.approx(ref.ros_m_min, rel=1e-9)
    assert west == pytest.approx(ref.backing_ros_m_min, rel=1e-9)
    assert north == pytest.approx(ref.flanking_ros_m_min, rel=1e-9)
    assert south == pytest.approx(ref.flanking_ros_m_min, rel=1e-9)
    assert west < east / 10  # the back reaches a tenth as far: most of the window is cut


def test_one_solve_stays_inside_the_axis_reach():
    """Every cell a solve reaches lies within the per-axis reach of its start cell."""
    n, t = 81, 20.0
    fs = FireSpread(np.full((n, n), 102), 30.0, None, M, 3.0, 235.0, horizon_min=t)
    fs.ignite(40, 40, 0.0)
    rr, cc = np.nonzero(fs.forecast_arrival_min(t) <= t)
    fs._beh.ensure(np.arange(fs.n_cells))
    north, south, west, east = fs._axis_rates(fs._cell_terms(fs._beh, np.arange(fs.n_cells)))
    assert 40 - rr.min() <= north * t / 30.0
    assert rr.max() - 40 <= south * t / 30.0
    assert 40 - cc.min() <= west * t / 30.0
    assert cc.max() - 40 <= east * t / 30.0
    assert cc.max() - 40 >= 0.8 * east * t / 30.0  # and the bound is close at the head


@pytest.mark.parametrize("seed", range(4))
def test_dilate_box_equals_brute_force(seed):
    from scenarios.forestfire.spread import _dilate_box

    rng = np.random.default_rng(seed)
    mask = rng.random((23, 17)) < 0.05
    reach = tuple(int(v) for v in rng.integers(0, 9, size=4))
    north, south, west, east = reach
    want = np.zeros_like(mask)
    for r, c in zip(*np.nonzero(mask), strict=True):
        want[max(0, r - north) : r + south + 1, max(0, c - west) : c + east + 1] = True
    np.testing.assert_array_equal(_dilate_box(mask, *reach), want)


def test_edge_table_after_cuts_equals_edges_from_the_masks():
    """Edges read from the start-of-fire table, less the cut ones, are the masks' edges."""
    fs = _make()
    _run(fs)
    assert fs._cut_any
    h, w = fs.shape
    cells = np.flatnonzero(fs._fuel_burnable & ~fs.blocked)
    src, k, dst = fs._out_edges(cells)
    got = sorted(zip(cells[src].tolist(), k.tolist(), dst.tolist(), strict=True))
    legal = fs._legal_edges()
    want = []
    for c in cells.tolist():
        r, q = divmod(c, w)
        for kk, (dr, dc) in enumerate(fs.offsets):
            if legal[kk, r, q]:
                want.append((c, kk, (r + dr) * w + q + dc))
    assert got == sorted(want)
    # one source's edges come out in destination order (the CSR order Dijkstra needs)
    first = src == 0
    assert np.all(np.diff(dst[first]) > 0)
