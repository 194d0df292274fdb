"""The lean M/M/c check (`sim.calc.queue_model`) is the engine's dispatch, not a copy of it.

`jmsim calc erlang-check` runs `QueueModel` instead of a full `DrillModel` so it
starts without Mesa, pandas, pydantic's scenario schema or a world (issue #15).
These tests pin that it still checks the real machinery: the event log equals
the full model's byte for byte, and the lean path really avoids the heavy imports.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from sim.calc.erlang import erlang_check, mmc_drill_model
from sim.calc.queue_model import BASE_LAT_LON, BASE_XY, QueueModel


@pytest.mark.parametrize("lam,mu,c,seed", [(4.0, 1.0, 5, 0), (8.0, 1.5, 6, 3), (2.0, 3.0, 1, 7)])
def test_lean_check_logs_exactly_what_the_full_drill_model_logs(lam, mu, c, seed):
    lean = QueueModel(lam, mu, c, 300.0, seed).run()
    full = mmc_drill_model(lam, mu, c, 300.0, seed).run()
    assert len(lean) > 100 * lam  # a real queue ran (λ·300 h calls, 7 events each)
    assert lean.digest() == full.digest()


def test_lean_check_base_is_where_to_utm_puts_it():
    from sim.geo import to_utm

    assert BASE_XY == tuple(float(v) for v in to_utm(*BASE_LAT_LON))


def test_queue_run_leaves_no_cyclic_garbage_so_pausing_the_collector_is_safe():
    # QueueModel.run pauses the cyclic GC; that only keeps memory flat if the run
    # creates no reference cycles (otherwise they would pile up until the end).
    # In a fresh interpreter: in the test process, other tests' background threads
    # (tqdm's progress monitor, Dask's offload thread) may leave garbage of their own
    # while the run goes on (seen once: 88 objects, in a full-suite run).
    code = (
        "import gc\n"
        "from sim.calc.queue_model import QueueModel\n"
        "gc.collect()\n"
        "m = QueueModel(8.0, 1.5, 6, 200.0, 1)\n"
        "m.run()\n"
        "print(len(m.log), gc.collect())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    n_log, garbage = (int(v) for v in out.stdout.split())
    assert n_log > 5000
    assert garbage == 0


def test_erlang_check_result_matches_its_own_log():
    r = erlang_check(4.0, 1.0, 5, 400.0, 2)
    log = QueueModel(4.0, 1.0, 5, 400.0, 2).run()
    warm = 0.05 * 400.0 * 60.0
    rep = {e.incident_id: e.t_min for e in log.of_kind("incident_reported")}
    waits = [
        e.payload["wait_min"] / 60.0
        for e in log.of_kind("unit_dispatched")
        if rep[e.incident_id] >= warm
    ]
    assert r["incidents"] == len(waits)
    assert r["sim_wq_h"] == sum(waits) / len(waits)


def test_erlang_check_cli_does_not_load_the_heavy_stack():
    code = (
        "import sys, io, contextlib\n"
        "from sim.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    rc = main(['calc', 'erlang-check', '--arrivals-per-h', '4', '--service-per-h', '1',"
        " '--servers', '5', '--hours', '50', '--json'])\n"
        "heavy = ['mesa', 'pandas', 'pygame', 'dask', 'distributed', 'matplotlib', 'scipy',"
        " 'networkx', 'pyproj', 'pydantic', 'sim.model', 'sim.world']\n"
        "print(json.dumps({'rc': rc, 'loaded': [m for m in heavy if m in sys.modules],"
        " 'out': json.loads(out.getvalue())}))\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, check=True
    )
    d = json.loads(res.stdout)
    assert d["rc"] == 0
    assert d["loaded"] == []
    assert d["out"]["incidents"] > 100


def test_check_log_keeps_exactly_the_full_logs_rows_of_the_kinds_it_reads():
    # erlang_check's log drops the kinds it does not read (KeptKindsLog); what it keeps
    # must be the full log's rows of those kinds, every field, in order.
    from sim.calc.erlang import ERLANG_KINDS

    full = QueueModel(8.0, 1.5, 6, 300.0, 4).run()
    kept = QueueModel(8.0, 1.5, 6, 300.0, 4, keep=ERLANG_KINDS).run()
    want = [e.as_row()[1:] for e in full if e.kind in ERLANG_KINDS]
    assert len(want) > 2000
    assert [e.as_row()[1:] for e in kept] == want
    assert kept.emitted == len(full)  # every event was still emitted


def test_kept_kinds_log_still_checks_time_order_of_dropped_kinds():
    from sim.events import KeptKindsLog

    log = KeptKindsLog({"a"})
    log.emit(5.0, "b", unit_id="u")
    log.emit_row(6.0, "c", "", "", "", math.nan, math.nan, {})
    with pytest.raises(ValueError, match="before the previous event"):
        log.emit(4.0, "b")
    with pytest.raises(ValueError, match="before the previous event"):
        log.emit_row(5.5, "c", "", "", "", math.nan, math.nan, {})
    log.emit(7.0, "a", unit_id="u", x=1)
    assert [(e.t_min, e.kind, e.payload) for e in log] == [(7.0, "a", {"x": 1})]
    assert log.emitted == 3
