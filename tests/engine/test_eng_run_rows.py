"""The batch worker's column-read measures equal the DataFrame measures (issue #15).

`sim.indicators.run_rows.FAST` re-implements measures of `sim.indicators.measures`
on one run's log columns. Each must give exactly the `Samples` of its DataFrame
counterpart (values, trace, censored, extras), or raise `Fallback` when the events
are not a shape it knows; `run_samples` then uses the DataFrame measure.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sim.batch.aggregate import run_samples
from sim.events import EventLog
from sim.indicators.catalog import CATALOG
from sim.indicators.measures import MEASURES, Samples, shared_reads
from sim.indicators.run_rows import FAST, Fallback, RunRows

ROOT = Path(__file__).resolve().parents[2]


def _same(a, b) -> bool:
    """Equal values of equal types; arrays of equal dtype (NaN equal to NaN)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.dtype == b.dtype
            and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        )
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return type(a) is type(b) and a == b


def _equal(ref: Samples, got: Samples) -> bool:
    return (
        _same(ref.values, got.values)
        and ref.trace == got.trace
        and ref.censored == got.censored
        and _same(ref.extra, got.extra)
    )


def compare(log: EventLog, run_id: str = "r1") -> tuple[int, set[str]]:
    """Assert every fast measure equals the DataFrame one on `log`; (items, fallbacks)."""
    cols = log.columns()
    ev = log.to_frame(cols)
    ev.insert(0, "run_id", run_id)
    rows = RunRows(run_id, cols)
    items, fell_back = 0, set()
    for name, fast in FAST.items():
        ref = MEASURES[name](ev)  # alone: no shared reads
        try:
            got = fast(rows)
        except Fallback:
            fell_back.add(name)
            continue
        assert _equal(ref, got), name
        items += ref.n
    return items, fell_back


def _log(*rows) -> EventLog:
    log = EventLog()
    for t, kind, kw in rows:
        log.emit(t, kind, **kw)
    return log


def test_every_fast_measure_has_a_dataframe_measure():
    assert FAST and set(FAST) <= set(MEASURES)


def test_the_comparison_catches_a_wrong_value():
    ref = Samples(np.array([1.0, np.inf]), ["r:a", "r:b"], censored=1, extra={"x": 1})
    assert _equal(ref, Samples(np.array([1.0, np.inf]), ["r:a", "r:b"], 1, {"x": 1}))
    assert not _equal(ref, Samples(np.array([1.0, 2.0]), ["r:a", "r:b"], 1, {"x": 1}))
    assert not _equal(ref, Samples(np.array([1.0, np.inf]), ["r:a", "r:c"], 1, {"x": 1}))
    assert not _equal(ref, Samples(np.array([1.0, np.inf]), ["r:a", "r:b"], 1, {"x": 1.0}))
    assert not _equal(ref, Samples(np.array([1, 2]), ["r:a", "r:b"], 1, {"x": 1}))


def test_hand_made_logs(drill, synthetic_world):
    """Edge cases of each measure: unreached, relieved late, comms lost, escalations."""
    log = _log(
        (0, "run_started", {"report_deadline_min": 60.0, "gdp_cny": 2e11}),
        (0, "incident_reported", {"incident_id": "A", "domain": "sea", "offshore_nm": 5.0}),
        (0, "incident_reported", {"incident_id": "B", "domain": "sea", "offshore_nm": 20.0}),
        (5, "incident_reported", {"incident_id": "C", "domain": "river", "report_key": "k"}),
        (6, "incident_reported", {"incident_id": "D", "domain": "sea"}),
        (10, "warning_received", {"subject_id": "G1", "people": 10}),
        (12, "warning_received", {"subject_id": "G1", "people": 10}),
        (20, "household_evacuating", {"subject_id": "G1", "people": 10, "shelter": "S"}),
        (25, "household_sheltered", {"subject_id": "G1", "people": 10, "shelter": "S"}),
        (30, "hazard_reached", {"subject_id": "G1", "people": 10, "warned_before": True}),
        (31, "hazard_reached", {"subject_id": "G2", "people": 5, "warned_before": False}),
        (31, "household_exposed", {"subject_id": "G2", "people": 5, "harmed": False}),
        (32, "household_exposed", {"subject_id": "G3", "people": 7, "harmed": True}),
        (40, "disaster_onset", {"area": "S", "onset_min": 35.0, "rule": "wind"}),
        (45, "supplies_dispatched", {"level": "city", "shelter": "S"}),
        (50, "supplies_delivered", {"level": "city", "shelter": "S", "kits": 2}),
        (55, "supplies_delivered", {"level": "town", "shelter": "T", "kits": 1}),
        (60, "households_displaced", {"subject_id": "D1", "people": 25, "kit_people": 10}),
        (70, "displaced_relieved", {"subject_id": "D1", "kits": 2}),
        (80, "household_relieved", {"subject_id": "G1"}),
        (90, "unit_arrived", {"incident_id": "A", "travel_min": 30.0, "turnout_min": 2}),
        (95, "unit_arrived", {"incident_id": "A"}),
        (96, "comms_lost", {"incident_id": "A", "tolerance_min": 10}),
        (99, "comms_restored", {"incident_id": "A"}),
        (100, "unit_arrived", {"incident_id": "C"}),
        (101, "comms_lost", {"incident_id": "C"}),
        (
            110,
            "incident_escalated",
            {
                "incident_id": "A",
                "delay_min": 70.0,
                "deadline_min": 60.0,
                "hop_min": [10, 70],
                "hop_deadline_min": [20, 30],
                "comms_down": [False, True],
                "illustrative": True,
                "report_key": "A",
            },
        ),  # fmt: skip
        (120, "incident_resolved", {"incident_id": "A"}),
        (130, "casualties", {"deaths": 2}),
        (131, "casualties", {"deaths": 1}),
        (132, "direct_loss", {"loss_cny": 1.5e8}),
        (133, "direct_loss", {"loss_cny": 0.25e8}),
        (200, "run_finished", {}),
    )
    items, fell_back = compare(log)
    assert items > 15 and not fell_back


def test_uneven_payloads_fall_back_to_the_dataframe_measure():
    """A field in some payloads only: pandas fills NaN, the fast form declines."""
    log = _log(
        (0, "run_started", {"report_deadline_min": 60.0}),
        (0, "incident_reported", {"incident_id": "A", "domain": "sea"}),
        (0, "incident_reported", {"incident_id": "B"}),
        (
            5,
            "incident_escalated",
            {"incident_id": "A", "delay_min": 1, "deadline_min": 2, "illustrative": True},
        ),  # fmt: skip
        (6, "incident_escalated", {"incident_id": "B", "delay_min": 1, "deadline_min": 2}),
        (200, "run_finished", {}),
    )
    _, fell_back = compare(log)
    assert {"sea_arrival_time", "incident_report_timeliness"} <= fell_back
    cols = log.columns()
    ev = log.to_frame(cols)
    ev.insert(0, "run_id", "r1")
    indicators = [CATALOG[k] for k in ("sea_arrival_time", "incident_report_timeliness")]
    with shared_reads(ev):
        ref = {d.id: MEASURES[d.id](ev) for d in indicators}
    got = run_samples(ev, indicators, RunRows("r1", cols))
    for k, s in ref.items():
        assert _same(s.values, got[k].values) and s.trace == got[k].trace, k


def test_drill_runs(drill, synthetic_world):
    from sim.run import run

    for seed in (1, 2, 3):
        items, _ = compare(run(drill, seed, world=synthetic_world).log, f"d#{seed}")
        assert items > 0


def _sampled_runs(path: Path, n: int, seed: int):
    from sim.batch.executor import BatchSpec, RunContext
    from sim.batch.montecarlo import design
    from sim.run import run

    ctx = RunContext(BatchSpec(path.read_text(), path.name, str(path.parent.resolve())))
    for job in design(ctx.us, n, seed):
        yield run(ctx.us.realise(job.values), job.seed, world=ctx.world)


def test_sampled_mangkhut_runs():
    total = 0
    for res in _sampled_runs(ROOT / "scenarios/typhoon/mangkhut_2018.yaml", 2, 3):
        items, fell_back = compare(res.log, res.run_id)
        assert not fell_back
        total += items
    assert total > 1000


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    sorted(str(p.relative_to(ROOT / "scenarios")) for p in ROOT.glob("scenarios/*/*.yaml")),
)
def test_every_shipped_scenario(name):
    for res in _sampled_runs(ROOT / "scenarios" / name, 2, 11):
        compare(res.log, res.run_id)


def test_run_samples_with_rows_equal_without(drill, synthetic_world):
    from sim.batch.outcomes import dynamic_indicators
    from sim.run import run

    res = run(drill, 4, world=synthetic_world)
    cols = res.log.columns()
    ev = res.events(cols)
    assert ev.equals(res.events())
    indicators = dynamic_indicators(drill)
    a = run_samples(ev, indicators)
    b = run_samples(ev, indicators, RunRows(res.run_id, cols))
    assert a.keys() == b.keys()
    for k in a:
        assert _same(a[k].values, b[k].values) and a[k].trace == b[k].trace, k
        assert a[k].censored == b[k].censored and _same(a[k].extra, b[k].extra), k
