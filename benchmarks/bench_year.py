"""`jmsim year`: wall time of N simulated years on W local workers (every event run).

Runs the command as its user would (`jmsim year scenarios/jiangmen_year.yaml --years N
--seed S --workers W --out DIR --no-report`) in a fresh temporary directory, and
prints the wall time, the number of runs per event class (from manifest.json) and
the seconds per simulated year. Machine load from other processes lengthens the
time; the load average is printed alongside.

Usage: python benchmarks/bench_year.py [--years 200] [--workers 2] [--seed 1] [--pool K]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Time one `jmsim year` invocation."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pool", type=int)
    ap.add_argument("--out", help="keep the outputs here (default: a temporary directory)")
    a = ap.parse_args()
    out = Path(a.out) if a.out else Path(tempfile.mkdtemp(prefix="jmsim-year-")) / "out"
    cmd = [str(Path(sys.executable).parent / "jmsim"), "year", str(ROOT / "scenarios/jiangmen_year.yaml"),
           "--years", str(a.years), "--seed", str(a.seed), "--workers", str(a.workers),
           "--out", str(out), "--no-report", "--no-progress"]  # fmt: skip
    if a.pool:
        cmd += ["--pool", str(a.pool)]
    load0 = os.getloadavg()[0]
    t = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    man = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    runs = man["runs_per_class"]
    print(f"years {a.years}, workers {a.workers}, pool {a.pool or 'none (every event run)'}")
    print(f"runs per class: {runs} (total {sum(runs.values())})")
    print(f"wall {wall:.1f} s = {wall / a.years:.2f} s per simulated year; load average "
          f"{load0:.1f} → {os.getloadavg()[0]:.1f}; outputs in {out}")  # fmt: skip


if __name__ == "__main__":
    main()
