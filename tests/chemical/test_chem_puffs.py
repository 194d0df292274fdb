"""PuffTrain: the drill-clock puff cloud reproduces the steady plume and bends with the wind."""

import numpy as np
import pytest

from scenarios.chemical.dispersion import (
    gaussian_puff,
    plume_concentration,
    puff_sigma_y,
    puff_sigma_z,
)
from scenarios.chemical.puffs import PuffTrain


def _steady(stab: str, u: float, minutes: int, q: float = 1.0) -> PuffTrain:
    p = PuffTrain(stab)
    for _ in range(minutes):
        p.advect(60.0, u, 270.0)
        p.release_continuous(0.0, 0.0, q, 60.0, 6, u, 270.0)
    return p


@pytest.mark.parametrize(
    ("stab", "u", "xs"), [("D", 3.0, [300.0, 1000.0, 3000.0]), ("F", 1.5, [300.0, 1000.0, 3000.0])]
)
def test_puff_train_integrates_to_gaussian_plume(stab, u, xs):
    # CCPS (1999) ch.2: a train of closely spaced puffs with plume sigmas sums to the
    # steady plume C = Q/(pi u sy sz) on the ground centreline; within 1 %.
    p = _steady(stab, u, 60)
    got = p.at(xs, [0.0] * len(xs))
    want = plume_concentration(1.0, u, stab, xs)
    np.testing.assert_allclose(got, want, rtol=0.01)


def test_grid_field_equals_pointwise():
    p = _steady("D", 3.0, 20)
    gx = np.linspace(-500, 4000, 23)
    gy = np.linspace(-800, 800, 17)
    xx, yy = np.meshgrid(gx, gy)
    ref = p.at(xx, yy).reshape(xx.shape)
    # equal up to the far-tail cut-off (exp(-40.5) of the peak)
    np.testing.assert_allclose(p.field(gx, gy), ref, rtol=1e-9, atol=1e-12 * ref.max())


def test_instantaneous_puff_is_ccps_slade_puff():
    # One puff: CCPS puff equation with Slade (1968) sigmas (dispersion.gaussian_puff).
    p = PuffTrain("D")
    p.release_instantaneous(0.0, 0.0, 100.0)
    p.advect(300.0, 2.0, 270.0)  # 600 m east
    sy, sz = puff_sigma_y(600.0, "D"), puff_sigma_z(600.0, "D")
    want = gaussian_puff(100.0, sy, sy, sz, 20.0, 5.0)
    assert p.at([620.0], [5.0])[0] == pytest.approx(float(want), rel=1e-12)


def test_wind_shift_bends_the_cloud():
    # Wind from the west for 30 min, then from the south: old puffs drift north from
    # where they were (east of the source), new puffs leave the source northwards.
    p = _steady("D", 3.0, 30)
    n_old = p.n
    for _ in range(10):
        p.advect(60.0, 3.0, 180.0)
        p.release_continuous(0.0, 0.0, 1.0, 60.0, 6, 3.0, 180.0)
    assert (p.x[:n_old] > 500).mean() > 0.9 and (p.y[:n_old] > 1700).all()
    assert np.allclose(p.x[n_old:], 0.0) and (p.y[n_old:] > 0).all()


def test_far_receptors_are_exactly_zero():
    p = _steady("F", 1.5, 10)
    assert p.at([-50_000.0], [0.0])[0] == 0.0
