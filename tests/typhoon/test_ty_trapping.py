"""Trapped and buried people: counted by the flooded share of each group's area (trapping.py)."""

from __future__ import annotations

import numpy as np

from scenarios.typhoon.hydro.flood_warning import trend_forecast
from scenarios.typhoon.hydro.params import Rescue
from scenarios.typhoon.hydro.trapping import Trapping, footprint_index, share_of


def _grid_groups(k=1):
    land = np.ones((6, 6), bool)
    land[:, 5] = False  # sea column
    r = np.array([2, 2, 5])
    c = np.array([2, 4, 0])
    flat, valid = footprint_index(r, c, land, k)
    return land, flat, valid


def test_footprint_is_the_land_block_around_home():
    _, flat, valid = _grid_groups()
    assert valid[0].sum() == 9  # interior
    assert valid[1].sum() == 6  # next to the sea column: 3 sea cells left out
    assert valid[2].sum() == 4  # corner: off-grid cells left out
    _, flat0, valid0 = _grid_groups(k=0)
    assert flat0[:, 0].tolist() == [14, 16, 30] and valid0.all()


def test_trapped_share_is_the_deep_share_of_the_footprint_not_the_whole_group():
    land, flat, valid = _grid_groups()
    deep = np.zeros(land.shape, bool)
    deep[1:4, 1] = True  # 3 of group 0's 9 cells, none of group 1's
    assert share_of(deep, flat, valid).tolist()[:2] == [1 / 3, 0.0]
    tr = Trapping(np.array([1500, 1500, 1500]), flat, valid, Rescue())
    home = np.ones(3, bool)
    got = tr.flooded(deep, home)
    assert got == [(0, 500, 1 / 3)]  # 1,500 x 3/9, not all 1,500
    assert tr.flooded(deep, home) == []  # nothing new while the water stands
    deep[1:4, 2] = True  # water spreads to 6 of 9 cells: 500 more
    assert tr.flooded(deep, home) == [(0, 500, 2 / 3)]
    deep[:] = False  # receding water frees no one (they still need the boat)
    assert tr.flooded(deep, home) == [] and tr.trapped[0] == 1000


def test_evacuated_or_away_groups_are_not_trapped():
    land, flat, valid = _grid_groups()
    deep = np.ones(land.shape, bool)
    tr = Trapping(np.array([1500, 1500, 1500]), flat, valid, Rescue())
    got = tr.flooded(deep, np.array([False, True, False]))
    assert [g for g, _, _ in got] == [1]


def test_few_people_make_no_incident_and_burials_scale_with_slid_share():
    land, flat, valid = _grid_groups()
    tr = Trapping(np.array([1500, 1500, 1500]), flat, valid, Rescue(min_people=10))
    deep = np.zeros(land.shape, bool)
    deep[2, 2] = True
    tr_small = Trapping(np.array([45, 1500, 1500]), flat, valid, Rescue(min_people=10))
    assert tr_small.flooded(deep, np.ones(3, bool)) == []  # 45 / 9 = 5 people < 10
    slid = np.zeros(land.shape, bool)
    slid[2, 2] = True
    assert tr.slid(slid, np.ones(3, bool), 0.05) == [(0, 8, 1 / 9)]  # 1500 x 0.05 / 9


def test_trend_forecast_extrapolates_the_recent_rise():
    h = [(0.0, 1.0), (60.0, 1.5), (120.0, 2.0)]
    assert trend_forecast(h, 2.0, 6.0) == 2.0 + 0.5 * 6  # 0.5 m/h for 6 h
    assert trend_forecast(h, 1.0, 6.0) == 5.0  # only the last hour in the window
    assert trend_forecast(h[:1], 2.0, 6.0) == 1.0  # one sample: persistence


def test_rescue_curves_are_the_survival_curves():
    from typing import get_args

    from scenarios.typhoon.hydro.params import Curve
    from sim.response.survival import CURVES

    assert set(get_args(Curve)) == set(CURVES)
