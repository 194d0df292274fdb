"""Command-line handlers for `jmsim run` (batches), `jmsim sweep` and `jmsim compare`.

`sim/cli.py` keeps only thin hooks into this module so that several engineers
can extend the CLI without editing the same lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli_args import RUNS, SAMPLES, SEED, WORKERS, help_for, number


def add_batch_options(p: argparse.ArgumentParser, *, runs: bool = True) -> None:
    """Options shared by run, sweep and compare (workers, cluster, output, resume)."""
    p.add_argument(
        "--seed", type=SEED, help=help_for("first engine seed (run k uses seed+k)", SEED)
    )
    if runs:
        p.add_argument(
            "--runs", type=RUNS, help=help_for("number of runs (default: the scenario's)", RUNS)
        )
    p.add_argument(
        "--workers", type=WORKERS, default=1, help=help_for("local worker processes", WORKERS)
    )
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--out", help="output directory")
    p.add_argument("--year", type=int, choices=(2023, 2025), help="target year")
    p.add_argument("--resume", action="store_true", help="continue a killed batch in --out")
    p.add_argument("--force", action="store_true", help="replace an existing output directory")
    p.add_argument("--no-report", action="store_true", help="skip report.html")
    p.add_argument("--events", choices=("all", "sample", "none"), default="all",
                   help="which runs' events to write to DIR/events.parquet/ (one file per run): "
                   "all, an evenly spaced sample of about 100 runs, or none")  # fmt: skip
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: only when output is a terminal)")  # fmt: skip


def add_run_options(r: argparse.ArgumentParser) -> None:
    """Extra `jmsim run` options for batches (on top of --seed/--runs/--out/--year/--force)."""
    r.add_argument(
        "--workers", type=WORKERS, default=1, help=help_for("local worker processes", WORKERS)
    )
    r.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    r.add_argument("--resume", action="store_true", help="continue a killed batch in --out")
    r.add_argument("--no-report", action="store_true", help="skip report.html")
    r.add_argument("--events", choices=("all", "sample", "none"), default="all",
                   help="which runs' events to write to DIR/events.parquet/ (one file per run): "
                   "all, an evenly spaced sample of about 100 runs, or none")  # fmt: skip
    r.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: only when output is a terminal)")  # fmt: skip


def add_subcommands(sub) -> None:
    """Register `sweep` and `compare` on the top-level subparsers."""
    s = sub.add_parser("sweep", help="stress test: vary fields over ranges, find failure regions")
    s.add_argument("scenario")
    s.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="PATH=LOW..HIGH",
        help="field range (repeatable), e.g. plan.units[boat].count=2..8; PATH=a,b,c for choices",
    )
    s.add_argument(
        "--samples",
        type=SAMPLES,
        default=64,
        help=help_for("experiments (Latin hypercube)", SAMPLES),
    )
    s.add_argument(
        "--indicator", help="indicator for scenario discovery (default: first with data)"
    )
    s.add_argument("--threshold", type=number(float), help="failure if the outcome is worse than this "
                   "(default: the indicator's target)")  # fmt: skip
    s.add_argument(
        "--sobol",
        type=SAMPLES,
        metavar="N",
        help=help_for("also run a SALib Sobol analysis, N base samples", SAMPLES),
    )
    add_batch_options(s, runs=False)
    s.set_defaults(fn=cmd_sweep)

    c = sub.add_parser("compare", help="compare two plans on the same hazard realisations")
    c.add_argument("a")
    c.add_argument("b")
    add_batch_options(c)
    c.set_defaults(fn=cmd_compare)
    add_year_command(sub)


def cmd_run(a: argparse.Namespace) -> int:
    """`jmsim run`: one or many runs, scorecard printed, evidence written to --out."""
    from sim.batch.uncertainty import UncertainScenario

    if getattr(a, "resume", False) and not a.out:
        raise ValueError("--resume needs --out DIR (the directory of the batch to continue)")
    us = UncertainScenario.load(a.scenario)  # a bad file fails here, before the heavy imports
    from sim.batch.montecarlo import run_batch
    from sim.indicators.scorecard import format_scorecard

    nominal = us.nominal()
    seed = nominal.run.seed if a.seed is None else a.seed
    runs = nominal.run.runs if a.runs is None else a.runs
    out = Path(a.out) if a.out else None
    res = run_batch(
        us,
        runs=runs,
        seed=seed,
        out=out,
        workers=getattr(a, "workers", 1) or 1,
        scheduler=getattr(a, "scheduler", None),
        resume=getattr(a, "resume", False),
        force=a.force,
        year=a.year,
        progress=getattr(a, "progress", None),
        report=not getattr(a, "no_report", False),
        events=getattr(a, "events", "all"),
    )
    sc = nominal.scenario
    print(f"# {sc.title}  [{sc.id}]  runs={runs} seeds={seed}..{seed + runs - 1}")
    if us.space.nodes:
        print(f"# uncertain inputs (Latin hypercube): {', '.join(us.space.paths)}")
    for v in res.validity:
        print(f"! model limit: {v}")
    print(format_scorecard(res.scorecard))
    if res.status == "complete":
        print(f"# batch in {out}/ was already complete; nothing re-run")
    else:
        done = (
            ""
            if res.status == "new"
            else f" (resumed: {res.executed} runs executed, {runs - res.executed} kept)"
        )
        print(f"# {int(res.runs['events'].sum())} events in {res.wall_s:.2f} s{done}")
    if out is not None:
        print(f"# results written to {out}/")
    return 0


def cmd_sweep(a: argparse.Namespace) -> int:
    """`jmsim sweep`: experiments over field ranges, then PRIM scenario discovery."""
    from sim.batch.sweep import run_sweep

    if a.resume and not a.out:
        raise ValueError("--resume needs --out DIR (the directory of the sweep to continue)")
    return run_sweep(a)


def cmd_compare(a: argparse.Namespace) -> int:
    """`jmsim compare`: paired comparison of plan A and plan B with common random numbers."""
    from sim.batch.compare import run_compare

    if a.resume and not a.out:
        raise ValueError("--resume needs --out DIR (the directory of the comparison to continue)")
    return run_compare(a)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use `jmsim run|sweep|compare`")


YEARS = number(int, 1, 100_000, "simulated years")


def add_year_command(sub) -> None:
    """Register `jmsim year` (the runner and its pandas stack load only when it runs)."""
    y = sub.add_parser("year", help="simulate whole years from cited event frequencies")
    y.add_argument("year_set", help="year set file, e.g. scenarios/jiangmen_year.yaml")
    y.add_argument("--years", type=YEARS, required=True, help=help_for("years to simulate", YEARS))
    y.add_argument("--seed", type=SEED, help=help_for("seed of the draws and runs", SEED))
    y.add_argument(
        "--workers", type=WORKERS, default=1, help=help_for("local worker processes", WORKERS)
    )
    y.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    y.add_argument("--out", help="output directory (created; see --force and --resume)")
    y.add_argument("--year", type=int, choices=(2023, 2025), help="target year")
    y.add_argument(
        "--pool", type=RUNS, help=help_for("at most K runs per event class, reused by draws", RUNS)
    )
    y.add_argument("--resume", action="store_true", help="continue an interrupted set in --out")
    y.add_argument(
        "--force", action="store_true", help="replace an earlier jmsim year output in --out"
    )
    y.add_argument("--no-report", action="store_true", help="skip report.html")
    y.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bar (default: only when output is a terminal)")  # fmt: skip
    y.set_defaults(fn=_run_year)


def _run_year(a: argparse.Namespace) -> int:
    from sim.batch.year import run_year

    return run_year(a)


BUDGET = number(float, 0, 1e13, "CNY")
CHANGES = number(int, 1, 50, "changes")


def add_advise(sub) -> None:
    """Register `jmsim advise` (its runner loads only when it runs)."""
    p = sub.add_parser("advise", help="search plan changes that make failing rows pass")
    p.add_argument("scenario")
    p.add_argument(
        "--budget", type=BUDGET, help=help_for("most the changes may cost (CNY)", BUDGET)
    )
    p.add_argument(
        "--runs", type=RUNS, help=help_for("runs per evaluated plan (default max(4, file's))", RUNS)
    )
    p.add_argument(
        "--workers", type=WORKERS, default=1, help=help_for("local worker processes", WORKERS)
    )
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786")
    p.add_argument(
        "--seed", type=SEED, help=help_for("first seed (confirmation uses seed + 10000)", SEED)
    )
    p.add_argument("--year", type=int, choices=(2023, 2025), help="target year")
    p.add_argument("--out", help="output directory (default ./advice)")
    p.add_argument(
        "--max-changes", type=CHANGES, default=4, help=help_for("most changes in the plan", CHANGES)
    )
    p.add_argument("--only", help="regex: evaluate only candidates whose key matches")
    p.set_defaults(fn=_run_advise)


def _run_advise(a: argparse.Namespace) -> int:
    from sim.batch.advise import cmd_advise

    return cmd_advise(a)
