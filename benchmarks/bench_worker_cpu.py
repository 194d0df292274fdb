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
    a = ap.parse_args()
    print(compare(a.baseline, a.pairs, a.runs, a.seed))
