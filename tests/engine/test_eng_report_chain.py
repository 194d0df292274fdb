"""Incident reports up the chain town → county → city (灾害事故信息上报及时率, Ch. 4).

Measure pinned on hand-built event logs (on time = 1, late = 0, a report still on
its way at the run's end is a failure once older than the deadline and censored
before); the chain model checked on the synthetic drill with paired common random
numbers (faster desks, more staff or satellite phones never make a report later).
Deadline rule: 国务院令第493号 Art. 9 (county level within 1 h) and Art. 10 (each
level within 2 h).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.events import EventLog
from sim.indicators.catalog import CATALOG
from sim.indicators.measures import MEASURES
from sim.indicators.scorecard import score_samples
from sim.scenario.schema import ReportHopSpec, ReportingSpec

ID = "incident_report_timeliness"


def _events(*rows, run: str = "r1", deadline: float | None = 180.0) -> pd.DataFrame:
    log = EventLog()
    log.emit(0, "run_started", report_deadline_min=deadline)
    for t, kind, kw in sorted(rows, key=lambda r: r[0]):
        log.emit(t, kind, **kw)
    df = log.to_frame()
    df.insert(0, "run_id", run)
    return df


def _esc(i: str, delay: float, hops=(30.0, 40.0), deadline=180.0, key=None) -> dict:
    return {
        "incident_id": i,
        "report_key": key or i,
        "delay_min": delay,
        "deadline_min": deadline,
        "hop_min": list(hops),
        "hop_deadline_min": [60.0, 120.0],
    }


def test_report_on_time_is_1_and_late_is_0():
    ev = _events(
        (0, "incident_reported", {"incident_id": "A"}),
        (10, "incident_reported", {"incident_id": "B"}),
        (70, "incident_escalated", _esc("A", 70.0)),
        (210, "incident_escalated", _esc("B", 200.0, hops=(50.0, 150.0))),  # chain > 180
        (600, "run_finished", {}),
    )
    s = MEASURES[ID](ev)
    assert s.values.tolist() == [1.0, 0.0] and s.trace == ["r1:A", "r1:B"]
    row = score_samples(CATALOG[ID], s, 2025)
    assert row["verdict"] == "fail" and "r1:B" in row["detail"]


def test_a_hop_over_its_own_deadline_is_late_even_if_the_chain_is_in_time():
    """Art. 10: every level within 2 h; Art. 9: to the county within 1 h."""
    ev = _events(
        (0, "incident_reported", {"incident_id": "A"}),
        (100, "incident_escalated", _esc("A", 100.0, hops=(90.0, 10.0))),  # town hop 90 > 60
        (600, "run_finished", {}),
    )
    assert MEASURES[ID](ev).values.tolist() == [0.0]


def test_report_still_on_its_way_at_run_end_is_censored_then_failed_past_the_deadline():
    ev = _events(
        (0, "incident_reported", {"incident_id": "A"}),  # open 300 min > 180: late already
        (250, "incident_reported", {"incident_id": "B"}),  # open 50 min: could still be in time
        (300, "run_finished", {}),
    )
    s = MEASURES[ID](ev)
    assert s.values.tolist() == [0.0] and s.censored == 1
    row = score_samples(CATALOG[ID], s, 2025)
    assert row["verdict"] == "fail" and "1 censored (left out, not failures)" in row["detail"]
    only_late = _events((250, "incident_reported", {"incident_id": "B"}), (300, "run_finished", {}))
    s = MEASURES[ID](only_late)
    assert s.n == 0 and s.censored == 1
    row = score_samples(CATALOG[ID], s, 2025)
    assert row["verdict"] == "no qualifying events" and "1 censored" in row["detail"]


def test_one_report_per_fire_and_per_chemical_accident():
    """A fire's several dispatch requests are one report; so are one leak's calls."""
    ev = _events(
        (0, "incident_reported", {"incident_id": "I1", "fire_id": "F1"}),
        (5, "incident_reported", {"incident_id": "I2", "fire_id": "F1"}),
        (8, "incident_reported", {"incident_id": "I3", "report_key": "chemical_release"}),
        (9, "incident_reported", {"incident_id": "I4", "report_key": "chemical_release"}),
        (60, "incident_escalated", _esc("I1", 60.0, key="fire:F1")),
        (300, "run_finished", {}),
    )
    s = MEASURES[ID](ev)
    # F1 escalated on time; the chemical report (I3, open 292 min > 180) is late
    assert s.values.tolist() == [1.0, 0.0] and s.trace == ["r1:I1", "r1:I3"]


def test_logs_without_a_chain_judge_nothing_from_bare_reports():
    ev = _events((0, "incident_reported", {"incident_id": "A"}), (600, "run_finished", {}),
                 deadline=None)  # fmt: skip
    assert MEASURES[ID](ev).n == 0


def test_rule_of_three_passes_many_on_time_reports():
    rows = [(t, "incident_escalated", _esc(f"I{t}", 50.0)) for t in range(1, 11)]
    s = MEASURES[ID](_events(*rows, (600, "run_finished", {})))
    row = score_samples(CATALOG[ID], s, 2025)
    assert row["verdict"] == "pass" and "1 − 3/10" in row["detail"]


def test_row_is_measured_in_every_hazard():
    assert set(CATALOG[ID].hazards) == {"forestfire", "chemical", "typhoon", "scripted"}
    assert "493" in CATALOG[ID].note


# -- the chain model on the synthetic drill (paired CRN) --------------------------------------------
def _with_reporting(drill, **kw):
    rep = ReportingSpec(**kw)
    return drill.model_copy(update={"plan": drill.plan.model_copy(update={"reporting": rep})})


def _delays(sc, world, seed=11, down=False) -> dict[str, float]:
    """report key → total delay (min) of one run; `down`: the mobile network is out everywhere."""
    from sim.model import DrillModel

    m = DrillModel(sc, world, seed)
    if down:
        m.hazard.mobile_ok = lambda x, y: np.zeros(np.size(x), dtype=bool)
    m.run()
    ev = m.log.to_frame()
    esc = ev[ev["kind"] == "incident_escalated"]
    return {json.loads(p)["report_key"]: json.loads(p)["delay_min"] for p in esc["payload"]}


def test_chain_is_deterministic_and_reports_every_incident(drill, synthetic_world):
    a = _delays(drill, synthetic_world)
    assert a == _delays(drill, synthetic_world)
    from sim.model import DrillModel

    m = DrillModel(drill, synthetic_world, 11)
    m.run()
    ev = m.log.to_frame()
    reported = set(ev.loc[ev["kind"] == "incident_reported", "incident_id"])
    esc = ev[ev["kind"] == "incident_escalated"]
    assert len(a) > 5 and set(esc["incident_id"]) <= reported
    p = json.loads(esc["payload"].iloc[0])
    assert len(p["hop_min"]) == 2 and p["hop_t_min"][-1] == pytest.approx(esc["t_min"].iloc[0])
    assert p["deadline_min"] == 180.0 and p["hop_deadline_min"] == [60.0, 120.0]


def test_faster_desks_and_more_staff_never_make_a_report_later(drill, synthetic_world):
    base = _delays(_with_reporting(drill), synthetic_world)
    fast = _delays(
        _with_reporting(
            drill,
            town=ReportHopSpec(median_min=5.0, duty_staff=3, deadline_min=60.0),
            county=ReportHopSpec(median_min=10.0, duty_staff=4, satellite_phone=True),
        ),
        synthetic_world,
    )
    assert base.keys() <= fast.keys()  # a faster chain gets more reports in before the end
    assert all(fast[k] <= base[k] + 1e-9 for k in base)
    assert sum(fast[k] for k in base) < sum(base.values())


def test_satellite_phones_at_towns_keep_reports_fast_when_the_network_is_down(
    drill, synthetic_world
):
    """Comms lost at the scene slows the town's hop; a town satellite phone restores it."""
    up = _delays(_with_reporting(drill), synthetic_world)
    down = _delays(_with_reporting(drill), synthetic_world, down=True)
    sat = _delays(
        _with_reporting(drill, town=ReportHopSpec(satellite_phone=True, deadline_min=60.0)),
        synthetic_world,
        down=True,
    )
    assert down.keys() <= up.keys() and down.keys() <= sat.keys()
    assert all(down[k] >= up[k] - 1e-9 for k in down)
    assert sum(down.values()) > sum(up[k] for k in down)
    assert all(sat[k] <= down[k] + 1e-9 for k in down)
    assert sat == pytest.approx(up)  # with the phone the outage costs nothing
    ev_share = sum(v <= 180 for v in sat.values()) / len(sat)
    assert ev_share >= sum(v <= 180 for v in down.values()) / len(down)


def test_a_hop_deadline_longer_than_the_chain_is_refused_with_its_path(drill, tmp_path):
    """`validate` and `run` share the check (sim.scenario.checks.semantic_problems)."""
    import yaml

    from sim.errors import JmsimError
    from sim.scenario.loader import validate_scenario_dict

    d = yaml.safe_load(
        (
            __import__("pathlib").Path(__file__).parents[1] / "fixtures/synthetic_drill.yaml"
        ).read_text()
    )
    d["plan"]["reporting"] = {"deadline_min": 100, "county": {"deadline_min": 120}}
    with pytest.raises(JmsimError) as e:
        validate_scenario_dict(d, "bad.yaml")
    msg = str(e.value)
    assert "bad.yaml" in msg and "plan.reporting.county.deadline_min: got 120" in msg
    assert "at most the whole chain's plan.reporting.deadline_min (100)" in msg
    d["plan"]["reporting"] = {"town": {"median_min": -5}}
    with pytest.raises(JmsimError, match=r"plan\.reporting\.town\.median_min: got -5"):
        validate_scenario_dict(d, "bad.yaml")


def test_failing_row_names_the_late_hop_and_lost_comms_as_its_cause():
    town_late = {**_esc("A", 100.0, hops=(90.0, 10.0)), "comms_down": [True, False]}
    ev = _events(
        (0, "incident_reported", {"incident_id": "A"}),
        (1, "incident_reported", {"incident_id": "B"}),
        (100, "incident_escalated", town_late),
        (
            200,
            "incident_escalated",
            {**_esc("B", 199.0, hops=(50.0, 149.0)), "comms_down": [False, False]},
        ),
        (300, "incident_reported", {"incident_id": "C"}),
        (330, "incident_escalated", _esc("C", 30.0, hops=(10.0, 20.0))),
        (600, "run_finished", {}),
    )
    s = MEASURES[ID](ev)
    assert s.values.tolist() == [0.0, 0.0, 1.0]
    assert s.extra["late_town_hop"] == 1 and s.extra["late_county_hop"] == 1
    assert s.extra["late_comms_down"] == 1
    row = score_samples(CATALOG[ID], s, 2025)
    assert row["verdict"] == "fail"
    assert "dominant: town → county hop over its deadline" in row["cause"]
    assert "1 of all failures had the public mobile network down" in row["cause"]
    assert "ILLUSTRATIVE" not in row["statistic"]  # these events carry no `illustrative` flag


def test_default_chain_delays_are_flagged_illustrative_on_the_row(drill, synthetic_world):
    from sim.model import DrillModel

    ev = DrillModel(drill, synthetic_world, 11).run().to_frame()
    ev.insert(0, "run_id", "r1")
    row = score_samples(CATALOG[ID], MEASURES[ID](ev), 2025)
    assert "ILLUSTRATIVE reporting delays" in row["statistic"]
    cited = _with_reporting(drill, source="county duty logs 2024 (example)")
    ev = DrillModel(cited, synthetic_world, 11).run().to_frame()
    ev.insert(0, "run_id", "r1")
    assert "ILLUSTRATIVE" not in score_samples(CATALOG[ID], MEASURES[ID](ev), 2025)["statistic"]


def test_report_key_of_a_reported_incident():
    """One rule for both measures: a fire's key, else the chain's report key, else the incident."""
    from sim.indicators.measures import report_key

    assert report_key("F1", "k", "I1") == "fire:F1"
    assert report_key(None, "k", "I1") == "k"
    assert report_key(float("nan"), "k", "I1") == "k"  # missing in a DataFrame payload column
    assert report_key(None, "", "I1") == report_key(None, None, "I1") == "I1"
