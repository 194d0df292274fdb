"""Where runs execute: this process, local worker processes, or a Dask cluster.

Each worker builds a `RunContext` once (scenario parsed, world loaded) and then
executes many `RunJob`s against it, so the world is never reloaded per run.
A job's result depends only on the job (index, seed, sampled values) and the
batch spec, never on which worker ran it or when: results are identical with
1 worker, N workers or a cluster, and the caller orders them by run index.
"""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from sim.batch.aggregate import RunSummary
from sim.gc_policy import freeze_loaded, relaxed_gc, unfreeze_loaded
from sim.threads import single_blas_thread


@dataclass(frozen=True)
class BatchSpec:
    """Everything a worker needs, picklable and self-contained (no file paths to read)."""

    text: str
    name: str
    base_dir: str | None
    vary: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Identity of the spec (cache key on long-lived workers)."""
        h = hashlib.sha256(json.dumps([self.text, self.name, self.base_dir, self.vary]).encode())
        return h.hexdigest()[:16]


@dataclass(frozen=True)
class RunJob:
    """One run of a batch: its position, engine seed and sampled input values."""

    index: int
    seed: int
    values: dict[str, Any] = field(default_factory=dict)
    run_id: str | None = None  # default: the engine's `scenario#sSEED`
    events_path: str | None = None  # where the worker writes the run's events (None: drop)


class RunContext:
    """A worker's loaded state: the uncertain scenario and the world, built once."""

    def __init__(self, spec: BatchSpec) -> None:
        from sim.batch.outcomes import dynamic_indicators
        from sim.batch.uncertainty import UncertainScenario
        from sim.run import load_world

        self.spec = spec
        self.us = UncertainScenario.from_text(spec.text, spec.name, spec.base_dir, spec.vary)
        nominal = self.us.nominal()
        self.world = load_world(nominal)
        self.indicators = dynamic_indicators(nominal)

    def execute(self, job: RunJob, ship_events: bool = False) -> RunSummary:
        """Run one job and reduce it here: its row (inputs, per-run outcomes) and samples.

        The events go to `job.events_path` (if any), never back to the caller.
        The whole job, not only the simulation, runs under `relaxed_gc`: building
        the model and the event table allocate ~100 k objects with the default
        gen-0 threshold, and each collection promoted more of them to the older
        generations, so full collections came every ~8 runs (GC time per Mangkhut
        job 9.2 -> 4.9 ms, measured with `gc.callbacks`).
        """
        with relaxed_gc():
            return self._execute(job, ship_events)

    def _execute(self, job: RunJob, ship_events: bool) -> RunSummary:
        from sim.batch.aggregate import run_samples
        from sim.batch.eventset import run_bytes, write_run_events
        from sim.batch.outcomes import OUT, N, reduce_samples
        from sim.indicators.run_rows import RunRows
        from sim.run import run

        scen = self.us.realise(job.values)
        res = run(scen, job.seed, world=self.world, resident_agents=False)  # nothing reads them
        cols = res.log.columns()
        ev = res.events(cols)
        run_id = job.run_id or res.run_id
        if job.run_id:
            ev["run_id"] = run_id
        samples = run_samples(ev, self.indicators, RunRows(run_id, cols))
        row: dict[str, Any] = {"run": job.index, "seed": job.seed, "run_id": run_id}
        row.update(job.values)
        for d in self.indicators:
            row[OUT + d.id] = reduce_samples(d, samples[d.id].values)
            row[N + d.id] = int(samples[d.id].values.size)
        row["events"] = len(res.log)
        row["events_sha256"] = frame_digest(ev)
        summary = RunSummary(job.index, plain_row(row), sorted(res.validity), samples)
        if job.events_path:
            write_run_events(ev, Path(job.events_path))
        elif ship_events:
            summary.events_blob = run_bytes(ev)
        return summary


def frame_digest(ev: pd.DataFrame) -> str:
    """SHA-256 over pandas' per-row hashes of a run's events (fast; equal frames, equal hash)."""
    rows = pd.util.hash_pandas_object(ev, index=False).to_numpy()
    return hashlib.sha256(rows.tobytes()).hexdigest()


def plain_row(row: dict[str, Any]) -> dict[str, Any]:
    """The row as JSON would give it back, so in-memory and on-disk rows are equal."""
    text = json.dumps(row, default=lambda o: o.item() if hasattr(o, "item") else str(o))
    return json.loads(text)


# -- worker-side cache ----------------------------------------------------------------
_CONTEXTS: dict[str, RunContext] = {}
_LOCK = threading.Lock()


def context_for(spec: BatchSpec) -> RunContext:
    """This process's context for `spec`, built on first use and then kept.

    Locked because a Dask worker with several threads may ask concurrently.
    """
    with _LOCK:
        ctx = _CONTEXTS.get(spec.key)
        if ctx is None:
            if _CONTEXTS:  # a worker froze the previous world (`freeze_loaded`): let it go
                unfreeze_loaded()
            _CONTEXTS.clear()  # one batch per worker at a time: free the previous world
            ctx = _CONTEXTS[spec.key] = RunContext(spec)
        return ctx


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no orphaned workers).

    Local workers are spawned children of the batch process; if it is killed
    (SIGKILL, OOM killer) they would otherwise linger. No-op elsewhere.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - exotic libc
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


#: glibc `mallopt` parameters (malloc.h) and the values workers use.
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
WORKER_MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's own upper limit of the dynamic threshold
WORKER_TRIM_THRESHOLD = 128 * 1024 * 1024


def tune_malloc() -> bool:
    """Let a worker reuse freed heap memory for its next grid arrays (glibc only).

    Runs allocate and free the same grid-sized numpy arrays (0.3-1.3 MB) every
    tick. Dask's nanny starts workers with `MALLOC_TRIM_THRESHOLD_=65536`, which
    also freezes glibc's mmap threshold at 128 kB: each such array is then a
    fresh `mmap`, page-faulted in and unmapped again when freed. Measured on the
    古兜山 fire (10 runs, CPU of the task thread): 5.2 s in a Dask worker against
    2.4 s in a local process, and 1.6 s in both with these settings (glibc's
    default dynamic threshold still trims the heap top often). Process-wide, so
    only called in worker processes. Returns whether it took effect.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        ok = libc.mallopt(M_MMAP_THRESHOLD, WORKER_MMAP_THRESHOLD)
        ok &= libc.mallopt(M_TRIM_THRESHOLD, WORKER_TRIM_THRESHOLD)
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return False
    return bool(ok)


def _init_worker(spec: BatchSpec) -> None:
    die_with_parent()
    tune_malloc()
    single_blas_thread()  # numpy is loaded by now: OMP_NUM_THREADS would come too late
    context_for(spec)
    freeze_loaded()  # the world lives as long as the worker: keep it out of GC passes


def _run_job(spec: BatchSpec, job: RunJob) -> RunSummary:
    return context_for(spec).execute(job)


# -- executors ------------------------------------------------------------------------
OnResult = Callable[[RunSummary], None]


def execute(
    spec: BatchSpec,
    jobs: Iterable[RunJob],
    on_result: OnResult,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool | None = None,
) -> None:
    """Run `jobs`, calling `on_result` in the parent as each finishes (any order)."""
    jobs = list(jobs)
    if not jobs:
        return
    if scheduler:
        _execute_dask(spec, jobs, on_result, scheduler, progress)
    elif workers <= 1:
        bar = _bar(len(jobs), progress)
        ctx = context_for(spec)
        for job in jobs:
            on_result(ctx.execute(job))
            bar.update()
        bar.close()
    else:
        _execute_local(spec, jobs, on_result, workers, progress)


def show_progress(progress: bool | None) -> bool:
    """`--progress`/`--no-progress`, or by default: only when stdout and stderr are terminals."""
    if progress is not None:
        return progress
    return sys.stdout.isatty() and sys.stderr.isatty()


def _bar(total: int, progress: bool | None):
    from tqdm import tqdm

    return tqdm(total=total, unit="run", disable=not show_progress(progress))


def _execute_local(
    spec: BatchSpec, jobs: list[RunJob], on_result: OnResult, workers: int, progress
) -> None:
    """Local processes, spawned: direct children of this process, so they die with it.

    (Fork-server workers are children of the fork server, which outlives a
    SIGKILLed batch and keeps them alive; spawned ones get PR_SET_PDEATHSIG.)
    """
    ctx = multiprocessing.get_context("spawn")
    bar = _bar(len(jobs), progress)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(spec,)
    ) as pool:
        # Keep a bounded window of submitted jobs so results stream back steadily.
        window = max(2 * workers, 4)
        todo = iter(jobs)
        running = set()
        for job in todo:
            running.add(pool.submit(_run_job, spec, job))
            if len(running) >= window:
                break
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                on_result(fut.result())
                bar.update()
                nxt = next(todo, None)
                if nxt is not None:
                    running.add(pool.submit(_run_job, spec, nxt))
    bar.close()


#: Seconds `--scheduler` waits for a first worker (JMSIM_WORKER_TIMEOUT overrides).
WORKER_TIMEOUT_S = 60.0
#: Seconds between checks for lost Dask workers while results come in.
WORKER_CHECK_S = 2.0


def guided_chunks(jobs: list[RunJob], workers: int) -> list[list[RunJob]]:
    """Split jobs into shrinking chunks (guided self-scheduling, Polychronopoulos & Kuck 1987).

    Each chunk takes 1/(2·workers) of what is left: few tasks (about
    2·workers·ln(runs)), so few round trips, while the last chunks are single
    runs and no worker idles long at the end of the batch.
    """
    out, i = [], 0
    while i < len(jobs):
        size = max(1, math.ceil((len(jobs) - i) / (2 * workers)))
        out.append(jobs[i : i + size])
        i += size
    return out


def _run_chunk(spec: BatchSpec, jobs: list[RunJob]) -> list[RunSummary]:
    """Dask task: several runs on one worker; events come back as Parquet bytes.

    The client writes them where the job says, so workers need no shared disk.
    """
    ctx = context_for(spec)
    return [ctx.execute(replace(j, events_path=None), ship_events=bool(j.events_path))
            for j in jobs]  # fmt: skip


def dask_client(address: str):
    """A client of the Dask scheduler at `address` with at least one worker joined.

    One-line errors: no Dask installed, no scheduler there, or no worker joining within
    `WORKER_TIMEOUT_S` (env `JMSIM_WORKER_TIMEOUT`). Shared by batches and rerun-decisions.
    """
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - dependency missing
        raise ValueError(
            "--scheduler needs Dask distributed: pip install 'dask[distributed]'"
        ) from None
    from sim.errors import JmsimError

    timeout = float(os.environ.get("JMSIM_WORKER_TIMEOUT", WORKER_TIMEOUT_S))
    try:
        client = Client(address, timeout="20s")
    except OSError as e:
        raise ValueError(f"--scheduler {address}: cannot connect ({e})") from None
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        client.close()
        raise JmsimError(
            f"--scheduler {address}: no worker joined within {timeout:g} s; start workers "
            f"with `dask worker {address}` (or set JMSIM_WORKER_TIMEOUT)"
        ) from None
    return client


def _execute_dask(
    spec: BatchSpec, jobs: list[RunJob], on_result: OnResult, address: str, progress
) -> None:
    """A Dask distributed cluster: chunks of runs per task, the world loaded once per worker.

    Waits at most `WORKER_TIMEOUT_S` for a worker; a worker that dies is
    reported and Dask re-runs its chunks on the others (`retries`).
    """
    from sim.batch.eventset import write_run_bytes
    from sim.errors import JmsimError

    client = dask_client(address)  # first: a missing Dask is a one-line error
    from distributed import as_completed

    try:
        client.register_plugin(WorldPlugin(spec), name=f"jmsim-world-{spec.key}")
        seen = set(client.scheduler_info()["workers"])
        [spec_f] = client.scatter([spec], broadcast=True, hash=False)
        paths = {j.index: j.events_path for j in jobs}
        bar = _bar(len(jobs), progress)
        checked = time.monotonic()
        futures = [
            client.submit(
                _run_chunk,
                spec_f,
                chunk,
                pure=False,
                retries=3,
                key=f"jmsim-{spec.key}-{chunk[0].index}",
            )  # fmt: skip
            for chunk in guided_chunks(jobs, len(seen))
        ]
        for fut in as_completed(futures):
            try:
                results = fut.result()
            except Exception as e:  # KilledWorker after the retries, or a run's own error
                if type(e).__name__ == "KilledWorker":
                    raise JmsimError(
                        f"--scheduler {address}: workers kept dying on runs of task {fut.key} "
                        "(out of memory?); the runs finished so far are kept"
                    ) from None
                raise
            for r in results:
                if r.events_blob is not None:
                    write_run_bytes(r.events_blob, Path(paths[r.index]))
                    r.events_blob = None
                on_result(r)
                bar.update()
            fut.release()
            # asking the scheduler is a round trip: at most every WORKER_CHECK_S, and at the end
            if time.monotonic() - checked >= WORKER_CHECK_S:
                checked = time.monotonic()
                seen = _report_lost_workers(client, seen)
        seen = _report_lost_workers(client, seen)
        bar.close()
    finally:
        client.close()


def _report_lost_workers(client, seen: set[str]) -> set[str]:
    """Warn about workers that left since `seen`; return all workers seen so far."""
    now = set(client.scheduler_info()["workers"])
    for w in sorted(seen - now):
        print(f"warning: Dask worker {w} left; its runs are re-run on the others",
              file=sys.stderr)  # fmt: skip
    return now | seen


def _worker_plugin_base():
    try:
        from distributed.diagnostics.plugin import WorkerPlugin
    except ImportError:  # pragma: no cover - dependency missing
        return object
    return WorkerPlugin


class WorldPlugin(_worker_plugin_base()):
    """Dask worker plugin: parse the scenario and load the world when a worker joins."""

    def __init__(self, spec: BatchSpec) -> None:
        self.spec = spec

    def setup(self, worker) -> None:
        """Tune the worker's allocator (see `tune_malloc`) and BLAS threads, cache the `RunContext`."""
        tune_malloc()
        single_blas_thread()
        context_for(self.spec)
        freeze_loaded()


def efficiency(serial_s: float, parallel_s: float, workers: int) -> float:
    """Parallel efficiency T1 / (W · TW)."""
    return serial_s / (workers * parallel_s) if parallel_s > 0 else math.nan
