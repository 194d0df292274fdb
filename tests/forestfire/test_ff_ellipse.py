"""Fire ellipse (Anderson 1983 / Behave fireSize.cpp) - models.md case F3.

Expected values: firelab/behave src/testBehave/testBehave.cpp testEllipticalDimensions
and testLengthToWidthRatio (GS4, flat, 5 mph direct midflame wind).
"""

import math

import pytest

from scenarios.forestfire.ellipse import (
    FireEllipse,
    eccentricity,
    heading_to_backing_ratio,
    length_to_width_ratio,
    ros_at_angle,
    ros_normal_to_perimeter,
)
from scenarios.forestfire.rothermel import FT_MIN_PER_MPH, Moisture, surface_fire_imperial


@pytest.fixture(scope="module")
def gs4_ellipse():
    r = surface_fire_imperial("GS4", Moisture(6, 7, 8, 60, 90), 5 * FT_MIN_PER_MPH, 0, 0)
    return FireEllipse.from_effective_wind(
        r["ros"] / 66.0, r["effective_wind"] / 88.0
    )  # chains/min


def test_f3_lw_hbr(gs4_ellipse):
    assert gs4_ellipse.lw == pytest.approx(1.590064, rel=1e-6)
    assert gs4_ellipse.heading_to_backing_ratio == pytest.approx(7.988029, rel=1e-6)


def test_f3_area_perimeter(gs4_ellipse):
    assert gs4_ellipse.area(60.0) / 10.0 == pytest.approx(55.283555, rel=1e-6)  # acres
    assert gs4_ellipse.perimeter(60.0) == pytest.approx(86.71476, rel=1e-6)  # chains


def test_f3_axes(gs4_ellipse):
    t = 3.5869124
    assert gs4_ellipse.a(t) == pytest.approx(0.628905, abs=1e-6)
    assert gs4_ellipse.b(t) == pytest.approx(1.0, abs=1e-6)
    assert gs4_ellipse.c(t) == pytest.approx(0.777482, abs=1e-6)


def test_lw_formula_models_md():
    assert length_to_width_ratio(0.0) == 1.0
    u = 10.0
    assert length_to_width_ratio(u) == pytest.approx(
        0.936 * math.exp(0.1147 * u) + 0.461 * math.exp(-0.0692 * u) - 0.397
    )
    assert length_to_width_ratio(100.0) == 8.0


def test_rates_consistent():
    e = FireEllipse(10.0, 3.0)
    assert eccentricity(3.0) == pytest.approx(math.sqrt(8) / 3)
    assert e.backing_ros == pytest.approx(ros_at_angle(10.0, e.eccentricity, 180.0))
    assert e.flanking_ros == pytest.approx((e.head_ros + e.backing_ros) / 6.0)
    assert heading_to_backing_ratio(3.0) == pytest.approx(e.head_ros / e.backing_ros)
    # polar focus form traces the same ellipse: points r(psi)*t lie on the boundary
    for psi in (0, 30, 77, 120, 180):
        r = ros_at_angle(10.0, e.eccentricity, psi) * 5.0
        x, y = r * math.cos(math.radians(psi)), r * math.sin(math.radians(psi))
        xc = x - e.c(5.0)
        assert (xc / e.b(5.0)) ** 2 + (y / e.a(5.0)) ** 2 == pytest.approx(1.0)
    assert ros_normal_to_perimeter(10.0, 3.0, 0.0) == pytest.approx(10.0)
    assert ros_normal_to_perimeter(10.0, 3.0, 180.0) == pytest.approx(e.backing_ros)
