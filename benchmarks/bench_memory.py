"""Peak memory of the batch process against the number of runs (issue #15).

Runs `jmsim run FILE --runs N --workers 2 --no-report --no-progress --out DIR` in a
fresh Python process per configuration and reads that process's own peak RSS
(`getrusage(RUSAGE_SELF)`: the batch process only; its two spawned worker processes
are separate and not counted). Events are written (`--events all`, the default),
so the parent's flat memory is not bought by dropping them. Reported side by side:
peak RSS, its ratio to the smallest run count of the same scenario, wall time,
and wall time per run.

The batch code is imported from the current directory first, so running this
script from an unpacked older commit (`git archive REV | tar -x -C DIR; cd DIR;
python /path/to/bench_memory.py`) measures that version side by side.

Usage: python benchmarks/bench_memory.py [--synthetic 100,1000,10000] [--mangkhut 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "tests/fixtures/synthetic_drill.yaml"
MANGKHUT = ROOT / "scenarios/typhoon/mangkhut_2018.yaml"

_CHILD = """
import json, resource, sys, time
from sim.cli import main
t = time.perf_counter()
rc = main(sys.argv[1:])
wall = time.perf_counter() - t
print("BENCH " + json.dumps({"rc": rc, "wall_s": wall,
      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), file=sys.stderr)
"""


def measure(scenario: Path, runs: int, workers: int, events: str) -> dict:
    """One batch in a fresh process: its peak RSS (MB) and wall time (s)."""
    with tempfile.TemporaryDirectory(prefix="jmsim-mem-") as d:
        cmd = [sys.executable, "-c", _CHILD, "run", str(scenario), "--runs", str(runs),
               "--seed", "1", "--workers", str(workers), "--out", str(Path(d) / "o"),
               "--no-report", "--no-progress"]  # fmt: skip
        if events != "all":  # (the default; older jmsim, run for comparison, lacks the flag)
            cmd += ["--events", events]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(p.stderr[-2000:])
        line = [ln for ln in p.stderr.splitlines() if ln.startswith("BENCH ")][-1]
        out = json.loads(line[6:])
        out["events_on_disk_mb"] = (
            sum(f.stat().st_size for f in (Path(d) / "o").rglob("*") if f.is_file()) / 1e6
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synthetic", default="100,1000,10000")
    ap.add_argument("--mangkhut", default="1000")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--events", default="all")
    a = ap.parse_args()
    plan = [(SYNTHETIC, int(n)) for n in a.synthetic.split(",") if n]
    plan += [(MANGKHUT, int(n)) for n in a.mangkhut.split(",") if n]
    base: dict[str, float] = {}
    print(f"{'scenario':<22} {'runs':>6} {'peak RSS MB':>12} {'vs first':>9} {'wall s':>8} "
          f"{'s/run':>7} {'disk MB':>8}")  # fmt: skip
    for scen, n in plan:
        t0 = time.time()
        r = measure(scen, n, a.workers, a.events)
        base.setdefault(scen.stem, r["rss_mb"])
        print(f"{scen.stem:<22} {n:>6} {r['rss_mb']:>12.0f} {r['rss_mb'] / base[scen.stem]:>9.2f} "
              f"{r['wall_s']:>8.1f} {r['wall_s'] / n:>7.3f} {r['events_on_disk_mb']:>8.0f}"
              f"   (measured {time.strftime('%H:%M', time.gmtime(t0))} UTC)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
