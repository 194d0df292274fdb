"""Dense-gas criterion and Britter-McQuaid correlation (GasDispersion.jl tests, CCPS 1999 p.122)."""

import pytest

from scenarios.chemical import heavy_gas as hg
from scenarios.chemical.chemicals import get_chemical

R = 8.31446261815324
# GasDispersion.jl test/models/britter_mcquaid_plume_tests.jl, CCPS (1999) p.122 LNG example.
M_DOT = 0.23 * 425.6
RHO = 1.76
T_REL = 273.15 - 162
RHO_AIR = 101325 * 0.028960 / (R * 298)  # GasDispersion DRYAIR at 298 K


def test_bm_nomogram_digitisation():
    # GasDispersion.jl britter_mcquaid_plume_tests.jl, _bm_pl_c(alpha)[2].
    expected = {
        -0.75: [1.75, 1.92, 2.08, 2.25, 2.4, 2.6],
        -0.40: [1.784, 2.016, 2.21, 2.394, 2.564, 2.714],
        -0.20: [1.832, 2.06, 2.25, 2.45, 2.63, 2.77],
        0.0: [1.78, 1.96, 2.16, 2.35, 2.56, 2.71],
    }
    for alpha, betas in expected.items():
        assert hg.bm_plume_betas(alpha)[1] == pytest.approx(betas, rel=1e-12)


@pytest.mark.parametrize(
    ("x", "c"),
    [
        # GasDispersion.jl britter_mcquaid_plume_tests.jl known answers (volume fraction):
        (2.26 * 20, 0.6720234544594696),  # near field
        (367.0, 0.050717667650511944),  # interpolation region; CCPS p.122 LFL distance
        (1200.0, 0.004921409666659286),  # far field
    ],
)
def test_bm_lng_example(x, c):
    r = hg.britter_mcquaid_plume(x, M_DOT, RHO, 10.9, T_REL, 298.0, RHO_AIR)
    assert float(r["volume_fraction"]) == pytest.approx(c, rel=1e-2)


def test_bm_large_alpha_near_field():
    # GasDispersion.jl: u = 0.8322 m/s, concentration at the near-field limit = 0.5311215219329275.
    r = hg.britter_mcquaid_plume(1.0, M_DOT, RHO, 0.8322, T_REL, 298.0, RHO_AIR)
    c = hg.britter_mcquaid_plume(r["x_near_m"], M_DOT, RHO, 0.8322, T_REL, 298.0, RHO_AIR)
    assert float(c["volume_fraction"]) == pytest.approx(0.5311215219329275, rel=1e-2)


def test_chlorine_is_dense_ammonia_is_not():
    # Britter & McQuaid (1988) continuous criterion >= 0.15; chlorine rho/rho_air ~ 2.45
    # (MW 70.9 / 28.96), ammonia ~ 0.59 (lighter than air at ambient temperature).
    rho_air = 101325 * 0.02896 / (R * 298.15)
    cl2 = get_chemical("chlorine").gas_density_kg_m3()
    nh3 = get_chemical("ammonia").gas_density_kg_m3()
    assert hg.is_dense_continuous(1.0, cl2, 3.0, rho_air)
    assert not hg.is_dense_continuous(1.0, nh3, 3.0, rho_air)
    assert hg.is_dense_instantaneous(1000.0, cl2, 3.0, rho_air)
    assert not hg.is_dense_instantaneous(1000.0, nh3, 3.0, rho_air)
    # Even a tiny chlorine leak in a strong wind becomes passive.
    assert not hg.is_dense_continuous(1e-4, cl2, 10.0, rho_air)


def test_bm_rejects_light_gas():
    with pytest.raises(ValueError, match="dense"):
        hg.britter_mcquaid_plume(100.0, 1.0, 0.7, 3.0, 298.0)
