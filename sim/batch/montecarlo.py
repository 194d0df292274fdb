"""A Monte Carlo batch: sample, run, merge, score, and write the evidence.

Run k uses engine seed `seed + k` and row k of a Latin hypercube design
seeded by `seed`; so the whole batch is a function of (scenario, seed, runs,
varied fields). Results are merged in run order whatever executed them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pandas as pd

from sim.batch.aggregate import Pool, RunSummary
from sim.batch.eventset import EVENT_MODES, EventSet, keeps_events, run_file
from sim.batch.executor import BatchSpec, RunJob, context_for, execute
from sim.batch.outcomes import dynamic_indicators
from sim.batch.store import BatchStore, write_table
from sim.batch.uncertainty import UncertainScenario
from sim.errors import JmsimError
from sim.output import atomic_write_csv, atomic_write_json

#: Staging folder of the final outputs inside a batch directory.
STAGE = ".final.tmp"

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
    """A finished batch: per-run table, its events (lazy, on disk), scorecard, bookkeeping."""

    us: UncertainScenario
    scenario: Any
    world: Any
    runs: pd.DataFrame
    events: EventSet
    scorecard: pd.DataFrame
    year: int
    validity: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    executed: int = 0
    status: str = "new"
    events_mode: str = "all"
    pool: Pool | None = field(default=None, repr=False)


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
    events: str = "all",
) -> BatchResult:
    """Run the batch (resuming in `out` if asked) and write its outputs to `out`.

    Workers reduce each run to its row and indicator samples and write its
    events to disk (`events`: all, a sample of runs, or none); this process
    pools the reductions in run order and never holds the events of all runs.
    """
    from sim.run import load_world

    if runs < 1:
        raise ValueError(f"--runs must be at least 1; got {runs}")
    if workers < 1:
        raise ValueError(f"--workers must be at least 1; got {workers}")
    if events not in EVENT_MODES:
        raise ValueError(f"--events {events!r}; expected one of {', '.join(EVENT_MODES)}")
    nominal = us.nominal()
    year = year or nominal.indicators.year
    spec = BatchSpec(us.text, us.name, str(us.base_dir) if us.base_dir else None, us.vary)
    if table is not None:
        runs = len(table)
    jobs = design(us, runs, seed, columns, table, common_seed)
    ident = identity(us, runs, seed, columns, table, common_seed)
    store = BatchStore(out) if out is not None else None
    existed = out is not None and out.exists()
    created = out is not None and not (existed and out.is_dir() and any(out.iterdir()))
    protect = [Path(us.name)] if Path(us.name).exists() else []
    try:
        status = store.open(ident, resume=resume, force=force, protect=protect) if store else "new"
    except OSError as e:
        raise JmsimError(f"--out {out}: cannot write ({e.strerror or e})") from None
    if status == "complete":
        return _load_complete(us, nominal, out, year, status)
    keep = lambda k: store is not None and keeps_events(events, k, runs)  # noqa: E731
    if store and status == "resumed":
        store.check_parts(keep)
    done = store.done() if store else set()
    pending = [
        replace(j, events_path=str(run_file(store.events_dir, j.index)) if keep(j.index) else None)
        for j in jobs
        if j.index not in done
    ]
    # pooled per-item samples spill next to the run parts (removed with them)
    pool = Pool(dynamic_indicators(nominal), store.parts if store else None)
    # pooled while the runs execute, so little is left to do after the last one
    feed = _InOrder(pool, store, done)
    t0 = time.perf_counter()
    local = workers <= 1 and not scheduler
    # The parent needs the world too (static indicators, report): load it while workers run.
    loader = None if local else ThreadPoolExecutor(1).submit(load_world, nominal)
    try:
        execute(spec, pending, feed.add, workers=workers, scheduler=scheduler, progress=progress)
        wall = time.perf_counter() - t0
        feed.finish(runs)
        world = context_for(spec).world if local else loader.result()
        result = pooled_result(us, nominal, world, pool, year)
        result.wall_s, result.executed, result.status = wall, len(pending), status
        result.events_mode = events
        if store is not None:
            result.events = EventSet(store.events_dir, list(result.runs["run_id"]), _rerun(result))
            write_outputs(result, out, ident, spec, workers, scheduler, command, report, store)
            store.mark("complete")
            store.finish()
        else:
            result.events = EventSet(None, list(result.runs["run_id"]), _rerun(result))
    except BaseException as e:
        if store is None:
            raise
        if created and not store.done():  # nothing finished: leave nothing behind
            if existed:  # the (empty) folder is the user's: remove only what jmsim wrote
                shutil.rmtree(store.parts, ignore_errors=True)
                store.marker.unlink(missing_ok=True)
            else:
                shutil.rmtree(out, ignore_errors=True)
        else:
            reason = _one_line(e)
            try:
                store.mark("incomplete", reason)
            except OSError:
                pass  # the disk is full or read-only: the missing manifest still tells
        if isinstance(e, OSError):
            raise JmsimError(
                f"{out}: cannot write the batch ({_one_line(e)}); it is marked incomplete, "
                f"{len(store.done())} of {runs} runs kept; fix the cause and rerun with --resume"
            ) from None
        raise
    return result


def pool_stored(store: BatchStore, runs: int, pool: Pool) -> Pool:
    """Add the stored summaries of runs 0..runs-1 to `pool`, in run order, one at a time."""
    for k in range(runs):
        pool.add(store.read(k))
    return pool


class _InOrder:
    """Stores each finished run (any order) and feeds the runs to a `Pool` in run order.

    A stored run that finishes before the runs ahead of it waits as its index
    only and is read back from the store when its turn comes (memory stays
    bounded whatever the executor's order); runs stored by an earlier
    invocation (`done`, on --resume) are read from the store too.
    """

    def __init__(self, pool: Pool, store: BatchStore | None = None, done=()) -> None:
        self.pool, self.store, self.next = pool, store, 0
        self.waiting: dict[int, RunSummary | None] = dict.fromkeys(done)

    def add(self, s: RunSummary) -> None:
        """One finished run: store it (the run's commit point), pool what is in order."""
        if self.store is not None:
            self.store.write(s)
        self.waiting[s.index] = s if self.store is None or s.index == self.next else None
        self._drain()

    def _drain(self) -> None:
        while self.next in self.waiting:
            got = self.waiting.pop(self.next)
            self.pool.add(got if got is not None else self.store.read(self.next))
            self.next += 1

    def finish(self, runs: int) -> None:
        """Pool what is left in order (runs kept from before); check all runs were pooled."""
        self._drain()
        if self.next != runs:
            raise RuntimeError(f"pooled {self.next} of {runs} runs; run {self.next} is missing")


def _rerun(res: BatchResult):
    """Re-run run `index` of `res` for its events (runs are deterministic)."""

    def events_of(index: int) -> pd.DataFrame:
        from sim.batch.report import rebuild

        model = rebuild(res, index)
        model.run()
        ev = model.log.to_frame()
        ev.insert(0, "run_id", str(res.runs["run_id"].iloc[index]))
        return ev

    return events_of


def _one_line(e: BaseException) -> str:
    """A short reason for the marker: the OS message and file, or the exception's first line."""
    if isinstance(e, OSError) and e.strerror:
        return f"{e.strerror}" + (f": {e.filename}" if e.filename else "")
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0]}" if text else type(e).__name__


def pooled_result(us, nominal, world, pool: Pool, year: int) -> BatchResult:
    """Runs table and scorecard from the pooled run summaries (no events needed)."""
    from sim.indicators.scorecard import build_scorecard

    card = build_scorecard(nominal, None, world, year, samples=pool.samples())
    events = EventSet(None, [])
    return BatchResult(us, nominal, world, pool.runs(), events, card, year, sorted(pool.validity),
                       pool=pool)  # fmt: skip


def _load_complete(us, nominal, out: Path, year: int, status: str) -> BatchResult:
    from sim.run import load_world

    runs = pd.read_parquet(out / "runs.parquet")
    card = pd.read_csv(out / "scorecard.csv")
    from sim.indicators.scorecard import TEXT_COLUMNS

    for c in TEXT_COLUMNS:
        card[c] = card[c].fillna("").astype(str)  # CSV gives NaN for empty text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    world = load_world(nominal)
    res = BatchResult(
        us, nominal, world, runs, EventSet(None, []), card, year, manifest.get("validity", []),
        status=status, events_mode=manifest.get("events", "all"),
    )  # fmt: skip
    res.events = EventSet(out / "events.parquet", list(runs["run_id"]), _rerun(res))
    if manifest.get("year") != year:  # other targets asked for: score again, files unchanged
        from sim.batch.aggregate import RunSummary, run_samples
        from sim.indicators.scorecard import build_scorecard

        pool = Pool(dynamic_indicators(nominal))
        for k in range(len(runs)):  # one run's events at a time (re-run if not kept)
            pool.add(RunSummary(k, runs.iloc[k].to_dict(), [],
                                run_samples(res.events.run(k), pool.indicators)))  # fmt: skip
        res.scorecard = build_scorecard(nominal, None, world, year, samples=pool.samples())
    return res


def write_outputs(
    res: BatchResult,
    out: Path,
    ident: dict,
    spec: BatchSpec,
    workers: int,
    scheduler: str | None,
    command: list[str] | None,
    report: bool,
    store: BatchStore | None = None,
) -> None:
    """scorecard.csv/json, runs.parquet, events.parquet/, report.html, figures, manifest.json.

    Everything is written to a staging folder inside `out` and moved into
    place only when all of it is written, `manifest.json` (status complete)
    last: a batch that fails here (disk full) shows no final output at all.
    The events dataset (one file per run, written by the workers) moves from
    the run parts into place the same way.
    """
    out.mkdir(parents=True, exist_ok=True)
    stage = out / STAGE
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    try:
        atomic_write_csv(res.scorecard, stage / "scorecard.csv")
        from sim.indicators.scorecard import scorecard_json

        atomic_write_json(
            stage / "scorecard.json", scorecard_json(res.scorecard, res.scenario.scenario.id)
        )
        write_table(res.runs, stage / "runs.parquet")
        model = None
        if report:
            from sim.batch.report import write_report

            model = write_report(res, stage / "report.html")
        write_hazard_figures(res, stage, model)
        manifest = {
            "status": "complete",
            "events": res.events_mode,
            "identity": ident,
            "scenario": res.us.name,
            "scenario_sha256": res.us.sha256,
            "seeds": [int(s) for s in res.runs["seed"]],
            "lhs_seed": ident["seed"],
            "year": res.year,
            "events_sha256": dict(zip(res.runs["run_id"], res.runs["events_sha256"], strict=True)),
            "runs_parquet_sha256": hashlib.sha256(
                (stage / "runs.parquet").read_bytes()
            ).hexdigest(),
            "command": command if command is not None else sys.argv,
            "executor": {"workers": workers, "scheduler": scheduler, "vary": list(spec.vary)},
            "versions": package_versions(),
            "python": sys.version.split()[0],
            "validity": res.validity,
            "wall_s_this_invocation": round(res.wall_s, 3),
            "runs_executed_this_invocation": res.executed,
        }
        atomic_write_json(stage / "manifest.json", manifest)
        final = sorted(stage.iterdir(), key=lambda p: p.name == "manifest.json")
        for p in final[:-1]:
            os.replace(p, out / p.name)  # renames need no space
        old = out / "events.parquet"  # of an earlier attempt at finishing this batch
        old.unlink() if old.is_file() else shutil.rmtree(old, ignore_errors=True)
        if store is not None and store.events_dir.is_dir():
            os.replace(store.events_dir, out / "events.parquet")
            res.events.folder = out / "events.parquet"
        os.replace(final[-1], out / final[-1].name)  # the manifest goes last
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def write_hazard_figures(res: BatchResult, out: Path, model=None) -> list[Path]:
    """Let the hazard draw its own figures (optional `write_figures` hook), atomically.

    Uses the report's re-run of the typical run, or re-runs the first run.
    """
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
