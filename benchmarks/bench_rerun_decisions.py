"""rerun-decisions wall time with 1 and 2 worker processes (and optionally Dask), side by side.

Plays the scripted chlorine wind-shift drill (tests/fixtures/drills/chlorine_ws1_reissue.yaml)
headless, then times `rerun_decisions` (each seed run with and without the trainee
commands) on 1 and 2 local workers, interleaved over `REPEATS` rounds (order alternates);
prints wall times, the 2-worker / 1-worker time ratio per round and their medians.
With `--dask`, a local Dask cluster of 2 single-threaded worker processes is timed in
the same rounds. `--blas-default` leaves OpenBLAS on its default thread count in the
1-worker run (the behaviour before `sim/threads.py`), for comparison.

Usage: .venv/bin/python benchmarks/bench_rerun_decisions.py [RUNS] [REPEATS] [--dask] [--blas-default]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _spin(n: int) -> int:
    s = 0
    for i in range(n):
        s += i
    return s


def calibrate(n: int = 20_000_000) -> float:
    """Wall time of the same pure-Python work in 2 forked processes / in 1 (ideal: 0.5).

    On a shared box the kernel's autogroup gives each session a fixed CPU share, so even
    this perfectly parallel job gains nothing when the box is full; the rerun ratio is
    read against this one, measured in the same round.
    """
    import multiprocessing as mp

    t0 = time.perf_counter()
    _spin(n)
    t1 = time.perf_counter() - t0
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(2) as p:
        p.map(_spin, [n // 2, n // 2])
    return (time.perf_counter() - t0) / t1


def _children_cpu() -> list[float]:
    """CPU seconds of each live child process (the local workers), from /proc (Linux)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            f = (d / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(f[1]) == os.getpid():  # field 4 (ppid) after the command name
            out.append((int(f[11]) + int(f[12])) / tick)  # utime + stime
    return out


def _cpu() -> float:
    """CPU seconds of this process and its finished children (local workers; not Dask's)."""
    import resource

    a, b = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def main(runs: int = 20, repeats: int = 3, dask: bool = False, blas_default: bool = False) -> None:
    """Print the timing table."""
    import viz.rerun as rr
    from viz.record import DrillRecord
    from viz.script import load_actions, run_script

    scen = ROOT / "scenarios/chemical/chlorine_zhuxi_windshift.yaml"
    s = run_script(scen, load_actions(ROOT / "tests/fixtures/drills/chlorine_ws1_reissue.yaml"))
    f = DrillRecord.from_session(s, scen).save(Path(tempfile.mkdtemp()) / "bench.drill.json")
    if blas_default:  # the old behaviour: no BLAS thread limit in this process
        import contextlib

        rr.single_blas_thread = contextlib.nullcontext
    cluster = None
    if dask:
        from distributed import LocalCluster

        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    modes = ["1", "2"] + (["dask2"] if dask else [])
    rows = []
    tables = {}
    for k in range(repeats):
        t, cpu = {}, {}
        for m in modes if k % 2 == 0 else modes[::-1]:
            c0 = _cpu()
            t0 = time.perf_counter()
            if m == "dask2":
                tables[m], _ = rr.rerun_decisions(f, runs, scheduler=cluster.scheduler_address)
            else:
                seen: list[float] = []

                def progress(k: int, n: int, seen: list[float] = seen) -> None:
                    if k == n:  # last seed back: the workers are still alive
                        seen[:] = _children_cpu()

                tables[m], _ = rr.rerun_decisions(f, runs, workers=int(m), progress=progress)
            t[m] = time.perf_counter() - t0
            cpu[m] = _cpu() - c0
            if m == "2":  # CPU-time critical path: what 2 idle cores would take
                t["2_idle"] = max(max(seen, default=0.0), cpu[m] / 2)
            if m == "1":
                t["1_idle"] = cpu[m]
        t["ideal"] = calibrate()
        rows.append(t)
        line = ", ".join(
            f"{m} {t[m]:.1f} s" + (f" (CPU {cpu[m]:.1f} s)" if m != "dask2" else "") for m in modes
        )
        print(
            f"round {k + 1}: {line}; 2 workers / 1 worker {t['2'] / t['1']:.2f} "
            f"(a perfectly parallel busy loop, same round: {t['ideal']:.2f}); CPU critical path "
            f"2 / 1: {t['2_idle'] / t['1_idle']:.2f}",
            flush=True,
        )
    cols = ["id", "met", "est_diff", "actual_percentile"]
    same = all(tables[m][cols].round(9).equals(tables["1"][cols].round(9)) for m in modes)
    med = {m: statistics.median(r[m] for r in rows) for m in modes}
    ratio = statistics.median(r["2"] / r["1"] for r in rows)
    print(
        f"{runs} reruns x 2 (with / without commands) + the actual drill: median "
        + ", ".join(f"{m} {med[m]:.1f} s" for m in modes)
        + f"; median time ratio 2 workers / 1 worker {ratio:.2f} (speed-up {1 / ratio:.2f}x)"
        + f"; busy-loop calibration {statistics.median(r['ideal'] for r in rows):.2f}"
        + "; CPU critical path 2 / 1 (idle-box estimate) "
        + f"{statistics.median(r['2_idle'] / r['1_idle'] for r in rows):.2f}"
        + (
            f"; Dask 2 / local 2 {statistics.median(r['dask2'] / r['2'] for r in rows):.2f}"
            if dask
            else ""
        )
        + f"; tables identical: {same}"
    )
    if cluster is not None:
        cluster.close()


if __name__ == "__main__":
    nums = [int(a) for a in sys.argv[1:] if not a.startswith("--")]
    main(*nums[:2], dask="--dask" in sys.argv, blas_default="--blas-default" in sys.argv)
