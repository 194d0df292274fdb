"""First-batch relief clocks (专栏1) of chemical leaks and forest fires, on hand-built logs.

INDICATORS.md: the clock runs from the disaster onset in the affected area. A
chemical leak strikes it when the release starts; a forest fire when it ignites
(each ignition an onset: a batch answers the latest fire lit before it arrived).
The rule used is shown on the row, as the typhoon's is.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.events import EventLog
from sim.indicators.catalog import CATALOG
from sim.indicators.measures import MEASURES, onset_for
from sim.indicators.scorecard import score_samples

CHEM = "chemical: release start (the leak strikes the whole affected area at once)"
FIRE = "forest fire: ignition (the latest fire lit before the batch arrived)"


def _events(*rows, run: str = "r1") -> pd.DataFrame:
    log = EventLog()
    for t, kind, kw in sorted(rows, key=lambda r: r[0]):
        log.emit(t, kind, **kw)
    df = log.to_frame()
    df.insert(0, "run_id", run)
    return df


def _onset(t: float, area: str, rule: str) -> tuple:
    return (t, "disaster_onset", {"area": area, "onset_min": t, "rule": rule})


def _batch(t: float, level: str, area: str = "S1") -> tuple:
    return (t, "supplies_delivered", {"level": level, "shelter": area, "kits": 10})


def test_chemical_clock_runs_from_release_start_not_relief_release():
    ev = _events(
        _onset(30, "S1", CHEM),
        (90, "relief_released", {"reason": "R1"}),
        _batch(150, "city"),
        _batch(120, "town"),
    )
    city = MEASURES["relief_supply_first_batch_city"](ev)
    assert city.values.tolist() == [pytest.approx(2.0)]  # 30 → 150 min, not 90 → 150
    row = score_samples(CATALOG["relief_supply_first_batch_city"], city, 2025)
    assert row["verdict"] == "pass" and CHEM in row["detail"]
    assert "relief release" not in row["detail"]
    assert MEASURES["relief_supply_first_batch_town"](ev).values.tolist() == [1.5]


def test_chemical_batch_later_than_target_fails_with_the_onset_clock_named():
    ev = _events(_onset(0, "S1", CHEM), _batch(6 * 60, "county"))  # 6 h > 4 h
    row = score_samples(
        CATALOG["relief_supply_first_batch_county"],
        MEASURES["relief_supply_first_batch_county"](ev),
        2025,
    )
    assert row["verdict"] == "fail" and row["estimate"] == pytest.approx(6.0)
    assert row["cause"].startswith("clock disaster onset → county first batch")


def test_forest_fire_clock_runs_from_the_latest_ignition_before_the_batch():
    ev = _events(
        _onset(0, "S1", FIRE),  # fire A
        _onset(600, "S1", FIRE),  # fire B, 10 h later
        _batch(700, "county"),  # answers fire B: 100 min
        _batch(300, "city"),  # answers fire A: 5 h
    )
    county = MEASURES["relief_supply_first_batch_county"](ev)
    assert county.values.tolist() == [pytest.approx(100 / 60)]
    city = MEASURES["relief_supply_first_batch_city"](ev)
    assert city.values.tolist() == [pytest.approx(5.0)]
    row = score_samples(CATALOG["relief_supply_first_batch_city"], city, 2025)
    assert FIRE in row["detail"] and row["verdict"] == "pass"  # ≤ 5 h


def test_batch_before_any_ignition_is_pre_positioned_zero_hours():
    ev = _events(_batch(10, "town"), _onset(60, "S1", FIRE))
    s = MEASURES["relief_supply_first_batch_town"](ev)
    assert s.values.tolist() == [0.0] and s.extra["pre_positioned"] == 1


def test_onset_for_picks_latest_before_else_first():
    on = [(0.0, "a"), (600.0, "b")]
    assert onset_for(on, 599.0) == (0.0, "a")
    assert onset_for(on, 600.0) == (600.0, "b")
    assert onset_for([(60.0, "x")], 10.0) == (60.0, "x")


def test_relief_rows_of_a_plan_without_depots_are_not_modelled():
    from pathlib import Path

    from sim.indicators.scorecard import wanted_rows
    from sim.scenario import load_scenario

    root = Path(__file__).resolve().parents[2] / "scenarios"
    for f in ("forestfire/gudoushan_dry_season.yaml", "chemical/chlorine_zhuxi_night.yaml"):
        sc = load_scenario(root / f)
        assert not sc.plan.depots
        rows = {d.id: (st, why) for d, st, why in wanted_rows(sc)}
        for lv in ("city", "county", "town"):
            st, why = rows[f"relief_supply_first_batch_{lv}"]
            assert st == "not_modelled" and "no relief depots" in why
        assert rows["incident_report_timeliness"][0] == "measured"


# -- the hazards emit them ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def jiangmen():
    from sim.world import load_jiangmen

    return load_jiangmen()


def _onset_events(ev: pd.DataFrame) -> pd.DataFrame:
    import json

    on = ev[ev["kind"] == "disaster_onset"]
    p = pd.DataFrame([json.loads(x) for x in on["payload"]], index=on.index)
    return on.assign(area=p["area"], onset_min=p["onset_min"], rule=p["rule"])


def test_chemical_leak_logs_onset_at_release_start_for_every_relief_area(jiangmen):
    import yaml

    from sim.run import run
    from sim.scenario.loader import validate_scenario_dict

    root = __import__("pathlib").Path(__file__).resolve().parents[2] / "scenarios/chemical"
    d = yaml.safe_load((root / "chlorine_zhuxi_night.yaml").read_text(encoding="utf-8"))
    d["scenario"]["duration_h"] = 1.0
    d["msel"] = [i for i in d.get("msel") or [] if float(i["at_min"]) <= 60.0]
    sc = validate_scenario_dict(d, "chlorine_short")
    ev = run(sc, 3, world=jiangmen).events()
    t0 = float(ev.loc[ev["kind"] == "release_started", "t_min"].iloc[0])
    on = _onset_events(ev)
    shelters = {s.facility for s in sc.plan.shelters}
    assert shelters and shelters <= set(on["area"])
    assert (on["onset_min"] == t0).all() and (on["t_min"] == t0).all()
    assert set(on["rule"]) == {CHEM}


def test_forest_fire_logs_onset_at_each_ignition(jiangmen):
    from pathlib import Path

    from sim.run import run
    from sim.scenario import load_scenario

    sc = load_scenario(
        Path(__file__).resolve().parents[2] / "scenarios/forestfire/gudoushan_dry_season.yaml"
    )
    sc = sc.model_copy(
        update={
            "scenario": sc.scenario.model_copy(update={"duration_h": 2.0}),
            "msel": [i for i in sc.msel if i.at_min <= 120],
        }
    )
    ev = run(sc, 3, world=jiangmen).events()
    ign = ev[ev["kind"] == "fire_ignited"]
    on = _onset_events(ev)
    assert len(ign) >= 1 and set(on["rule"]) == {FIRE}
    assert set(on["onset_min"]) == set(ign["t_min"])
    n_areas = len(set(on["area"]))
    assert n_areas >= 1 and len(on) == n_areas * len(ign)
