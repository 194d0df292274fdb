"""Benchmark: `jmsim calc erlang-check` against the same M/M/c queue in ciw, CPU incl. start-up.

Run:  .venv/bin/python benchmarks/bench_erlang_vs_ciw.py [--ciw-python .ciwvenv/bin/python]
      [--hours 2000] [--repeats 3]

ciw (a pure-Python DES library for queueing networks) lives in its own venv so
that jmsim's dependencies do not change:
``python3.12 -m venv .ciwvenv && .ciwvenv/bin/pip install ciw``.

Each side is a fresh process, exactly as a user runs it (jmsim: its console
script; ciw: ``benchmarks/ciw_mmc.py``), so the CPU time includes interpreter
start-up, imports, the simulation, the analysis and the exit. CPU time is
user + system of the finished child (``resource.getrusage(RUSAGE_CHILDREN)``
before/after). Both queues run the same hours with a 5 % warm-up and report
the mean queue wait; the two sides alternate (jmsim, ciw, jmsim, ...) so noise
on this shared machine hits both alike, and the table gives the median of the
repeats and the ratio of medians.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = [(4.0, 1.0, 5), (8.0, 1.5, 6)]  # (λ per h, μ per h, servers): issue #15


def child_cpu(cmd: list[str]) -> tuple[float, dict]:
    """Run `cmd`, return (user+sys CPU seconds of the child, its JSON output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, json.loads(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ciw-python", default=str(ROOT / ".ciwvenv" / "bin" / "python"))
    ap.add_argument("--hours", type=float, nargs="+", default=[2000.0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    jmsim = str(Path(sys.executable).parent / "jmsim")
    ciw_v = subprocess.run(
        [args.ciw_python, "-c", "import ciw; print(ciw.__version__)"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    print(f"ciw {ciw_v}; python {sys.version.split()[0]}; {args.repeats} interleaved repeats")
    print()
    print(
        "| λ/h | μ/h | c | hours | customers (jmsim / ciw) | jmsim CPU s | ciw CPU s "
        "| **jmsim / ciw** | Wq h: jmsim / ciw / Erlang C |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    worst = 0.0
    for hours in args.hours:
        for lam, mu, c in CASES:
            q = [
                f"--arrivals-per-h={lam:g}",
                f"--service-per-h={mu:g}",
                f"--servers={c}",
                f"--hours={hours:g}",
                f"--seed={args.seed}",
            ]
            j_cpu, c_cpu = [], []
            for _ in range(args.repeats):
                t, jres = child_cpu([jmsim, "calc", "erlang-check", *q, "--json"])
                j_cpu.append(t)
                t, cres = child_cpu([args.ciw_python, str(ROOT / "benchmarks" / "ciw_mmc.py"), *q])
                c_cpu.append(t)
            jm, cm = statistics.median(j_cpu), statistics.median(c_cpu)
            worst = max(worst, jm / cm)
            print(
                f"| {lam:g} | {mu:g} | {c} | {hours:g} | {jres['incidents']} / {cres['incidents']} "
                f"| {jm:.3f} | {cm:.3f} | **{jm / cm:.2f}** "
                f"| {jres['sim_wq_h']:.3f} / {cres['sim_wq_h']:.3f} / {jres['erlang_wq_h']:.3f} |"
            )
    print()
    verdict = "meets" if worst <= 1.0 else "does NOT meet"
    print(f"worst jmsim / ciw CPU ratio {worst:.2f}: {verdict} the <= 1.0 target (issue #15)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
