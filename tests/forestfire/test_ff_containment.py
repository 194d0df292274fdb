"""Fried & Fried containment - models.md case F6.

Expected values: firelab/behave src/testBehave/testBehave.cpp testContainModule
(head attack, LW 3, 1 ac reported at 5 ch/h, one 20 ch/h resource arriving at 2 h for 8 h).
"""

import pytest

from scenarios.forestfire.containment import (
    ContainResource,
    ContainStatus,
    contain_fried_fried,
    simple_containment_time,
    simple_containment_time_linear,
)
from scenarios.forestfire.ellipse import FireEllipse


@pytest.fixture(scope="module")
def f6():
    return contain_fried_fried(1.0, 5.0, 3.0, [ContainResource(120.0, 480.0, 20.0, "test")], "head")


def test_f6_status_and_line(f6):
    assert f6.status == ContainStatus.CONTAINED and f6.contained
    assert f6.final_fire_line_ch == pytest.approx(39.539849615, rel=1e-6)
    assert f6.perimeter_at_containment_ch == pytest.approx(39.539849615, rel=1e-6)


def test_f6_times_and_sizes(f6):
    assert f6.final_time_since_report_min == pytest.approx(238.75, rel=1e-6)
    assert f6.final_fire_size_ac == pytest.approx(9.42749714, rel=1e-6)
    assert f6.final_containment_area_ac == pytest.approx(9.42749714, rel=1e-6)
    assert f6.fire_size_at_initial_attack_ac == pytest.approx(8.954501709, rel=1e-6)
    assert f6.perimeter_at_initial_attack_ch == pytest.approx(37.51917991, rel=1e-6)


def test_weak_resource_escapes():
    r = contain_fried_fried(1.0, 5.0, 3.0, [ContainResource(120.0, 480.0, 2.0)], "head")
    assert not r.contained
    assert r.status in (
        ContainStatus.EXHAUSTED,
        ContainStatus.TIME_LIMIT_EXCEEDED,
        ContainStatus.SIZE_LIMIT_EXCEEDED,
    )


def test_rear_attack_contains():
    r = contain_fried_fried(1.0, 5.0, 3.0, [ContainResource(60.0, 480.0, 30.0)], "rear")
    assert r.contained and r.final_fire_line_ch > 0


def test_simple_linear_models_md():
    # t_c = L t_a / (L - k); none if L <= k
    assert simple_containment_time_linear(20.0, 2.0, 10.0) == pytest.approx(4.0)
    assert simple_containment_time_linear(10.0, 2.0, 10.0) is None


def test_simple_numeric_matches_closed_form():
    e = FireEllipse(5.0 / 60.0, 3.0)  # ch/min
    k = e.perimeter(1.0)  # ellipse perimeter grows linearly in time
    line = 20.0 / 60.0
    t = simple_containment_time(line, 120.0, e.perimeter, t_max=10_000.0)
    assert t == pytest.approx(simple_containment_time_linear(line, 120.0, k), rel=1e-6)
    assert simple_containment_time(0.01, 120.0, e.perimeter, t_max=1000.0) is None
