"""Surface fire against Behave's published unit tests.

Expected values: firelab/behave src/testBehave/testBehave.cpp (testSimpleSurface,
testSurfaceSingleFuelModel, testLengthToWidthRatio, testFirelineIntensity,
testDirectionOfInterest), also listed as models.md cases F1 and F2.
"""

import json
import math

import numpy as np
import pytest

from scenarios.forestfire.rothermel import (
    FT_MIN_PER_CH_H,
    FT_MIN_PER_MPH,
    Moisture,
    calc_fire_ros,
    surface_fire,
    surface_fire_arrays,
    surface_fire_imperial,
    wind_adjustment_factor,
)

LOW = Moisture(6, 7, 8, 60, 90)  # Behave "GS4 low moisture scenario"
MPH5 = 5 * FT_MIN_PER_MPH
REL = 1e-6


def ch_h(r):
    return r["ros"] / FT_MIN_PER_CH_H


def test_f1_simple_surface():
    # behave testBehave.cpp testSimpleSurface: GS4, 5 mph 20-ft wind, WAF = 1, 30 % slope, upslope.
    r = surface_fire_imperial("GS4", LOW, MPH5, 0.0, 30.0)
    assert ch_h(r) == pytest.approx(34.011429, rel=REL)
    assert r["fireline_intensity"] == pytest.approx(2292.684759, rel=REL)
    assert r["flame_length"] == pytest.approx(15.811421, rel=REL)
    assert r["mx_live"] * 100 == pytest.approx(137.968551, rel=REL)
    # testSurfaceSingleFuelModel: characteristic values (wind independent)
    assert r["sigma"] == pytest.approx(1631.128734, rel=REL)
    assert r["moisture_live"] * 100 == pytest.approx(85.874007, rel=REL)
    assert r["moisture_dead"] * 100 == pytest.approx(6.005463, rel=REL)


def test_f2_waf_canopy():
    # testSurfaceSingleFuelModel/testFirelineIntensity: canopy cover 50 %, height 30 ft, CR 0.5.
    waf, method = wind_adjustment_factor(2.1, 0.5, 30.0, 0.5)
    assert method == "sheltered"
    assert waf == pytest.approx(0.16986, abs=1e-5)
    r = surface_fire_imperial("GS4", LOW, MPH5 * waf, 0.0, 30.0)
    assert ch_h(r) == pytest.approx(8.876216, rel=REL)
    assert r["backing_ros"] / FT_MIN_PER_CH_H == pytest.approx(2.91614659, rel=REL)
    assert r["flanking_ros"] / FT_MIN_PER_CH_H == pytest.approx(5.08766627, rel=REL)
    assert r["fireline_intensity"] == pytest.approx(598.339039, rel=REL)
    si = surface_fire("GS4", LOW, MPH5 * waf / 196.8503937007874, 0.0, 30.0)
    assert si.fireline_intensity_kw_m == pytest.approx(2072.730450, rel=REL)
    assert si.ros_m_min == pytest.approx(2.976018, rel=REL)  # testSpeedUnitConversion
    # spread distances after 2 h (ch)
    assert ch_h(r) * 2 == pytest.approx(17.7524327, rel=REL)


GS4_WAF = wind_adjustment_factor(2.1, 0.5, 30.0, 0.5)[0]
TAN30 = math.tan(math.radians(30)) * 100  # 30 degrees in percent


@pytest.mark.parametrize(
    ("wind_dir_from_upslope", "slope_pct", "expected"),
    [
        (90.0, 30.0, 7.091665),  # upslope mode, cross-slope wind
        (0.0 - 0.0, 30.0, 8.876216),  # north mode, north wind, aspect 0
        (45.0 - 95.0, TAN30, 19.677584),  # north mode, 45 deg wind, 95 deg aspect, 30 deg slope
        (45.0 - 215.0, 30.0, 4.113265),  # north mode, aspect 215
        (45.0 - 5.0, 30.0, 8.503960),  # north mode, aspect 5
    ],
)
def test_direction_cases_gs4(wind_dir_from_upslope, slope_pct, expected):
    # Behave north-oriented mode: wind-from direction minus aspect = wind heading from upslope.
    r = surface_fire_imperial("GS4", LOW, MPH5 * GS4_WAF, wind_dir_from_upslope, slope_pct)
    assert ch_h(r) == pytest.approx(expected, rel=REL)


def test_fm4_canopy40_cross_wind():
    # "Test Fuel Model 4, north oriented mode, 20 foot 90 degree wind, 0 degree aspect,
    #  40 percent canopy cover", 30 degree slope.
    waf, _ = wind_adjustment_factor(6.0, 0.4, 30.0, 0.5)
    r = surface_fire_imperial("FM4", LOW, MPH5 * waf, 90.0, TAN30)
    assert ch_h(r) == pytest.approx(46.631688, rel=REL)


def test_length_to_width():
    r = surface_fire_imperial("GS4", LOW, MPH5, 0.0, 0.0)  # direct midflame 5 mph, flat
    assert r["lw_ratio"] == pytest.approx(1.590064, rel=REL)
    r = surface_fire_imperial("GS4", LOW, MPH5 * GS4_WAF, 45 - 95, TAN30)
    assert r["lw_ratio"] == pytest.approx(1.375624, rel=REL)
    r = surface_fire_imperial("GS4", LOW, 15 * FT_MIN_PER_MPH * GS4_WAF, 45 - 95, TAN30)
    assert r["lw_ratio"] == pytest.approx(1.519936, rel=REL)
    assert surface_fire_imperial("GS4", LOW, 0.0, 0.0, 0.0)["lw_ratio"] == 1.0


def test_direction_of_interest_from_ignition_point():
    # testDirectionOfInterest (FromIgnitionPoint): north mode, 20-ft north wind,
    # direction of interest 90 deg from north, aspect 45 -> 3.438243 ch/h.
    aspect = 45.0
    res = surface_fire(
        "GS4",
        LOW,
        MPH5 * GS4_WAF / 196.8503937007874,
        0.0 - aspect,
        30.0,
        direction_of_interest_deg=90.0 - aspect - 180.0,
    )
    assert res.ros_in_direction_m_min / 0.3048 / FT_MIN_PER_CH_H == pytest.approx(
        3.438243, rel=1e-5
    )


def test_nonburnable_zero():
    r = surface_fire("NB1", LOW, 5.0)
    assert r.ros_m_min == 0.0 and r.fireline_intensity_kw_m == 0.0 and r.lw_ratio == 1.0


def test_too_wet_zero():
    r = surface_fire("FM1", Moisture(20, 20, 20), 3.0)
    assert r.ros_m_min == 0.0


def test_vectorised_matches_scalar():
    fuels = np.array([1, 4, 124, 102, 165, 0, 98])
    winds = np.linspace(0.0, 6.0, fuels.size)
    arr = surface_fire_arrays(fuels, 6, 7, 8, 60, 90, winds, 30.0, 20.0)
    for i, f in enumerate(fuels):
        if f in (0, 98):
            assert arr.ros_m_min[i] == 0.0 and not arr.burnable[i]
            continue
        s = surface_fire(int(f), LOW, float(winds[i]), 30.0, 20.0)
        assert arr.ros_m_min[i] == pytest.approx(s.ros_m_min, rel=1e-12)
        assert arr.fireline_intensity_kw_m[i] == pytest.approx(s.fireline_intensity_kw_m, rel=1e-12)
        assert arr.direction_of_max_spread_deg[i] == pytest.approx(s.direction_of_max_spread_deg)


def test_vectorised_grid_shape():
    f = np.full((3, 4), 104)
    out = surface_fire_arrays(f, 5, 6, 7, np.full((3, 4), 50.0), 80, 2.0)
    assert out.ros_m_min.shape == (3, 4)
    assert np.allclose(out.ros_m_min, out.ros_m_min[0, 0])


def test_wind_limit_option():
    fast = surface_fire("FM1", Moisture(3, 4, 5), 30.0)
    lim = surface_fire("FM1", Moisture(3, 4, 5), 30.0, wind_limit=True)
    assert lim.wind_limit_exceeded and lim.ros_m_min < fast.ros_m_min


def test_calc_fire_ros_cli_contract():
    out = calc_fire_ros(
        fuel="FM4",
        m1h=6,
        m10h=7,
        m100h=8,
        m_live_herb=60,
        m_live_woody=90,
        midflame_wind_m_s=2.2352,
        slope_pct=0,
        json=True,
    )
    for key in ("ros_m_min", "fireline_intensity_kw_m", "flame_length_m"):
        assert key in out and out[key] > 0
    json.dumps(out)  # serialisable
    # 5 mph midflame, flat: cross-check with the imperial kernel
    r = surface_fire_imperial("FM4", LOW, MPH5, 0.0, 0.0)
    assert out["ros_m_min"] == pytest.approx(r["ros"] * 0.3048, rel=1e-6)


def test_uniform_moisture_fast_path_matches_scalar():
    # > 64 cells with uniform moisture takes the per-fuel-model fast path
    fuels = np.array([1, 4, 124, 102, 165, 0, 98, 189, 145, 10] * 10)
    slope = np.linspace(0.0, 60.0, fuels.size)
    arr = surface_fire_arrays(fuels, 6, 7, 8, 60, 90, 2.5, 45.0, slope)
    for i in (0, 11, 22, 33, 44, 77, 88, 99):
        s = surface_fire(int(fuels[i]), LOW, 2.5, 45.0, float(slope[i]))
        assert arr.ros_m_min[i] == pytest.approx(s.ros_m_min, rel=1e-12, abs=1e-15)
        assert arr.flame_length_m[i] == pytest.approx(s.flame_length_m, rel=1e-12, abs=1e-15)
