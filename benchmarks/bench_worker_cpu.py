"""Before/after: CPU per sampled Mangkhut run on the batch-worker path (issue #15).

Each side runs in its own subprocess with its own code (``PYTHONPATH``): it builds a
`RunContext` as a batch worker does (world loaded, `freeze_loaded` where the code
has it), runs one warm-up job, then times `RunContext.execute` (the run, its event
table, indicator samples and digest) with `time.process_time` for the first N jobs
of a Latin-hypercube design (the same sampled inputs on both sides). Sides
alternate for ``--pairs`` repeats (order swapped every repeat), so machine load
hits both alike; medians and their ratio are printed, with each repeat's medians,
and whether the runs' event-table digests and outcome rows agree.

Usage (from the repo root; DIR a checkout of the code to compare with, e.g.
``git archive main | tar -x -C /tmp/base``):

    .venv/bin/python benchmarks/bench_worker_cpu.py --baseline DIR [--pairs 4] [--runs 6]

With ``--alternate-jobs`` the two sides run as two long-lived processes that take
turns job by job (before job k, after job k, after job k+1, before job k+1, ...;
``--pairs`` passes over the jobs): on a machine whose speed drifts from one
10-second block to the next (other sessions' tests), alternating every ~0.3 s
cancels the drift that alternating whole subprocesses leaves in.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "scenarios/typhoon/mangkhut_2018.yaml"

_CHILD = """
import hashlib, json, sys, time
root, n, seed, scenario = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
import sim
assert sim.__file__.startswith(root), sim.__file__
from pathlib import Path
from sim.batch.executor import BatchSpec, RunContext
from sim.batch.montecarlo import design
f = Path(root) / scenario
ctx = RunContext(BatchSpec(f.read_text(), f.name, str(f.parent.resolve())))
try:  # as a batch worker does after loading its world (code that has it)
    from sim.gc_policy import freeze_loaded
    freeze_loaded()
except ImportError:
    pass
jobs = design(ctx.us, n, seed)
ctx.execute(jobs[0])  # warm-up: lazy imports, per-world caches
cpu, digests, rows = [], [], []
for job in jobs:
    t = time.process_time()
    out = ctx.execute(job)
    cpu.append(time.process_time() - t)
    digests.append(out.row["events_sha256"])
    rows.append(hashlib.sha256(json.dumps([out.row, out.validity], default=str).encode()).hexdigest())
print(json.dumps({"cpu": cpu, "digests": digests, "rows": rows}))
"""


_STEPPER = """
import hashlib, json, sys, time
root, n, seed, scenario = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
import sim
assert sim.__file__.startswith(root), sim.__file__
from pathlib import Path
from sim.batch.executor import BatchSpec, RunContext
from sim.batch.montecarlo import design
f = Path(root) / scenario
ctx = RunContext(BatchSpec(f.read_text(), f.name, str(f.parent.resolve())))
try:
    from sim.gc_policy import freeze_loaded
    freeze_loaded()
except ImportError:
    pass
jobs = design(ctx.us, n, seed)
ctx.execute(jobs[0])
print("ready", flush=True)
for line in sys.stdin:
    job = jobs[int(line)]
    t = time.process_time()
    out = ctx.execute(job)
    cpu = time.process_time() - t
    row = hashlib.sha256(json.dumps([out.row, out.validity], default=str).encode()).hexdigest()
    print(json.dumps({"cpu": cpu, "digest": out.row["events_sha256"], "row": row}), flush=True)
"""


def alternate(baseline: str, pairs: int, runs: int, seed: int) -> str:
    """Markdown table as `compare`, the two sides taking turns job by job."""
    procs = {}
    for name, root in (("before", baseline), ("after", str(ROOT))):
        procs[name] = subprocess.Popen(
            [sys.executable, "-c", _STEPPER, root, str(runs), str(seed), SCENARIO],
            cwd=root, env={**os.environ, "PYTHONPATH": root}, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )  # fmt: skip
    for p in procs.values():
        assert p.stdout.readline().strip() == "ready"

    def step(name: str, k: int) -> dict:
        p = procs[name]
        p.stdin.write(f"{k}\n")
        p.stdin.flush()
        return json.loads(p.stdout.readline())

    cpu = {"before": [], "after": []}
    same = True
    per = []
    for rep in range(pairs):
        got = {"before": [], "after": []}
        for k in range(runs):
            order = ("before", "after") if (k + rep) % 2 == 0 else ("after", "before")
            for name in order:
                got[name].append(step(name, k))
        same &= all(
            a["digest"] == b["digest"] and a["row"] == b["row"]
            for a, b in zip(got["before"], got["after"], strict=True)
        )
        b = [g["cpu"] for g in got["before"]]
        a = [g["cpu"] for g in got["after"]]
        per.append((statistics.median(b), statistics.median(a)))
        cpu["before"] += b
        cpu["after"] += a
    for p in procs.values():
        p.stdin.close()
        p.wait()
    ratios = [a / b for b, a in zip(cpu["before"], cpu["after"], strict=True)]
    lines = ["| pass | before s/run | after s/run | after / before |", "|---|---:|---:|---:|"]
    for k, (b, a) in enumerate(per, 1):
        lines.append(f"| {k} | {b:.3f} | {a:.3f} | {a / b:.2f} |")
    mb, ma = statistics.median(cpu["before"]), statistics.median(cpu["after"])
    lines.append(
        f"| **all ({len(ratios)} jobs each)** | **{mb:.3f}** | **{ma:.3f}** | **{ma / mb:.2f}** |"
    )
    lines.append("")
    print("per-job ratios:", " ".join(f"{r:.2f}" for r in ratios), file=sys.stderr)
    lines.append(f"median of the per-job ratios (same job, next to each other): "
                 f"{statistics.median(ratios):.2f}")  # fmt: skip
    lines.append(
        f"event tables and outcome rows of the {runs} sampled runs: "
        + ("identical before and after" if same else "DIFFERENT")
    )
    return "\n".join(lines)


def side(root: str, runs: int, seed: int) -> dict:
    """CPU seconds per run, digests and row hashes of `runs` sampled runs with the code in `root`."""
    env = {**os.environ, "PYTHONPATH": root}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, root, str(runs), str(seed), SCENARIO],
        cwd=root, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def compare(baseline: str, pairs: int, runs: int, seed: int) -> str:
    """Markdown table: per-repeat and overall medians of CPU per run, and the ratio."""
    here = str(ROOT)
    per: list[tuple[float, float]] = []
    allb: list[float] = []
    alla: list[float] = []
    same = True
    for k in range(pairs):
        order = [("before", baseline), ("after", here)]
        got = {
            name: side(root, runs, seed) for name, root in (order if k % 2 == 0 else order[::-1])
        }
        b, a = got["before"], got["after"]
        same &= b["digests"] == a["digests"] and b["rows"] == a["rows"]
        per.append((statistics.median(b["cpu"]), statistics.median(a["cpu"])))
        allb += b["cpu"]
        alla += a["cpu"]
    lines = ["| repeat | before s/run | after s/run | after / before |", "|---|---:|---:|---:|"]
    for k, (b, a) in enumerate(per, 1):
        lines.append(f"| {k} | {b:.3f} | {a:.3f} | {a / b:.2f} |")
    mb, ma = statistics.median(allb), statistics.median(alla)
    lines.append(
        f"| **all ({len(allb)} runs each)** | **{mb:.3f}** | **{ma:.3f}** | **{ma / mb:.2f}** |"
    )
    lines.append("")
    lines.append(
        f"event tables and outcome rows of the {runs} sampled runs: "
        + ("identical before and after" if same else "DIFFERENT")
    )
    return "\n".join(lines)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", required=True, help="a checkout of the code to compare with")
    ap.add_argument("--pairs", type=int, default=4)
    ap.add_argument("--runs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--alternate-jobs", action="store_true", help="take turns job by job")
    a = ap.parse_args()
    how = alternate if a.alternate_jobs else compare
    print(how(a.baseline, a.pairs, a.runs, a.seed))
