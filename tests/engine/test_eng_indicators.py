"""Indicators are pure functions of the event log and the plan inventory."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.events import EventLog
from sim.indicators.catalog import CATALOG
from sim.indicators.measures import MEASURES
from sim.indicators.scorecard import NO_EVENTS, build_scorecard, score_samples
from sim.indicators.static import compute_static


def _events(*rows) -> pd.DataFrame:
    log = EventLog()
    for t, kind, kw in rows:
        log.emit(t, kind, **kw)
    df = log.to_frame()
    df.insert(0, "run_id", "r1")
    return df


def test_sea_arrival_only_counts_incidents_within_12_nmi():
    ev = _events(
        (0, "incident_reported", {"incident_id": "A", "domain": "sea", "offshore_nm": 5.0}),
        (0, "incident_reported", {"incident_id": "B", "domain": "sea", "offshore_nm": 20.0}),
        (10, "incident_reported", {"incident_id": "C", "domain": "river"}),
        (90, "unit_arrived", {"incident_id": "A"}),
        (95, "unit_arrived", {"incident_id": "A"}),
        (100, "unit_arrived", {"incident_id": "B"}),
        (100, "unit_arrived", {"incident_id": "C"}),
    )
    s = MEASURES["sea_arrival_time"](ev)
    assert s.trace == ["r1:A"]
    assert s.values.tolist() == [1.5]  # first arrival only: 90 min
    r = MEASURES["inland_river_arrival_time"](ev)
    assert r.values.tolist() == [1.5]


def test_unreached_incident_is_censored_not_dropped():
    ev = _events(
        (0, "incident_reported", {"incident_id": "A", "domain": "sea", "offshore_nm": 1.0})
    )
    s = MEASURES["sea_arrival_time"](ev)
    assert s.censored == 1 and math.isinf(s.values[0])
    row = score_samples(CATALOG["sea_arrival_time"], s, 2025)
    assert row["verdict"] == "fail"


def test_no_events_is_said_not_scored_as_zero():
    ev = _events((0, "run_started", {"population": 1000}))
    row = score_samples(CATALOG["sea_arrival_time"], MEASURES["sea_arrival_time"](ev), 2025)
    assert row["verdict"] == NO_EVENTS and row["n"] == 0 and math.isnan(row["estimate"])


def test_warning_coverage_counts_warned_before_reached():
    ev = _events(
        (5, "hazard_reached", {"subject_id": "G1", "warned_before": True, "people": 10}),
        (6, "hazard_reached", {"subject_id": "G2", "warned_before": False, "people": 10}),
        (7, "hazard_reached", {"subject_id": "G3", "warned_before": True, "people": 10}),
    )
    s = MEASURES["warning_public_coverage"](ev)
    row = score_samples(CATALOG["warning_public_coverage"], s, 2023)
    assert row["estimate"] == pytest.approx(2 / 3)
    assert row["verdict"] == "cannot tell"
    assert "r1:G2" in row["trace"]


def test_year_selects_target():
    d = CATALOG["sea_arrival_time"]
    assert (d.target(2023), d.target(2025)) == (3.0, 2.0)


def test_static_indicators_from_inventory(drill, synthetic_world):
    """Scenario inventory figures override the city's; denominators stay the whole city's."""
    st = compute_static(drill, synthetic_world)
    city = 4_798_090  # 2020 census (reference/jiangmen/admin_units.csv)
    assert st["fulltime_firefighters_share"].value == pytest.approx(400 / city * 1000)  # ‰
    assert st["rain_gauges_per_100km2"].value == pytest.approx(20 / 9535 * 100)
    assert "overridden by the scenario" in st["rain_gauges_per_100km2"].detail


def test_forest_team_compliance_uses_plan_equipment_standard(drill, synthetic_world):
    from sim.scenario.schema import ForestTeamStock

    town = {"long_range_pump": 2, "hose_m": 2000, "wind_extinguisher": 1, "backpack_water_tank": 1}
    inv = drill.plan.inventory.model_copy(
        update={
            "forest_fire_teams": [
                # plan Ch.4 §3: town teams need ≥2 pumps and ≥2000 m hose
                # plus 风力灭火器 and 背负式水箱
                ForestTeamStock(type="town_forest_team", count=3, equipment=town),
                ForestTeamStock(
                    type="town_forest_team", count=1, equipment={**town, "long_range_pump": 1}
                ),
                # village teams need ≥1 high-pressure pump, a tricycle and ≥1000 m hose
                ForestTeamStock(
                    type="village_forest_team",
                    count=1,
                    equipment={"high_pressure_pump": 1, "tricycle": 1, "hose_m": 800},
                ),
                # pumps and hose alone are not the full standard
                ForestTeamStock(
                    type="town_forest_team",
                    count=2,
                    equipment={"long_range_pump": 2, "hose_m": 2000},
                ),
            ]
        }
    )
    sc = drill.model_copy(update={"plan": drill.plan.model_copy(update={"inventory": inv})})
    assert compute_static(sc, synthetic_world)[
        "forest_fire_team_compliance"
    ].value == pytest.approx(3 / 7)


def test_scorecard_rows_for_hazard(drill, synthetic_world):
    from sim.run import run

    card = build_scorecard(drill, run(drill, 1, world=synthetic_world).events(), synthetic_world)
    by = card.set_index("id")
    assert by.loc["sea_arrival_time", "status"] == "measured"
    ff = by.loc["forest_fire_24h_extinguish_rate"]
    assert ff["status"] == "not_modelled" and ff["verdict"] == "n/a" and ff["reason"]
    firef = by.loc["fulltime_firefighters_share"]
    assert firef["status"] == "inventory"
    assert firef["verdict"] == "fail"  # 400 of 4.8 M residents = 0.083 ‰ < 0.45 ‰


def test_flood_warning_rate_counts_gauge_floods_warned_strictly_before():
    ev = _events(
        (100, "flood_warning_issued", {"subject_id": "G-a"}),
        (160, "river_above_warning", {"subject_id": "G-a"}),  # warned 1 h before: counts
        (200, "flood_warning_issued", {"subject_id": "G-b"}),
        (200, "river_above_warning", {"subject_id": "G-b"}),  # issued as it happened: not before
        (300, "river_above_warning", {"subject_id": "G-c"}),  # never warned
        (400, "flood_warning_issued", {"subject_id": "G-d"}),  # warned, no flood: no item
    )
    s = MEASURES["flood_warning_issue_rate"](ev)
    assert s.trace == ["r1:G-a", "r1:G-b", "r1:G-c"]
    assert s.values.tolist() == [1.0, 0.0, 0.0]
    assert s.extra["lead_min"][0] == 60.0
    row = score_samples(CATALOG["flood_warning_issue_rate"], s, 2025)
    assert row["status"] == "measured" and row["verdict"] == "fail"  # 2025 target 100 %
    assert row["estimate"] == pytest.approx(1 / 3)


def test_flood_warning_rate_warnings_of_another_run_do_not_count():
    ev = _events(
        (10, "flood_warning_issued", {"subject_id": "G-a"}),
        (50, "river_above_warning", {"subject_id": "G-a"}),
    )
    ev.loc[ev.kind == "flood_warning_issued", "run_id"] = "r0"
    s = MEASURES["flood_warning_issue_rate"](ev)
    assert s.values.tolist() == [0.0]


def _same(a, b) -> bool:
    import numpy as np

    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return type(a) is type(b) and a == b


def test_shared_reads_give_the_same_samples(drill, synthetic_world):
    """Measures sharing their reads (a batch worker) give exactly what each gives alone,
    on one run's events and on two runs' events together."""
    from sim.indicators.measures import shared_reads
    from sim.run import run

    one = run(drill, 1, world=synthetic_world).events()
    two = pd.concat([one, run(drill, 2, world=synthetic_world).events()], ignore_index=True)
    for ev in (one, two):
        alone = {k: m(ev) for k, m in MEASURES.items()}
        with shared_reads(ev):
            shared = {k: m(ev) for k, m in MEASURES.items()}
        assert sum(s.n for s in alone.values()) > 0
        for k, s in alone.items():
            t = shared[k]
            assert _same(s.values, t.values) and s.trace == t.trace, k
            assert s.censored == t.censored and _same(s.extra, t.extra), k
