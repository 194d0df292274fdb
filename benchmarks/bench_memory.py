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

Usage: python benchmarks/bench_memory.py [--synthetic 100,1000,10000] [--mangkhut 1000] [--watch 60]
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
from sim.console import main  # the console script: set up as `jmsim` is
t = time.perf_counter()
rc = main(sys.argv[1:])
wall = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print("BENCH " + json.dumps({"rc": rc, "wall_s": wall, "rss_mb": me.ru_maxrss / 1024,
      "cpu_self_s": me.ru_utime + me.ru_stime, "cpu_workers_s": kids.ru_utime + kids.ru_stime}),
      file=sys.stderr)
"""


def _progress(pid: int, out: Path, runs: int) -> None:
    """Peak RSS so far of the batch process (VmHWM) against runs done, while it runs.

    Shows whether memory grows with runs inside one long batch (and gives the
    curve even if a long batch has to be stopped).
    """
    try:
        hwm = [ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines()
               if ln.startswith(("VmHWM", "VmRSS"))]  # fmt: skip
    except OSError:
        return
    done = len(list((out / ".parts").glob("run-*.parquet"))) if (out / ".parts").is_dir() else 0
    kb = {ln.split(":")[0]: int(ln.split()[1]) for ln in hwm}
    print(f"  ... {time.strftime('%H:%M:%S', time.gmtime())} UTC  {done:>6}/{runs} runs done  "
          f"RSS {kb.get('VmRSS', 0) / 1024:.0f} MB  peak so far {kb.get('VmHWM', 0) / 1024:.0f} MB",
          flush=True)  # fmt: skip


def measure(scenario: Path, runs: int, workers: int, events: str, watch: float = 0.0) -> dict:
    """One batch in a fresh process: its peak RSS (MB) and wall time (s).

    `watch` > 0 prints the peak so far against runs done every `watch` seconds.
    """
    last = [time.time()]
    with tempfile.TemporaryDirectory(prefix="jmsim-mem-") as d:
        cmd = [sys.executable, "-c", _CHILD, "run", str(scenario), "--runs", str(runs),
               "--seed", "1", "--workers", str(workers), "--out", str(Path(d) / "o"),
               "--no-report", "--no-progress"]  # fmt: skip
        if events != "all":  # (the default; older jmsim, run for comparison, lacks the flag)
            cmd += ["--events", events]
        with tempfile.TemporaryFile("w+") as err:
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, text=True)
            while p.poll() is None:
                time.sleep(1.0)
                if watch and time.time() - last[0] >= watch:
                    last[0] = time.time()
                    _progress(p.pid, Path(d) / "o", runs)
            err.seek(0)
            stderr = err.read()
        if p.returncode != 0:
            raise SystemExit(stderr[-2000:])
        line = [ln for ln in stderr.splitlines() if ln.startswith("BENCH ")][-1]
        out = json.loads(line[6:])
        if out["rc"]:  # jmsim reported an error: its peak RSS would not be the batch's
            raise SystemExit(f"{scenario.name} --runs {runs}: exit {out['rc']}\n{stderr[-2000:]}")
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
    ap.add_argument("--mangkhut-file", default=str(MANGKHUT), help="another Mangkhut variant")
    ap.add_argument("--watch", type=float, default=0.0, help="progress every N s (0: off)")
    a = ap.parse_args()
    plan = [(SYNTHETIC, int(n)) for n in a.synthetic.split(",") if n]
    plan += [(Path(a.mangkhut_file), int(n)) for n in a.mangkhut.split(",") if n]
    base: dict[str, float] = {}
    print(f"{'scenario':<22} {'runs':>6} {'peak RSS MB':>12} {'vs first':>9} {'wall s':>8} "
          f"{'s/run':>7} {'disk MB':>8}")  # fmt: skip
    for scen, n in plan:
        t0 = time.time()
        r = measure(scen, n, a.workers, a.events, a.watch)
        base.setdefault(scen.stem, r["rss_mb"])
        print(f"{scen.stem:<22} {n:>6} {r['rss_mb']:>12.0f} {r['rss_mb'] / base[scen.stem]:>9.2f} "
              f"{r['wall_s']:>8.1f} {r['wall_s'] / n:>7.3f} {r['events_on_disk_mb']:>8.0f}"
              f"   (measured {time.strftime('%H:%M', time.gmtime(t0))} UTC)", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
