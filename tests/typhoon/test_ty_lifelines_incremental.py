"""Lifeline and road failures checked only where the peak wind changed (issue #15).

`Lifelines.update` and `RoadDamageModel.update` evaluate fragilities only at cells
(edges) whose peak wind changed since the last tick: at an unchanged peak the last
check already said no. These tests compare them with the plain all-cells rule on
storm-like peak sequences, including peaks that stand still or (for robustness) drop.
"""

import numpy as np
from scipy.special import ndtri

from scenarios.typhoon.infrastructure import Lifelines, RoadDamageModel, fragility
from scenarios.typhoon.params import Outages, RoadDamage


def _winds(rng, shape, ticks, monotone=True):
    peak = np.zeros(shape)
    for k in range(ticks):
        wind = np.clip(rng.normal(20 + 3 * k - 0.12 * k * k, 8, shape), 0, None)
        wind[rng.random(shape) < 0.3] = 0.0  # calm pockets: peaks stand still there
        if monotone:
            np.fmax(peak, wind, out=peak)
        else:
            peak = np.where(rng.random(shape) < 0.1, wind, np.fmax(peak, wind))
        yield wind, peak


def _naive_lifelines(ll: Lifelines, t, dt_h, wind, peak):
    """The all-cells rule (as before issue #15) on a copy of the state."""
    p = ll.p
    fail = (fragility(peak, p.power) > ll.u_power) & ~ll.power_down & ~ll.power_done
    ll.power_down |= fail
    ll.power_since[fail] = t
    calm = wind < p.work_wind_m_s
    work = ll.power_down & calm
    ll.power_repair_h[work] -= dt_h
    fixed = work & (ll.power_repair_h <= 0)
    ll.power_down[fixed] = False
    ll.power_done[fixed] = True
    ll.power_since[fixed] = np.nan
    mf = (fragility(peak, p.mobile) > ll.u_mobile) & ~ll.mobile_damaged & ~ll.mobile_done
    ll.mobile_damaged |= mf
    mwork = ll.mobile_damaged & calm
    ll.mobile_repair_h[mwork] -= dt_h
    mfixed = mwork & (ll.mobile_repair_h <= 0)
    ll.mobile_damaged[mfixed] = False
    ll.mobile_done[mfixed] = True


def test_lifelines_match_the_all_cells_rule():
    for monotone in (True, False):
        shape = (40, 50)
        near = np.arange(shape[0] * shape[1])
        a = Lifelines(shape, near, Outages(), np.random.default_rng(7))
        b = Lifelines(shape, near, Outages(), np.random.default_rng(7))
        rng = np.random.default_rng(1)
        for k, (wind, peak) in enumerate(_winds(rng, shape, 120, monotone)):
            a.update(20.0 * k, 1 / 3, wind, peak)
            _naive_lifelines(b, 20.0 * k, 1 / 3, wind, peak)
            for name in ("power_down", "power_done", "mobile_damaged", "mobile_done"):
                assert np.array_equal(getattr(a, name), getattr(b, name)), (monotone, k, name)
            assert np.array_equal(a.power_since, b.power_since, equal_nan=True)
        assert a.power_done.any() and a.mobile_done.any()  # failures and repairs happened


def test_calm_ticks_flagged_unchanged_match_the_full_check():
    """The hazard passes `peak_changed=False` on calm ticks (the peak array is not touched).

    A storm-like run with calm stretches between gusts (peaks standing still while down
    cells are repaired and batteries run out) gives the same states, grids and counts
    as checking every cell on every tick. A call that says "unchanged" although the
    peak rose would miss failures: the flag is the caller's promise, so this also shows
    the check is skipped (no failure from the risen peak until a changed call).
    """
    shape = (40, 50)
    n = shape[0] * shape[1]
    rng0 = np.random.default_rng(6)
    land = rng0.random(n) < 0.6
    near = np.where(land, np.arange(n), rng0.choice(np.flatnonzero(land), n))
    p = Outages(battery_h=1.0)
    a = Lifelines(shape, near, p, np.random.default_rng(12))
    b = Lifelines(shape, near, p, np.random.default_rng(12))
    rng = np.random.default_rng(5)
    peak = np.zeros(shape)
    calm_ticks = 0
    for k in range(160):
        calm = k < 5 or (k // 7) % 2 == 1 or k > 100  # before, between and after gusts
        wind = np.zeros(shape) if calm else np.clip(rng.normal(25 + 0.2 * k, 10, shape), 0, None)
        np.fmax(peak, wind, out=peak)
        a.update(20.0 * k, 1 / 3, wind, peak, peak_changed=not calm)
        b.update(20.0 * k, 1 / 3, wind, peak)
        calm_ticks += calm
        for name in ("power_down", "power_done", "mobile_damaged", "mobile_done"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), (k, name)
        assert np.array_equal(a.power_ok_cells(), b.power_ok_cells()), k
        assert np.array_equal(a.mobile_ok_cells(), b.mobile_ok_cells()), k
        assert a.modelled_counts() == b.modelled_counts(), k
    assert calm_ticks > 60 and a.power_done.any() and a.mobile_done.any()
    c = Lifelines(shape, near, p, np.random.default_rng(12))
    c.update(0.0, 1 / 3, np.zeros(shape), np.zeros(shape))
    gale = np.full(shape, 60.0)
    c.update(20.0, 1 / 3, gale, gale, peak_changed=False)  # a broken promise: not checked
    assert not c.power_down.any()
    c.update(40.0, 1 / 3, gale, gale)
    assert c.power_down.any()


def test_road_closures_match_the_all_edges_rule():
    n = 3000
    rng0 = np.random.default_rng(5)
    length, trees, slope = rng0.uniform(50, 2000, n), rng0.random(n), rng0.uniform(0, 15, n)
    a = RoadDamageModel(length, trees, slope, RoadDamage(), np.random.default_rng(9))
    b = RoadDamageModel(length, trees, slope, RoadDamage(), np.random.default_rng(9))
    rng = np.random.default_rng(2)
    closed_total = 0
    for wind, peak in _winds(rng, (n,), 30, monotone=False):
        new_a, cleared_a = a.update(1 / 3, wind, peak)
        # all-edges rule
        new_b = np.flatnonzero((b.p_closed(peak) > b.u) & ~b.closed & ~b.done)
        b.closed[new_b] = True
        work = b.closed & (wind < b.p.work_wind_m_s)
        work[new_b] = False
        b.clear_left_h[work] -= 1 / 3
        cleared_b = np.flatnonzero(work & (b.clear_left_h <= 0))
        b.closed[cleared_b] = False
        b.done[cleared_b] = True
        assert np.array_equal(new_a, new_b)
        assert np.array_equal(cleared_a, cleared_b)
        closed_total += new_a.size
    assert closed_total > 50


def test_lifeline_grids_match_the_all_cells_rule_with_sea_cells():
    """Sea cells follow their nearest land cell; only land cells need modelling (#15).

    `Lifelines` checks only cells whose peak reached their failure threshold, repairs only
    down cells and rebuilds the grids only when they change (counted by `version`); the
    power/mobile grids must still be those of the all-cells rule, tick by tick.
    """
    shape = (40, 50)
    n = shape[0] * shape[1]
    rng0 = np.random.default_rng(3)
    land = rng0.random(n) < 0.6
    land_idx = np.flatnonzero(land)
    near = np.where(land, np.arange(n), rng0.choice(land_idx, n))
    p = Outages(battery_h=1.0)
    for monotone in (True, False):
        a = Lifelines(shape, near, p, np.random.default_rng(11))
        b = Lifelines(shape, near, p, np.random.default_rng(11))
        rng = np.random.default_rng(4)
        last = (a.power_ok_cells().copy(), a.mobile_ok_cells().copy(), a.version)
        changes = 0
        for k, (wind, peak) in enumerate(_winds(rng, shape, 150, monotone)):
            t = 20.0 * k
            a.update(t, 1 / 3, wind, peak)
            _naive_lifelines(b, t, 1 / 3, wind, peak)
            with np.errstate(invalid="ignore"):
                battery = b.power_down & (t - b.power_since >= p.battery_h * 60.0)
            power_ok = ~b.power_down.ravel()[near].reshape(shape)
            mobile_ok = ~(b.mobile_damaged | battery).ravel()[near].reshape(shape)
            assert np.array_equal(a.power_ok_cells(), power_ok), (monotone, k)
            assert np.array_equal(a.mobile_ok_cells(), mobile_ok), (monotone, k)
            land2d = land.reshape(shape)
            counts = (int((~power_ok & land2d).sum()), int((~mobile_ok & land2d).sum()))
            assert a.modelled_counts() == counts, k  # what the hazard logs as land outages
            for name in ("power_down", "power_done", "mobile_damaged", "mobile_done"):
                assert np.array_equal(
                    getattr(a, name).ravel()[land], getattr(b, name).ravel()[land]
                )
            changed = not (np.array_equal(power_ok, last[0]) and np.array_equal(mobile_ok, last[1]))
            assert not changed or a.version != last[2], k  # a change always bumps the version
            changes += changed
            last = (power_ok, mobile_ok, a.version)
        assert changes > 20 and a.power_done.any() and not a.power_ok_cells().flags.writeable


def test_failure_threshold_is_a_safe_bound_close_to_the_failure_wind():
    from scenarios.typhoon.infrastructure import failure_wind_below
    from scenarios.typhoon.params import Fragility

    u = np.concatenate(
        [np.random.default_rng(8).random(20000), [0.0, 1e-300, 1e-12, 0.5, 1 - 1e-9, 1 - 2**-53]]
    )
    for f in (Fragility(median_m_s=38.0, beta=0.25), Fragility(median_m_s=20.0, beta=2.0)):
        thr = failure_wind_below(u, f)
        for rel in (1 - 1e-15, 1 - 1e-9, 0.999, 0.5):
            below = thr * rel
            assert not (fragility(below, f) > u)[below > 0].any()
        typical = (u > 1e-6) & (u < 0.99)
        exact = f.median_m_s * np.exp(f.beta * ndtri(u[typical]))
        assert np.all((thr[typical] < exact) & (thr[typical] > exact * (1 - 1e-3)))
        assert thr[u == 0.0] == 0.0 and thr[-1] == 0.0  # always checked exactly
