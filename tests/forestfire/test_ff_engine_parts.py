"""Forest-fire plug-in parts: fuel mapping, line rates, walking, weather, viewshed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenarios.forestfire.fuel_map import (
    CHAIN_M,
    LANDCOVER_FUEL,
    fuel_numbers_from_landcover,
    line_rate_m_min,
)
from scenarios.forestfire.terrain import tobler_kmh
from scenarios.forestfire.weather import FireWeather, local_hour


def test_ff_every_world_landcover_class_has_a_fuel():
    from sim.world.world import LANDCOVER_CLASSES

    nums = fuel_numbers_from_landcover(np.array(sorted(LANDCOVER_CLASSES)))
    assert set(LANDCOVER_FUEL) == set(LANDCOVER_CLASSES)
    assert (nums[:3] >= 91).all() and (nums[:3] <= 99).all()  # water, urban, farmland: NB
    assert (nums[3:] > 100).all()  # wildland: Scott & Burgan


def test_ff_fuel_map_errors_name_the_field():
    with pytest.raises(ValueError, match=r"hazard.fuel_map\[3\]"):
        fuel_numbers_from_landcover(np.array([3]), {3: "XX9"})
    with pytest.raises(ValueError, match="no fuel model"):
        fuel_numbers_from_landcover(np.array([42]))


def test_ff_line_rate_is_the_nwcg_table():
    # models.md §1 Suppression: FM1 grass 30 ch/h (Type I), 18 (Type II); FM10 6/4.
    assert line_rate_m_min("FM1", 20, 1) == pytest.approx(30 * CHAIN_M / 60)
    assert line_rate_m_min("FM1", 20, 2) == pytest.approx(18 * CHAIN_M / 60)
    assert line_rate_m_min("TU2", 10, 2) == pytest.approx(4 * CHAIN_M / 60 / 2)
    assert line_rate_m_min("NB1", 20, 1) == 0.0


def test_ff_tobler_hiking_function():
    # Tobler (1993): 6 km/h at -5 % (the fastest), 6 e^{-0.175} on the flat, x 3/5 off path.
    assert tobler_kmh(-0.05, off_path=False) == pytest.approx(6.0)
    assert tobler_kmh(0.0, off_path=False) == pytest.approx(6 * math.exp(-0.175))
    assert tobler_kmh(0.0) == pytest.approx(0.6 * 6 * math.exp(-0.175))
    assert tobler_kmh(0.3) < tobler_kmh(0.0)


def test_ff_diurnal_moisture_driest_in_the_afternoon():
    w = FireWeather(5, 45, 20, 11, 25, 20, 60, 90, 20)
    m_dawn, m_aft = w.moisture_at(5.0), w.moisture_at(15.0)
    assert m_aft.m1h < m_dawn.m1h
    wetter = w.with_changes(rh_min_pct=60)
    assert wetter.moisture_at(15.0).m1h > m_aft.m1h


def test_ff_local_hour_uses_scenario_start():
    from datetime import datetime, timedelta, timezone

    start = datetime(2025, 1, 16, 11, 15, tzinfo=timezone(timedelta(hours=8)))
    assert local_hour(start, 615) == pytest.approx(21.5)  # 11:15 + 10 h 15 min = 21:30


def test_ff_viewshed_blocked_by_a_ridge(synthetic_world):
    from scenarios.forestfire.viewshed import Observer, visible

    w = synthetic_world
    x0, y0 = float(w.grid.x_m[20, 5]), float(w.grid.y_m[20, 5])
    tx, ty = float(w.grid.x_m[20, 15]), float(w.grid.y_m[20, 15])
    obs = Observer("o", "lookout", x0, y0, 20.0, 20000.0)
    assert visible(w, obs, [tx], [ty], 10.0)[0]
    ridge = w.elevation_m.copy()
    ridge[:, 10] = 500.0
    import dataclasses

    w2 = dataclasses.replace(w, elevation_m=ridge)
    assert not visible(w2, obs, [tx], [ty], 10.0)[0]
    short = Observer("o", "camera", x0, y0, 20.0, 1000.0)
    assert not visible(w, short, [tx], [ty], 10.0)[0]
