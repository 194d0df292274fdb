"""Workers keep their loaded world out of cyclic GC passes, and let it go with the next batch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_PROBE = """
import gc, sys
from pathlib import Path
from sim.batch.executor import BatchSpec, context_for, _run_job
from sim.batch.executor import RunJob
from sim.gc_policy import freeze_loaded
drill = Path(sys.argv[1])
a = BatchSpec(drill.read_text(), drill.name, str(drill.parent))
b = BatchSpec(drill.read_text().replace("duration_h: 12", "duration_h: 3"), drill.name,
              str(drill.parent))
context_for(a)
freeze_loaded()  # as a local worker does after loading (`_init_worker`)
frozen = gc.get_freeze_count()
_run_job(a, RunJob(0, 1))
still = gc.get_freeze_count()
_run_job(b, RunJob(0, 1))  # a new batch on the same worker: the old world is unfrozen
print(frozen, still, gc.get_freeze_count())
"""


def test_worker_world_frozen_then_released():
    drill = Path(__file__).parents[1] / "fixtures" / "synthetic_drill.yaml"
    out = subprocess.run([sys.executable, "-c", _PROBE, str(drill)], capture_output=True,
                         text=True, check=True)  # fmt: skip
    frozen, still, after = map(int, out.stdout.split())
    assert frozen > 10_000  # the loaded world and modules are out of the collector's passes
    assert still > frozen * 0.9  # runs keep it frozen (a few frozen objects may be freed)
    assert after == 0  # the next batch's context released the previous world


def test_a_job_runs_under_the_relaxed_gc_threshold_and_restores_it(monkeypatch):
    """The whole job (model build, run, event table, measures) sees the raised gen-0
    threshold; the caller's thresholds are back afterwards."""
    import gc

    from sim.batch import executor
    from sim.batch.executor import BatchSpec, RunContext, RunJob

    drill = Path(__file__).parents[1] / "fixtures" / "synthetic_drill.yaml"
    ctx = RunContext(BatchSpec(drill.read_text(), drill.name, str(drill.parent)))
    seen = []
    real = executor.frame_digest

    def spy(ev):  # runs after the simulation, inside the job
        seen.append(gc.get_threshold()[0])
        return real(ev)

    monkeypatch.setattr(executor, "frame_digest", spy)
    before = gc.get_threshold()
    ctx.execute(RunJob(0, 1))
    assert seen and seen[0] >= 50_000
    assert gc.get_threshold() == before
