import numpy as np
import pytest

from scenarios.typhoon.damage import (
    calc_damage,
    emanuel_mdr,
    expected_fatalities,
    fatality_probability,
)


def test_t6_emanuel_climada_values():
    # models.md T6 / CLIMADA entity/impact_funcs/test/test_tc.py, v_half 74.7
    np.testing.assert_allclose(
        emanuel_mdr([30, 50, 75], v_half_m_s=74.7), [0.000675, 0.108706, 0.504578], rtol=0.01
    )


def test_t7_wp4_v_half():
    # models.md T7: WP4 TDR v_half 190.5 at 75 m/s -> 0.026073
    assert float(emanuel_mdr(75.0, v_half_m_s=190.5)) == pytest.approx(0.026073, rel=0.01)


def test_calc_damage_default_wp3_and_half_point():
    # definition: MDR = 0.5 exactly at v_half (Emanuel 2011); 0 at/below v_thresh 25.7
    assert calc_damage(112.8)["mean_damage_ratio"] == pytest.approx(0.5)
    assert calc_damage(25.7)["mean_damage_ratio"] == 0.0
    assert calc_damage([30.0, 60.0])["mean_damage_ratio"][1] > 0
    with pytest.raises(ValueError, match="v_half"):
        calc_damage(50, v_half_m_s=20)
    with pytest.raises(ValueError, match="wind"):
        calc_damage(-1.0)


def test_illustrative_fatality_model_shape():
    assert float(fatality_probability(0.0)) == 0.0
    assert float(fatality_probability(1.0, p_fatal_at_total=0.02)) == pytest.approx(0.02)
    p = fatality_probability(np.linspace(0, 1, 11))
    assert np.all(np.diff(p) > 0)
    assert float(expected_fatalities(1000, 0.5, 0.01, 2.0)) == pytest.approx(2.5)
    with pytest.raises(ValueError, match="mdr"):
        fatality_probability(1.5)
