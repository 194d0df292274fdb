"""rerun-decisions on a Dask cluster gives the same table as in-process; BLAS threads change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.commands import Command
from sim.session import DrillSession
from sim.threads import single_blas_thread
from viz.record import DrillRecord
from viz.rerun import rerun_decisions

ROOT = Path(__file__).resolve().parents[2]
COLS = ["id", "runs_scored", "met", "est_diff", "actual", "actual_percentile"]


def test_rerun_on_dask_equals_in_process(drill, synthetic_world, drill_path, tmp_path):
    distributed = pytest.importorskip("distributed")
    s = DrillSession(drill, 7, synthetic_world)
    s.advance_to(1.0)
    s.submit(Command(id="C1", at_min=0, kind="request_mutual_aid",
                     params={"template": "boat", "count": 3, "delay_min": 0}))  # fmt: skip
    s.advance_to(240.0)
    f = DrillRecord.from_session(s, drill_path).save(tmp_path / "w.drill.json")
    ref, _ = rerun_decisions(f, 3, world=synthetic_world)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:  # fmt: skip
        got, info = rerun_decisions(f, 3, scheduler=cluster.scheduler_address)
    assert info["scheduler"] == cluster.scheduler_address
    assert got[COLS].round(9).equals(ref[COLS].round(9))


def test_one_blas_thread_gives_the_same_chemical_event_log():
    """The puff field is a BLAS product; its thread count must not change the log (sim/threads.py)."""
    from sim.scenario import load_scenario

    scen = load_scenario(ROOT / "scenarios/chemical/chlorine_zhuxi_windshift.yaml")
    digests = []
    for limit in (False, True):
        s = DrillSession(scen, 3)
        if limit:
            with single_blas_thread():
                s.advance_to(90)
        else:
            s.advance_to(90)
        digests.append(s.model.log.digest())
    assert digests[0] == digests[1]


def test_percentile_ordinals():
    from viz.rerun import ordinal

    got = [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 42, 100)]
    assert got == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "42nd", "100th"]
