"""rerun-decisions wall time with 1 and 2 worker processes, side by side.

Plays the scripted chlorine wind-shift drill (tests/fixtures/drills/chlorine_ws1_reissue.yaml)
headless, then times `rerun_decisions` (each seed run with and without the trainee
commands) on 1 and 2 workers, interleaved over `REPEATS` rounds; prints wall times and the
1-worker / 2-worker ratio per round and their median.

Usage: .venv/bin/python benchmarks/bench_rerun_decisions.py [RUNS] [REPEATS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(runs: int = 10, repeats: int = 2) -> None:
    """Print the timing table."""
    from viz.record import DrillRecord
    from viz.rerun import rerun_decisions
    from viz.script import load_actions, run_script

    scen = ROOT / "scenarios/chemical/chlorine_zhuxi_windshift.yaml"
    s = run_script(scen, load_actions(ROOT / "tests/fixtures/drills/chlorine_ws1_reissue.yaml"))
    f = DrillRecord.from_session(s, scen).save(Path(tempfile.mkdtemp()) / "bench.drill.json")
    rows = []
    for k in range(repeats):
        t = {}
        for w in (1, 2) if k % 2 == 0 else (2, 1):
            t0 = time.perf_counter()
            rerun_decisions(f, runs, workers=w)
            t[w] = time.perf_counter() - t0
        rows.append((t[1], t[2], t[1] / t[2]))
        print(
            f"round {k + 1}: 1 worker {t[1]:.1f} s, 2 workers {t[2]:.1f} s, ratio {t[1] / t[2]:.2f}"
        )
    print(
        f"{runs} reruns x 2 (with / without commands): median 1 worker "
        f"{statistics.median(r[0] for r in rows):.1f} s, 2 workers "
        f"{statistics.median(r[1] for r in rows):.1f} s, speed-up "
        f"{statistics.median(r[2] for r in rows):.2f}x"
    )


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
