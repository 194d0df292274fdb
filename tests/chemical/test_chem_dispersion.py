"""Dispersion kernels against published values (GasDispersion.jl test-suite, CCPS 1999)."""

import math

import numpy as np
import pytest

from scenarios.chemical import dispersion as d

# models.md C5 and GasDispersion.jl test/utils/ccps_tests.jl: Briggs sigmas at x = 1.2 m.
RURAL_1_2M = {
    "A": (0.2639841614254575, 0.24),
    "B": (0.19198848103669636, 0.144),
    "C": (0.13199208071272875, 0.09598848207318536),
    "D": (0.09599424051834818, 0.07193528734898633),
    "E": (0.07199568038876113, 0.03598704466392099),
    "F": (0.04799712025917409, 0.019193090487424527),
}
URBAN_1_2M = {
    "A": (0.38390787316433456, 0.2881727481910807),
    "B": (0.38390787316433456, 0.2881727481910807),
    "C": (0.26393666280048, 0.24),
    "D": (0.19195393658216728, 0.16796976816235135),
    "E": (0.13196833140024, 0.09591371646531512),
    "F": (0.13196833140024, 0.09591371646531512),
}
# GasDispersion.jl ccps_tests.jl "Puff dispersion": CCPS/Slade puff sigmas at 1.2 m.
PUFF_1_2M = {
    "A": (0.21287234847910436, 0.6879188103871441),
    "B": (0.16556738215041453, 0.6054498545741843),
    "C": (0.11826241582172466, 0.3869880921561032),
    "D": (0.07095744949303479, 0.17041904657983328),
    "E": (0.047304966328689864, 0.11258170198247626),
    "F": (0.023523465599668385, 0.05588182287353654),
}


@pytest.mark.parametrize("cls", "ABCDEF")
def test_briggs_rural_matches_ccps_tests(cls):
    sy, sz = RURAL_1_2M[cls]
    assert d.briggs_sigma_y(1.2, cls) == pytest.approx(sy, rel=1e-9)
    assert d.briggs_sigma_z(1.2, cls) == pytest.approx(sz, rel=1e-9)


@pytest.mark.parametrize("cls", "ABCDEF")
def test_briggs_urban_matches_ccps_tests(cls):
    sy, sz = URBAN_1_2M[cls]
    assert d.briggs_sigma_y(1.2, cls, urban=True) == pytest.approx(sy, rel=1e-9)
    assert d.briggs_sigma_z(1.2, cls, urban=True) == pytest.approx(sz, rel=1e-9)


@pytest.mark.parametrize("cls", "ABCDEF")
def test_puff_sigmas_match_ccps_tests(cls):
    sy, sz = PUFF_1_2M[cls]
    assert d.puff_sigma_y(1.2, cls) == pytest.approx(sy, rel=1e-9)
    assert d.puff_sigma_z(1.2, cls) == pytest.approx(sz, rel=1e-9)


def test_ccps_plume_example_p97():
    # models.md C1 / GasDispersion.jl gaussian_plume_tests.jl (CCPS 1999 p.97):
    # Q = 0.1 kg/s, u = 2 m/s, class F, x = 500 m ground level:
    # sigma_y = 18.10 m, sigma_z = 8.497 m, C = 1.0346728324507407e-4 kg/m3.
    sy = d.pg_plume_sigma_y(500.0, "F")
    sz = d.pg_plume_sigma_z(500.0, "F")
    assert sy == pytest.approx(18.10, rel=1e-3)
    assert sz == pytest.approx(8.497, rel=1e-3)
    c = d.gaussian_plume(0.1, 2.0, sy, sz)
    assert c == pytest.approx(0.00010346728324507407, rel=1e-6)


def test_ccps_puff_example_p101():
    # GasDispersion.jl gaussian_puff_tests.jl (CCPS 1999 p.101): 1 kg puff, F, centre at
    # x = 500 m: sigma_y = 5.047929716825321, sigma_z = 2.214836678536473,
    # C = 1 / (sqrt(2 pi) pi sigma_y^2 sigma_z) kg/m3 at the ground-level centre.
    sy, sz = d.puff_sigma_y(500.0, "F"), d.puff_sigma_z(500.0, "F")
    assert sy == pytest.approx(5.047929716825321, rel=1e-9)
    assert sz == pytest.approx(2.214836678536473, rel=1e-9)
    expected = 1 / (math.sqrt(2 * math.pi) * math.pi * sy**2 * sz)
    assert d.gaussian_puff(1.0, sy, sy, sz, 0.0, 0.0) == pytest.approx(expected, rel=1e-9)


def test_plume_reflection_doubles_ground_centreline():
    # CCPS plume equation: ground source, ground receptor -> C = Q/(pi u sy sz).
    c = d.gaussian_plume(2.0, 3.0, 10.0, 5.0)
    assert c == pytest.approx(2.0 / (math.pi * 3.0 * 10.0 * 5.0), rel=1e-12)


def test_plume_is_zero_upwind_and_vectorised():
    x = np.array([-100.0, 0.0, 100.0, 1000.0])
    c = d.plume_concentration(1.0, 3.0, "D", x, 0.0)
    assert c.shape == (4,)
    assert c[0] == 0 and c[1] == 0 and c[2] > c[3] > 0


def test_puff_field_matches_pointwise_sum():
    rng = np.random.default_rng(1)
    n = 7
    px, py = rng.uniform(-300, 300, n), rng.uniform(-300, 300, n)
    m, t = rng.uniform(1, 5, n), rng.uniform(50, 800, n)
    gx, gy = np.linspace(-500, 500, 23), np.linspace(-400, 400, 17)
    field = d.puff_field(gx, gy, px, py, m, t, "D")
    xx, yy = np.meshgrid(gx, gy)
    sy, sz = d.puff_sigma_y(t, "D"), d.puff_sigma_z(t, "D")
    ref = sum(d.gaussian_puff(m[k], sy[k], sy[k], sz[k], xx - px[k], yy - py[k]) for k in range(n))
    assert field.shape == (17, 23)
    np.testing.assert_allclose(field, ref, rtol=1e-12)
    pts = d.puff_concentration_at(xx.ravel(), yy.ravel(), px, py, m, t, "D", chunk=50)
    np.testing.assert_allclose(pts.reshape(field.shape), ref, rtol=1e-12)


def test_wind_vector_convention():
    u, v = d.wind_vector(5.0, 0.0)  # from north -> blows south
    assert u == pytest.approx(0.0, abs=1e-12) and v == pytest.approx(-5.0)
    u, v = d.wind_vector(5.0, 90.0)  # from east -> blows west
    assert u == pytest.approx(-5.0) and v == pytest.approx(0.0, abs=1e-12)


def test_warnings_low_wind_and_stable():
    assert d.plume_warnings(5.0, "D", 1000.0) == []
    w = d.plume_warnings(0.5, "F", 50.0)
    assert len(w) == 3


@pytest.mark.parametrize("bad", ["G", "", "dd"])
def test_bad_stability_raises(bad):
    with pytest.raises(ValueError, match="stability"):
        d.briggs_sigma_y(100.0, bad)


def test_bad_wind_raises():
    with pytest.raises(ValueError, match="wind_m_s"):
        d.gaussian_plume(1.0, 0.0, 1.0, 1.0)
