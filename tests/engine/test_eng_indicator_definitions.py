"""Each clock, denominator and verdict rule of INDICATORS.md pinned on hand-built event logs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.events import EventLog
from sim.indicators.catalog import CATALOG
from sim.indicators.format import fmt_value
from sim.indicators.measures import CITY_POPULATION, MEASURES, Samples
from sim.indicators.scorecard import overall_verdict, score_samples


def _events(*rows, run: str = "r1") -> pd.DataFrame:
    log = EventLog()
    for t, kind, kw in sorted(rows, key=lambda r: r[0]):  # the log only goes forward
        log.emit(t, kind, **kw)
    df = log.to_frame()
    df.insert(0, "run_id", run)
    return df


def _score(id_: str, ev: pd.DataFrame, year: int = 2025, **kw) -> dict:
    return score_samples(CATALOG[id_], MEASURES[id_](ev), year, **kw)


# -- relief clocks (专栏1, 专栏2-15) ------------------------------------------------------------
def test_batch_delivered_before_onset_is_zero_hours_and_said_so():
    ev = _events(
        (0, "relief_released", {"reason": "pre-positioning"}),
        (100, "supplies_delivered", {"level": "city", "shelter": "S1", "kits": 5}),
        (840, "supplies_delivered", {"level": "county", "shelter": "S2", "kits": 5}),
        (900, "disaster_onset", {"area": "S1", "onset_min": 600.0}),
        (900, "disaster_onset", {"area": "S2", "onset_min": 600.0}),
    )
    city = MEASURES["relief_supply_first_batch_city"](ev)
    assert city.values.tolist() == [0.0] and city.extra["pre_positioned"] == 1
    county = MEASURES["relief_supply_first_batch_county"](ev)
    assert county.values.tolist() == [pytest.approx(4.0)]  # 600 → 840 min
    row = score_samples(CATALOG["relief_supply_first_batch_city"], city, 2025)
    assert row["verdict"] == "pass" and "pre-positioned before onset (0 h)" in row["detail"]
    assert MEASURES["relief_supply_first_batch_town"](ev).n == 0  # no town batch: no row value


def test_each_level_is_scored_on_its_own_first_batch_not_a_fallback():
    ev = _events(
        (0, "disaster_onset", {"area": "S1", "onset_min": 0.0}),
        (60, "supplies_delivered", {"level": "county", "shelter": "S1", "kits": 5}),
        (400, "supplies_delivered", {"level": "city", "shelter": "S1", "kits": 5}),
        (500, "supplies_delivered", {"level": "city", "shelter": "S1", "kits": 5}),
    )
    assert MEASURES["relief_supply_first_batch_city"](ev).values.tolist() == [
        pytest.approx(400 / 60)
    ]
    assert MEASURES["relief_supply_first_batch_county"](ev).values.tolist() == [1.0]


def test_household_displaced_at_t_is_counted_from_t():
    ev = _events(
        (300, "households_displaced", {"subject_id": "D1", "people": 3000, "kit_people": 1500}),
        (540, "displaced_relieved", {"subject_id": "D1", "kits": 1}),
    )
    s = MEASURES["initial_relief_time"](ev)
    # 2 household units: one relieved 4 h after displacement, one never (over target)
    assert sorted(s.values.tolist()) == [4.0, math.inf]
    assert s.extra["displaced_units"] == 2 and s.censored == 1


def test_evacuee_clock_starts_at_evacuation_not_shelter_arrival():
    ev = _events(
        (0, "household_evacuating", {"subject_id": "G1", "people": 10}),
        (120, "household_sheltered", {"subject_id": "G1", "people": 10}),
        (300, "household_relieved", {"subject_id": "G1", "people": 10}),
    )
    assert MEASURES["initial_relief_time"](ev).values.tolist() == [5.0]


# -- censoring (专栏2-23) ---------------------------------------------------------------------
def test_fire_lit_near_run_end_is_censored_neither_pass_nor_fail():
    ev = _events(
        (0, "fire_ignited", {"subject_id": "F1"}),
        (100, "fire_extinguished", {"subject_id": "F1"}),
        (10, "fire_ignited", {"subject_id": "F2"}),  # burns > 24 h: a failure
        (1500, "fire_ignited", {"subject_id": "F3"}),  # lit 23 h before the end, still burning
        (2880, "run_finished", {}),
    )
    s = MEASURES["forest_fire_24h_extinguish_rate"](ev)
    assert s.values.tolist() == [1.0, 0.0] and s.censored == 1
    assert "r1:F3" not in s.trace
    row = score_samples(CATALOG["forest_fire_24h_extinguish_rate"], s, 2025)
    assert "1 censored" in row["detail"]
    only_late = _events((1500, "fire_ignited", {"subject_id": "F3"}), (2880, "run_finished", {}))
    row = _score("forest_fire_24h_extinguish_rate", only_late)
    assert row["n"] == 0 and row["verdict"] == "no qualifying events"


# -- 100 % targets: rule of three ----------------------------------------------------------------
def _props(ok: int, bad: int) -> Samples:
    v = np.array([1.0] * ok + [0.0] * bad)
    return Samples(v, [f"r1:I{k}" for k in range(v.size)])


def test_rule_of_three_lets_n_of_n_pass_and_any_failure_fail():
    d = CATALOG["scene_comms_assurance"]
    row = score_samples(d, _props(2302, 0), 2025)
    assert row["verdict"] == "pass"  # was "cannot tell" under a two-sided Wilson interval
    assert row["ci_low"] == pytest.approx(1 - 3 / 2302)
    assert score_samples(d, _props(2301, 1), 2025)["verdict"] == "fail"
    assert score_samples(d, _props(3, 0), 2025)["verdict"] == "cannot tell"  # too few


# -- people-weighted coverage with an honest interval (专栏2-17) ------------------------------------
def test_warning_coverage_counts_people_and_widens_for_groups():
    rows = [(5, "hazard_reached", {"subject_id": f"G{k}", "warned_before": True, "people": 10})
            for k in range(40)]  # fmt: skip
    rows.append((5, "hazard_reached", {"subject_id": "G99", "warned_before": False, "people": 400}))
    row = _score("warning_public_coverage", _events(*rows))
    assert row["estimate"] == pytest.approx(400 / 800)  # people, not 40/41 groups
    assert "400 of 800 people" in row["detail"]
    # Kish effective n = 800² / (40·10² + 400²) ≈ 3.9 groups, so the interval is wide
    assert row["ci_high"] - row["ci_low"] > 0.5


def test_proportions_show_counts_and_enough_digits():
    row = score_samples(CATALOG["forest_fire_24h_extinguish_rate"], _props(40662, 10), 2025)
    assert "40,662 of 40,672" in row["detail"]
    assert fmt_value(row["estimate"], "share") == "99.98 %"
    assert fmt_value(1.0, "share") == "100.0 %"


# -- warning lead time (专栏1) and comms for as long as the scene is open (专栏2-18) -----------------
def test_warning_lead_time_needs_20_minutes_for_every_warned_group():
    ev = _events(
        (0, "warning_received", {"subject_id": "G1"}),
        (30, "hazard_reached", {"subject_id": "G1", "warned_before": True, "people": 5}),
        (20, "warning_received", {"subject_id": "G2"}),
        (30, "hazard_reached", {"subject_id": "G2", "warned_before": True, "people": 5}),
        (30, "hazard_reached", {"subject_id": "G3", "warned_before": False, "people": 5}),
    )
    s = MEASURES["warning_lead_time"](ev)
    assert s.values.tolist() == [1.0, 0.0]  # 30 min ok, 10 min short; G3 unwarned: not counted
    assert score_samples(CATALOG["warning_lead_time"], s, 2025)["verdict"] == "fail"


def test_comms_lost_while_scene_open_fails_unless_restored_before_close():
    ev = _events(
        (0, "unit_arrived", {"incident_id": "A"}),
        (10, "comms_lost", {"incident_id": "A"}),
        (50, "comms_restored", {"incident_id": "A"}),
        (100, "incident_resolved", {"incident_id": "A"}),
        (0, "unit_arrived", {"incident_id": "B"}),
        (80, "comms_lost", {"incident_id": "B"}),  # lost late, never restored
        (100, "incident_resolved", {"incident_id": "B"}),
        (0, "unit_arrived", {"incident_id": "C"}),
        (10, "comms_lost", {"incident_id": "C"}),
        (100, "incident_resolved", {"incident_id": "C"}),
        (150, "comms_restored", {"incident_id": "C"}),  # after the scene closed
    )
    s = MEASURES["scene_comms_assurance"](ev)
    assert dict(zip(s.trace, s.values.tolist(), strict=True)) == {
        "r1:A": 1.0,
        "r1:B": 0.0,
        "r1:C": 0.0,
    }


def test_comms_restored_later_than_the_tolerance_fails_the_scene():
    ev = _events(
        (0, "unit_arrived", {"incident_id": "A"}),
        (10, "comms_lost", {"incident_id": "A", "tolerance_min": 30.0}),
        (60, "comms_restored", {"incident_id": "A"}),  # 50 min > 30 min tolerance
        (100, "incident_resolved", {"incident_id": "A"}),
        (0, "unit_arrived", {"incident_id": "B"}),
        (10, "comms_lost", {"incident_id": "B", "tolerance_min": 30.0}),
        (30, "comms_restored", {"incident_id": "B"}),
        (100, "incident_resolved", {"incident_id": "B"}),
    )
    s = MEASURES["scene_comms_assurance"](ev)
    assert dict(zip(s.trace, s.values.tolist(), strict=True)) == {"r1:A": 0.0, "r1:B": 1.0}


# -- denominators and annual rows (专栏2-6/7/8) -----------------------------------------------------
def test_annual_rows_are_event_contributions_over_the_city_population():
    ev = _events(
        (0, "run_started", {"population": 880_000}),  # only 新会 modelled
        (5, "household_evacuating", {"subject_id": "G1", "people": 48_000}),
    )
    row = _score("affected_per_100k", ev)
    assert row["estimate"] == pytest.approx(48_000 / CITY_POPULATION * 1e5)
    assert row["status"] == "event_contribution" and row["verdict"] == "n/a"
    yearly = _score("affected_per_100k", ev, annual_verdict=True)
    assert yearly["verdict"] == "pass"  # 1,000 per 100k < 15,000


# -- overall verdict and dominant cause ----------------------------------------------------------
def _sea(phases: bool) -> pd.DataFrame:
    rows = []
    for k in range(12):
        rows.append(
            (0, "incident_reported", {"incident_id": f"I{k}", "domain": "sea", "offshore_nm": 3})
        )
        extra = {"queue_wait_min": 200.0, "weather_hold_min": 10.0, "turnout_min": 5.0,
                 "travel_min": 30.0} if phases else {}  # fmt: skip
        rows.append((245, "unit_arrived", {"incident_id": f"I{k}", **extra}))
    return _events(*rows)


def test_overall_verdict_names_the_dominant_phase_of_a_failure():
    card = pd.DataFrame([_score("sea_arrival_time", _sea(True))])
    o = overall_verdict(card)
    assert o["adequate"] == "NO" and o["by_verdict"] == {"fail": 1}
    assert "queue wait" in o["failing"][0]["cause"] and "queue wait" in o["line"]


def test_without_phase_fields_the_cause_is_the_clock_that_failed():
    card = pd.DataFrame([_score("sea_arrival_time", _sea(False))])
    assert overall_verdict(card)["failing"][0]["cause"].startswith(
        "clock report → first unit on scene"
    )


def test_travel_alone_is_not_called_the_dominant_phase():
    """Events with only `travel_min` (today's engine) cannot say which phase dominates."""
    ev = _sea(False)
    ev.loc[ev["kind"] == "unit_arrived", "payload"] = '{"travel_min": 30.0}'
    row = _score("sea_arrival_time", ev)
    assert row["cause"].startswith("clock report → first unit on scene")
    assert "travel 30 min" in row["detail"] and "1 of 4 phases" in row["detail"]


# -- the relief model: each level sends its own first batch ---------------------------------------
def test_each_level_sends_its_own_first_batch_from_its_own_stock(drill, synthetic_world):
    """A city depot with stock ships its own first batch even when county stock suffices.

    Before, the city depot was only the fallback once county stock ran out, so the
    city row measured the fallback, not the city's first batch (专栏1).
    """
    import json

    from sim.run import run
    from sim.scenario.schema import DepotSpec

    city = DepotSpec(facility="F0", level="city", stock_kits=100, trucks=1, kits_per_truck=20)
    sc = drill.model_copy(
        update={"plan": drill.plan.model_copy(update={"depots": [*drill.plan.depots, city]})}
    )
    ev = run(sc, 5, world=synthetic_world).events()
    d = ev[ev["kind"] == "supplies_delivered"]
    first = {}
    for p in d["payload"]:
        q = json.loads(p)
        first.setdefault(q["level"], q["depot"])
    assert first == {"county": "F1", "city": "F0"}
    assert MEASURES["relief_supply_first_batch_city"](ev).n == 1
    assert MEASURES["relief_supply_first_batch_county"](ev).n == 1


def test_gudoushan_fire_deaths_and_comms_are_not_modelled_never_zero_or_pass():
    from pathlib import Path

    from sim.indicators.scorecard import wanted_rows
    from sim.scenario import load_scenario

    f = Path(__file__).resolve().parents[2] / "scenarios/forestfire/gudoushan_dry_season.yaml"
    rows = {d.id: (status, reason) for d, status, reason in wanted_rows(load_scenario(f))}
    assert len(rows) == 32
    status, reason = rows["natural_disaster_deaths_per_million"]
    assert status == "not_modelled" and "no casualty model" in reason
    status, reason = rows["scene_comms_assurance"]
    assert status == "not_modelled" and "comms-failure model" in reason
    assert rows["forest_fire_24h_extinguish_rate"][0] == "measured"
    assert rows["incident_report_timeliness"][0] == "measured"  # the reporting chain (text row)


def test_call_reported_just_before_run_end_is_censored_not_failed():
    ev = _events(
        (0, "incident_reported", {"incident_id": "A", "domain": "river"}),
        (30, "unit_arrived", {"incident_id": "A"}),
        (60, "incident_reported", {"incident_id": "B", "domain": "river"}),  # open 4 h: over
        (290, "incident_reported", {"incident_id": "C", "domain": "river"}),  # open 10 min
        (300, "run_finished", {}),
    )
    row = _score("inland_river_arrival_time", ev)  # 2025 target < 1 h
    assert row["n"] == 2 and "1 reported less than the target before the run ended" in row["detail"]
    assert "1 never reached" in row["detail"]  # B stays in as over target


def test_failing_comms_row_names_unrestored_losses_and_sea_scenes_as_cause():
    ev = _events(
        (0, "incident_reported", {"incident_id": "S", "domain": "sea"}),
        (0, "incident_reported", {"incident_id": "L", "domain": "land"}),
        (60, "unit_arrived", {"incident_id": "S"}),
        (60, "comms_lost", {"incident_id": "S"}),
        (65, "incident_resolved", {"incident_id": "S"}),  # closed before any restoration
        (70, "unit_arrived", {"incident_id": "L"}),
        (90, "incident_resolved", {"incident_id": "L"}),
    )
    s = MEASURES["scene_comms_assurance"](ev)
    assert s.values.tolist() == [0.0, 1.0]
    assert s.extra == {"comms_unrestored": 1, "comms_restored_late": 0, "comms_fail_sea": 1}
    row = score_samples(CATALOG["scene_comms_assurance"], s, 2025)
    assert row["verdict"] == "fail"
    assert "dominant: comms lost and not restored before the scene closed (1" in row["cause"]
    assert "1 of all failures were at sea" in row["cause"]
    assert "dominant: comms lost" in overall_verdict(pd.DataFrame([row]))["line"]
