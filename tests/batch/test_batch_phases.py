"""Response phases in reports: means per domain from the logged phase fields."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from sim.batch.phases import fig_phases, phase_means


def _ev(rows):
    return pd.DataFrame(
        [
            {
                "run_id": r,
                "seq": s,
                "kind": k,
                "incident_id": i,
                "payload": json.dumps(p),
            }
            for r, s, k, i, p in rows
        ]
    )


PH = {"call_handling_min": 2.0, "queue_wait_min": 0.0, "turnout_min": 3.0, "travel_min": 25.0}


def test_phase_means_use_the_first_unit_per_incident_and_split_by_domain():
    ev = _ev(
        [
            ("r1", 1, "incident_reported", "I1", {"domain": "sea"}),
            ("r1", 2, "unit_arrived", "I1", {**PH, "weather_hold_min": 90.0}),
            ("r1", 3, "unit_arrived", "I1", {**PH, "weather_hold_min": 0.0}),  # second unit
            ("r1", 4, "incident_reported", "I2", {"domain": "river"}),
            ("r1", 5, "unit_arrived", "I2", {**PH, "weather_hold_min": 0.0}),
        ]
    )
    t = phase_means(ev).set_index("domain")
    assert t.loc["sea", "weather_hold"] == pytest.approx(1.5)  # 90 min, first unit only
    assert t.loc["river", "weather_hold"] == 0.0
    assert t.loc["sea", "travel"] == pytest.approx(25 / 60)
    assert fig_phases({"A": ev, "B": ev}) is not None


def test_logs_without_phases_give_no_figure():
    ev = _ev(
        [
            ("r1", 1, "incident_reported", "I1", {"domain": "sea"}),
            ("r1", 2, "unit_arrived", "I1", {"travel_min": 3.0}),
        ]
    )
    assert phase_means(ev).empty
    assert fig_phases({"A": ev}) is None
