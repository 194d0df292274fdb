"""Facility look-ups built once per facilities table give what filtering the table gave."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from sim.errors import JmsimError
from sim.model import DrillModel, facility_index


def _model(fac: pd.DataFrame) -> SimpleNamespace:
    return SimpleNamespace(world=SimpleNamespace(facilities=fac))


def _fac(x0: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "facility_id": ["A", "B", "A"],
            "x_m": [x0, 2.0, 9.0],
            "y_m": [10.0, 20.0, 90.0],
            "adcode": [440703, 440781, 1],
        }  # fmt: skip
    )


def test_place_and_district_match_the_first_row_of_the_table():
    fac = _fac(1.0)
    m = _model(fac)
    assert DrillModel.place(m, "A") == (1.0, 10.0)  # first of the duplicate ids, as before
    assert DrillModel.place(m, "B") == (2.0, 20.0)
    assert DrillModel._facility_district(m, "B") == 440781
    assert DrillModel._facility_district(m, "nope") == 0
    with pytest.raises(JmsimError, match="facility 'nope' not found in the world"):
        DrillModel.place(m, "nope")


def test_each_table_has_its_own_index_and_a_table_grown_in_place_is_reindexed():
    a, b = _fac(1.0), _fac(5.0)
    assert DrillModel.place(_model(a), "A") == (1.0, 10.0)
    assert DrillModel.place(_model(b), "A") == (5.0, 10.0)
    a.loc[len(a)] = ["C", 3.0, 30.0, 2]
    assert facility_index(a)["C"] == (3.0, 30.0, 2)
