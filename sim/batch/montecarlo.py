"""A Monte Carlo batch: sample, run, merge, score, and write the evidence.

Run k uses engine seed `seed + k` and row k of a Latin hypercube design
seeded by `seed`; so the whole batch is a function of (scenario, seed, runs,
varied fields). Results are merged in run order whatever executed them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from sim.batch.executor import BatchSpec, RunJob, RunOutput, context_for, execute
from sim.batch.store import BatchStore, write_table
from sim.batch.uncertainty import UncertainScenario
from sim.output import atomic_write_csv, atomic_write_json

PACKAGES = (
    "jmsim",
    "mesa",
    "simpy",
    "numpy",
    "pandas",
    "pyarrow",
    "scipy",
    "pydantic",
    "dask",
    "distributed",
    "ema_workbench",
    "SALib",
)


@dataclass
class BatchResult:
    """A finished batch: per-run table, all events, scorecard and bookkeeping."""

    us: UncertainScenario
    scenario: Any
    world: Any
    runs: pd.DataFrame
    events: pd.DataFrame
    scorecard: pd.DataFrame
    year: int
    validity: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    executed: int = 0
    status: str = "new"


def package_versions() -> dict[str, str]:
    """Installed versions of the packages a result depends on."""
    out = {}
    for p in PACKAGES:
        try:
            out[p] = version(p)
        except PackageNotFoundError:
            continue
    return out


def design(
    us: UncertainScenario,
    runs: int,
    seed: int,
    columns: list[str] | None = None,
    table: pd.DataFrame | None = None,
    common_seed: bool = False,
):
    """The jobs of a batch: engine seeds and input rows (Latin hypercube unless `table`).

    `common_seed` gives every run the same engine seed (one hazard realisation for
    all input rows, as a variance-based sensitivity analysis needs); run ids then
    carry the run index to stay unique.
    """
    if table is None:
        table = us.space.sample(runs, seed, columns)
    sid = us.nominal_data.get("scenario", {}).get("id", "scenario")
    return [
        RunJob(
            k,
            seed if common_seed else seed + k,
            {c: table.iat[k, j] for j, c in enumerate(table.columns)},
            f"{sid}#r{k}s{seed}" if common_seed else None,
        )
        for k in range(runs)
    ]


def identity(
    us: UncertainScenario,
    runs: int,
    seed: int,
    columns: list[str] | None,
    table: pd.DataFrame | None = None,
    common_seed: bool = False,
) -> dict:
    """What makes two batches the same batch (checked by --resume)."""
    given = (
        hashlib.sha256(table.to_json(orient="split", double_precision=15).encode()).hexdigest()
        if table is not None
        else None
    )
    return {
        "design": "given table " + given if given else "latin hypercube",
        "engine_seeds": "common" if common_seed else "seed + run",
        "scenario_sha256": us.sha256,
        "runs": runs,
        "seed": seed,
        "uncertain": [
            {"path": n.path, "dist": n.dist.kind, **n.dist.params} for n in us.space.nodes
        ],
        "lhs_columns": columns or us.space.paths,
    }


def run_batch(
    us: UncertainScenario,
    *,
    runs: int,
    seed: int,
    out: Path | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    force: bool = False,
    year: int | None = None,
    progress: bool | None = None,
    columns: list[str] | None = None,
    report: bool = True,
    command: list[str] | None = None,
    table: pd.DataFrame | None = None,
    common_seed: bool = False,
) -> BatchResult:
    """Run the batch (resuming in `out` if asked) and write its outputs to `out`."""
    from sim.run import load_world

    if runs < 1:
        raise ValueError(f"--runs must be at least 1; got {runs}")
    if workers < 1:
        raise ValueError(f"--workers must be at least 1; got {workers}")
    nominal = us.nominal()
    year = year or nominal.indicators.year
    spec = BatchSpec(us.text, us.name, str(us.base_dir) if us.base_dir else None, us.vary)
    if table is not None:
        runs = len(table)
    jobs = design(us, runs, seed, columns, table, common_seed)
    ident = identity(us, runs, seed, columns, table, common_seed)
    store = BatchStore(out) if out is not None else None
    created = out is not None and not (out.exists() and any(out.iterdir()))
    status = store.open(ident, resume=resume, force=force) if store else "new"
    if status == "complete":
        return _load_complete(us, nominal, out, year, status)
    memory: dict[int, RunOutput] = {}
    done = store.done() if store else set()
    pending = [j for j in jobs if j.index not in done]
    sink = store.write if store else (lambda r: memory.__setitem__(r.index, r))
    t0 = time.perf_counter()
    local = workers <= 1 and not scheduler
    # The parent needs the world too (static indicators, report): load it while workers run.
    loader = None if local else ThreadPoolExecutor(1).submit(load_world, nominal)
    try:
        execute(spec, pending, sink, workers=workers, scheduler=scheduler, progress=progress)
    except BaseException:
        if store and created and not store.done():
            shutil.rmtree(out, ignore_errors=True)  # nothing finished: leave no directory
        raise
    wall = time.perf_counter() - t0
    outputs = [store.read(k) if store else memory[k] for k in range(runs)]
    world = context_for(spec).world if local else loader.result()
    result = merge(us, nominal, world, outputs, year)
    result.wall_s, result.executed, result.status = wall, len(pending), status
    if out is not None:
        write_outputs(result, out, ident, spec, workers, scheduler, command, report)
        store.finish()
    return result


def merge(us, nominal, world, outputs: list[RunOutput], year: int) -> BatchResult:
    """Per-run table, pooled events and the scorecard from run outputs in run order."""
    from sim.batch.outcomes import dynamic_indicators, outcomes_by_run, pooled_samples
    from sim.indicators.scorecard import build_scorecard

    runs = pd.DataFrame([o.row for o in outputs])
    events = pd.concat([o.events for o in outputs], ignore_index=True)
    inds = dynamic_indicators(nominal)
    samples = pooled_samples(events, inds)
    outcomes = outcomes_by_run(samples, inds, list(runs["run_id"]))
    at = runs.columns.get_loc("events")
    runs = pd.concat([runs.iloc[:, :at], outcomes, runs.iloc[:, at:]], axis=1)
    card = build_scorecard(nominal, events, world, year, samples=samples)
    validity = sorted({v for o in outputs for v in o.validity})
    return BatchResult(us, nominal, world, runs, events, card, year, validity)


def _load_complete(us, nominal, out: Path, year: int, status: str) -> BatchResult:
    from sim.run import load_world

    runs = pd.read_parquet(out / "runs.parquet")
    events = pd.read_parquet(out / "events.parquet")
    card = pd.read_csv(out / "scorecard.csv")
    from sim.indicators.scorecard import TEXT_COLUMNS

    for c in TEXT_COLUMNS:
        card[c] = card[c].fillna("").astype(str)  # CSV gives NaN for empty text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    world = load_world(nominal)
    if manifest.get("year") != year:  # other targets asked for: score again, files unchanged
        from sim.indicators.scorecard import build_scorecard

        card = build_scorecard(nominal, events, world, year)
    return BatchResult(
        us, nominal, world, runs, events, card, year, manifest.get("validity", []), status=status
    )


def write_outputs(
    res: BatchResult,
    out: Path,
    ident: dict,
    spec: BatchSpec,
    workers: int,
    scheduler: str | None,
    command: list[str] | None,
    report: bool,
) -> None:
    """scorecard.csv/json, runs.parquet, events.parquet, manifest.json, report.html (atomic)."""
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_csv(res.scorecard, out / "scorecard.csv")
    from sim.indicators.scorecard import scorecard_json

    atomic_write_json(
        out / "scorecard.json", scorecard_json(res.scorecard, res.scenario.scenario.id)
    )
    write_table(res.runs, out / "runs.parquet")
    write_table(res.events, out / "events.parquet")
    manifest = {
        "identity": ident,
        "scenario": res.us.name,
        "scenario_sha256": res.us.sha256,
        "seeds": [int(s) for s in res.runs["seed"]],
        "lhs_seed": ident["seed"],
        "year": res.year,
        "events_sha256": dict(zip(res.runs["run_id"], res.runs["events_sha256"], strict=True)),
        "runs_parquet_sha256": hashlib.sha256((out / "runs.parquet").read_bytes()).hexdigest(),
        "command": command if command is not None else sys.argv,
        "executor": {"workers": workers, "scheduler": scheduler, "vary": list(spec.vary)},
        "versions": package_versions(),
        "python": sys.version.split()[0],
        "validity": res.validity,
        "wall_s_this_invocation": round(res.wall_s, 3),
        "runs_executed_this_invocation": res.executed,
    }
    atomic_write_json(out / "manifest.json", manifest)
    model = None
    if report:
        from sim.batch.report import write_report

        model = write_report(res, out / "report.html")
    write_hazard_figures(res, out, model)


def write_hazard_figures(res: BatchResult, out: Path, model=None) -> list[Path]:
    """Let the hazard draw its own figures (optional `write_figures` hook), atomically.

    Uses the report's re-run of the typical run, or re-runs the first run.
    """
    import os
    import tempfile

    from sim.batch.report import rebuild

    if model is None:
        from sim.hazards.registry import get_plugin
        from sim.rng import SeedStreams

        first = res.runs.iloc[0]
        probe = get_plugin(res.scenario.scenario.hazard).build(
            res.scenario, res.world, SeedStreams.from_seed(int(first["seed"]))
        )
        if not hasattr(probe, "write_figures"):
            return []
        model = rebuild(res, 0)
        model.run()
    if not hasattr(model.hazard, "write_figures"):
        return []
    stage = Path(tempfile.mkdtemp(prefix=".figures.", dir=out))
    try:
        written = [Path(p) for p in model.hazard.write_figures(stage)]
        final = []
        for p in written:
            os.replace(p, out / p.name)
            final.append(out / p.name)
        return final
    finally:
        shutil.rmtree(stage, ignore_errors=True)
