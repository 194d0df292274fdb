"""Dask executor overhead against local processes on the same runs (issue #15 item 5).

A real `dask scheduler` and two `dask worker --nthreads 1` processes on loopback,
against `--workers 2` local processes; the same 40 runs of the 古兜山 fire
(`scenarios/forestfire/gudoushan_dry_season.yaml`), same seeds, outputs written
(`run_batch(..., out=DIR, report=False)`). The two are timed alternately, R times,
in one invocation (so machine load hits both alike); each timing is a whole batch
call, start-up included (local: spawning 2 processes that load the world; Dask:
registering the world plugin, which workers then keep). Reported: medians, the
ratio Dask / local, and the overhead per run relative to the mean run time
(T_dask − T_local) / T_local. Results are checked identical (events digests).

Usage: python benchmarks/bench_dask.py [--runs 40] [--repeats 3]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.batch.montecarlo import run_batch
from sim.batch.uncertainty import UncertainScenario

ROOT = Path(__file__).resolve().parents[1]
FIRE = ROOT / "scenarios/forestfire/gudoushan_dry_season.yaml"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cluster(n: int = 2) -> tuple[str, list[subprocess.Popen]]:
    """A real scheduler and `n` single-threaded workers on loopback."""
    from distributed import Client

    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "dask"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], **quiet)]  # fmt: skip
    time.sleep(1.0)
    for _ in range(n):
        procs.append(subprocess.Popen([*dask, "worker", addr, "--nthreads", "1",
                                       "--no-dashboard", "--memory-limit", "0"], **quiet))  # fmt: skip
    with Client(addr, timeout="30s") as c:
        c.wait_for_workers(n, timeout=120)
    return addr, procs


def timed(us, runs: int, **kw) -> tuple[float, list[str]]:
    with tempfile.TemporaryDirectory(prefix="jmsim-dask-") as d:
        t = time.perf_counter()
        res = run_batch(us, runs=runs, seed=1, out=Path(d) / "o", report=False, **kw)
        return time.perf_counter() - t, list(res.runs["events_sha256"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    us = UncertainScenario.load(FIRE)
    one, _ = timed(us, 4, workers=1)  # in-process, for the mean run time
    addr, procs = cluster(2)
    local, dask = [], []
    try:
        for r in range(a.repeats):
            tl, dl = timed(us, a.runs, workers=2)
            td, dd = timed(us, a.runs, scheduler=addr)
            assert dl == dd, "Dask and local results differ"
            local.append(tl)
            dask.append(td)
            print(f"repeat {r + 1}: local 2 processes {tl:.2f} s, dask 2 workers {td:.2f} s, "
                  f"ratio {td / tl:.3f}", flush=True)  # fmt: skip
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            p.wait(timeout=30)
    ml, md = statistics.median(local), statistics.median(dask)
    print(f"mean run time in process (4 runs): {one / 4:.3f} s")
    print(f"median of {a.repeats}: local {ml:.2f} s, dask {md:.2f} s, dask/local {md / ml:.3f}, "
          f"overhead per run {(md - ml) / a.runs:+.3f} s ({(md - ml) / ml:+.1%} of local)")  # fmt: skip


if __name__ == "__main__":
    main()
