"""Pasquill-Gifford classes vs the Pasquill (1961) / NOAA READY table (models.md section 2)."""

import pytest

from scenarios.chemical.stability import (
    insolation_from_solar_elevation,
    pasquill_class,
    pasquill_table_entry,
)


@pytest.mark.parametrize(
    ("wind", "ins", "entry"),
    [
        (1.0, "strong", "A"),
        (1.0, "moderate", "A-B"),
        (2.5, "strong", "A-B"),
        (4.0, "moderate", "B-C"),
        (5.5, "moderate", "C-D"),
        (7.0, "strong", "C"),
        (7.0, "slight", "D"),
        (2.5, "slight", "C"),
    ],
)
def test_day_entries(wind, ins, entry):
    assert pasquill_table_entry(wind, daytime=True, insolation=ins) == entry


@pytest.mark.parametrize(
    ("wind", "cloud", "cls"),
    [
        (1.0, 0.2, "F"),
        (2.5, 0.2, "F"),
        (4.0, 0.2, "E"),
        (4.0, 0.75, "D"),
        (1.0, 0.75, "E"),
        (7.0, 0.0, "D"),
    ],
)
def test_night_entries(wind, cloud, cls):
    assert pasquill_class(wind, daytime=False, cloud_fraction=cloud) == cls


def test_overcast_is_d_and_intermediate_resolves_stable():
    assert pasquill_class(1.0, daytime=True, insolation="strong", cloud_fraction=1.0) == "D"
    assert pasquill_class(4.0, daytime=True, insolation="moderate") == "C"


def test_insolation_thresholds():
    # Turner (1964) elevation classes: >60 strong, 35-60 moderate, 15-35 slight.
    assert insolation_from_solar_elevation(70) == "strong"
    assert insolation_from_solar_elevation(45) == "moderate"
    assert insolation_from_solar_elevation(20) == "slight"
    assert insolation_from_solar_elevation(10) is None
    assert insolation_from_solar_elevation(70, cloud_fraction=0.9) == "moderate"


def test_bad_inputs():
    with pytest.raises(ValueError, match="insolation"):
        pasquill_class(3.0, daytime=True)
    with pytest.raises(ValueError, match="wind_m_s"):
        pasquill_class(-1.0, daytime=False)
