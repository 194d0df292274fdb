"""Luck against skill: replay the trainees' decisions over other hazard realisations.

A drill is one draw of the hazard. Whether the players met a target may be
skill or luck. `rerun_decisions` replays the recorded actions (trainee
commands, and the trainer's ad-hoc injects that set the conditions) with
other seeds, i.e. other hazard and incident realisations, and counts how
often each indicator would have met its target. Commands that make no sense
in another realisation (an incident id that never occurs) are skipped and
counted. The same seeds are also run without the trainee commands (the
plan's default: automatic dispatch and the scripted orders), so the paired
differences, on common random numbers, are what the decisions bought; the
actual drill's result is placed as a percentile among the reruns.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.commands import Command
from sim.indicators.stats import wilson_interval
from sim.session import replay
from sim.threads import single_blas_thread
from viz.record import DrillRecord


def met(estimate: float, target: float, direction: str) -> bool | None:
    """Whether a run's point estimate meets the target (None if either is missing)."""
    if (
        estimate is None
        or target is None
        or any(isinstance(v, float) and math.isnan(v) for v in (estimate, target))
    ):
        return None
    return {
        ">=": estimate >= target,
        ">": estimate > target,
        "<=": estimate <= target,
        "<": estimate < target,
    }[direction]


@dataclass(frozen=True)
class RerunSpec:
    """What a worker needs, self-contained (scenario text, not a path: Dask workers need no disk)."""

    text: str
    name: str
    base_dir: str | None
    actions: tuple

    @property
    def key(self) -> str:
        """Identity of the spec (cache key on long-lived workers)."""
        acts = json.dumps([a.model_dump(mode="json") for a in self.actions], sort_keys=True)
        h = hashlib.sha256(json.dumps([self.text, self.name, self.base_dir, acts]).encode())
        return h.hexdigest()[:16]


class RerunContext:
    """A worker's loaded state: scenario parsed, world loaded, once per process."""

    def __init__(self, spec: RerunSpec, world=None, scen=None) -> None:
        from sim.run import load_world
        from sim.scenario.loader import parse_scenario

        base = Path(spec.base_dir) if spec.base_dir is not None else None
        self.scen = scen if scen is not None else parse_scenario(spec.text, spec.name, base)
        self.world = world if world is not None else load_world(self.scen)
        self.actions = list(spec.actions)
        self.plain = [a for a in self.actions if not isinstance(a, Command)]

    def card(self, seed: int, actions) -> tuple[pd.DataFrame, int]:
        """Scorecard of one replay with `actions` on `seed`, and how many actions it skipped."""
        from sim.indicators.scorecard import build_scorecard

        sess = replay(self.scen, seed, actions, self.world, strict=False)
        ev = sess.model.log.to_frame()
        ev.insert(0, "run_id", f"{self.scen.scenario.id}#s{seed}")
        return build_scorecard(self.scen, ev, self.world), len(sess.skipped)

    def score(self, seed: int, baseline: bool = True) -> dict:
        """One seed: indicator estimates with the trainees' decisions and (CRN) without them."""
        with single_blas_thread():
            card, skipped = self.card(seed, self.actions)
            out = {"seed": seed, "skipped": skipped, "with": card, "without": None}
            if baseline:
                out["without"] = self.card(seed, self.plain)[0]
        return out


_CONTEXTS: dict[str, RerunContext] = {}
_LOCK = threading.Lock()


def _context(spec: RerunSpec, world=None, scen=None) -> RerunContext:
    """This process's context for `spec`, built on first use (locked: Dask worker threads)."""
    with _LOCK:
        ctx = _CONTEXTS.get(spec.key)
        if ctx is None or (world is not None and ctx.world is not world):
            _CONTEXTS.clear()  # one drill per worker at a time: free the previous world
            ctx = _CONTEXTS[spec.key] = RerunContext(spec, world, scen)
        return ctx


def _init_worker(spec: RerunSpec, scen, world) -> None:
    """Local worker set-up, once per process.

    The parent's parsed scenario and world arrive pickled (5 ms, ~1.4 MB) instead of
    being parsed and loaded again (~1.1 s of CPU per worker).
    """
    from sim.batch.executor import die_with_parent

    die_with_parent()
    single_blas_thread()  # for the life of the worker process
    _context(spec, world, scen)


def _score_seeds(spec: RerunSpec, seeds: list[int], baseline: bool) -> list[dict]:
    """Task: several seeds on one worker (local process or Dask)."""
    ctx = _context(spec)
    return [ctx.score(s, baseline) for s in seeds]


def _scorable(card: pd.DataFrame) -> pd.DataFrame:
    """Rows measured from the events: only they vary between realisations."""
    keep = card["status"] == "measured"
    return card.loc[keep, ["id", "direction", "target", "estimate"]]


def _mean_ci(d: np.ndarray) -> tuple[float, float, float]:
    """Mean of paired differences and its 95 % t interval (nan if < 2 values)."""
    from scipy import stats

    d = d[np.isfinite(d)]
    if d.size == 0:
        return math.nan, math.nan, math.nan
    m = float(d.mean())
    if d.size < 2:
        return m, math.nan, math.nan
    if np.all(d == d[0]):
        return m, m, m
    lo, hi = stats.t.interval(0.95, d.size - 1, loc=m, scale=stats.sem(d))
    return m, float(lo), float(hi)


def _table(results: list[dict], actual: pd.DataFrame | None) -> pd.DataFrame:
    """Per indicator: met shares, paired differences with intervals, actual drill percentile."""
    from scipy.stats import percentileofscore

    rows = []
    first = _scorable(results[0]["with"])
    for r in first.itertuples():
        est_w, est_b, met_w, met_b = [], [], [], []
        for res in results:
            cw = _scorable(res["with"]).set_index("id")
            ew = float(cw.at[r.id, "estimate"]) if r.id in cw.index else math.nan
            est_w.append(ew)
            met_w.append(met(ew, r.target, r.direction))
            if res["without"] is not None:
                cb = _scorable(res["without"]).set_index("id")
                eb = float(cb.at[r.id, "estimate"]) if r.id in cb.index else math.nan
                est_b.append(eb)
                met_b.append(met(eb, r.target, r.direction))
        mw = [m for m in met_w if m is not None]
        n, k = len(mw), sum(mw)
        lo, hi = wilson_interval(k, n) if n else (math.nan, math.nan)
        row = {
            "id": r.id,
            "direction": r.direction,
            "target": r.target,
            "runs_scored": n,
            "met": k,
            "share_met": k / n if n else math.nan,
            "ci_low": lo,
            "ci_high": hi,
            "mean_with": float(np.nanmean(est_w)) if np.isfinite(est_w).any() else math.nan,
        }
        if est_b:
            pairs = [
                (a, b) for a, b in zip(met_w, met_b, strict=True) if a is not None and b is not None
            ]
            dmet = np.array([int(a) - int(b) for a, b in pairs], dtype=float)
            bm = [m for m in met_b if m is not None]
            row["share_met_without_commands"] = sum(bm) / len(bm) if bm else math.nan
            md, mlo, mhi = _mean_ci(dmet)
            row["met_diff"], row["met_diff_lo"], row["met_diff_hi"] = (
                md,
                max(mlo, -1.0),
                min(mhi, 1.0),
            )
            d = np.array(est_w, dtype=float) - np.array(est_b, dtype=float)
            row["mean_without"] = float(np.nanmean(est_b)) if np.isfinite(est_b).any() else math.nan
            row["est_diff"], row["est_diff_lo"], row["est_diff_hi"] = _mean_ci(d)
        if actual is not None:
            ca = _scorable(actual).set_index("id")
            a = float(ca.at[r.id, "estimate"]) if r.id in ca.index else math.nan
            fin = np.asarray(est_w, float)
            fin = fin[np.isfinite(fin)]
            row["actual"] = a
            row["actual_percentile"] = (
                float(percentileofscore(fin, a, kind="mean"))
                if fin.size and math.isfinite(a)
                else math.nan
            )
        rows.append(row)
    return pd.DataFrame(rows)


def rerun_decisions(
    drill_file: str | Path,
    runs: int = 100,
    *,
    world=None,
    baseline: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Luck against skill over `runs` other realisations (common random numbers).

    Per indicator: how often the recorded decisions met the target, against the plan's default
    (the same seeds without the trainee commands) as paired differences with 95 %
    intervals, and where the actual drill falls among the reruns (percentile). Seeds run in
    this process (`workers=1`), in spawned local processes, or on a Dask cluster
    (`scheduler`); the table is the same whichever ran them.
    """
    if runs < 1:
        raise ValueError(f"--runs={runs}; expected >= 1")
    if workers < 1:
        raise ValueError(f"--workers={workers}; expected >= 1")
    rec = DrillRecord.load(drill_file)
    scen_path = rec.scenario_path(drill_file)
    spec = RerunSpec(
        scen_path.read_text(encoding="utf-8"),
        str(scen_path),
        str(scen_path.parent),
        tuple(rec.actions),
    )
    seeds = [rec.seed + 1000 + k for k in range(runs)]  # other realisations, never the drill's seed
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, runs)

    if scheduler:
        ctx = _context(spec, world)
        results = _dask_scores(spec, seeds, baseline, scheduler, step)
        with single_blas_thread():
            actual, _ = ctx.card(rec.seed, ctx.actions)
    elif workers == 1:
        ctx = _context(spec, world)
        results = []
        for s in seeds:
            results.append(ctx.score(s, baseline))
            step()
        with single_blas_thread():
            actual, _ = ctx.card(rec.seed, ctx.actions)
    else:
        results, actual = _local_scores(spec, seeds, rec.seed, baseline, workers, world, step)
    results.sort(key=lambda r: r["seed"])
    table = _table(results, actual)
    info = {
        "runs": runs,
        "seeds": f"{seeds[0]}..{seeds[-1]}",
        "commands": sum(isinstance(a, Command) for a in rec.actions),
        "skipped_actions_per_run": sum(r["skipped"] for r in results) / runs,
        "workers": workers,
        "scheduler": scheduler,
        "baseline": baseline,
    }
    return table, info


def _start_method() -> str:
    """'fork' on Linux, else 'spawn'.

    A spawned worker re-imports the engine and unpickles the scenario and world:
    ~3 s of CPU each, which is as much as 5 chlorine reruns (measured: 2 workers
    used 17 s of CPU for 20 seeds spawned, 11 s forked, 10 s in one process).
    A forked worker starts with the parent's loaded context (`_CONTEXTS`). The
    parent's only other threads then are OpenBLAS's pool (reset by OpenBLAS's
    own fork handler) and tqdm's sleeping monitor; workers are direct children
    and die with the parent (PR_SET_PDEATHSIG). Results do not depend on it (tested).
    """
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _local_scores(
    spec: RerunSpec, seeds: list[int], seed: int, baseline: bool, workers: int, world, step
) -> tuple[list[dict], pd.DataFrame]:
    """Local worker processes, one seed per task; the actual drill runs here meanwhile.

    Each worker keeps to one BLAS thread (`sim.threads`): two processes each
    spreading the puff-field product over both cores made 2 workers slower
    than 1. Workers are forked on Linux (`_start_method`).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    ctx = _context(spec, world)
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(_start_method()),
        initializer=_init_worker,
        initargs=(spec, ctx.scen, ctx.world),
    ) as ex:
        futs = [ex.submit(_score_seeds, spec, [s], baseline) for s in seeds]
        with single_blas_thread():  # the actual drill, while the workers start
            actual, _ = ctx.card(seed, ctx.actions)
        results = []
        for f in as_completed(futs):
            results.extend(f.result())
            step()
    return results, actual


def _dask_scores(spec: RerunSpec, seeds: list[int], baseline: bool, address: str, step) -> list:
    """A Dask distributed cluster: shrinking chunks of seeds per task, context once per worker."""
    from sim.batch.executor import dask_client, guided_chunks

    client = dask_client(address)  # first: a missing Dask is a one-line error
    from distributed import as_completed

    try:
        n = len(client.scheduler_info()["workers"])
        [spec_f] = client.scatter([spec], broadcast=True, hash=False)
        futs = [
            client.submit(
                _score_seeds,
                spec_f,
                chunk,
                baseline,
                pure=False,
                retries=3,
                key=f"jmsim-rerun-{spec.key}-{chunk[0]}",
            )  # fmt: skip
            for chunk in guided_chunks(seeds, n)
        ]
        results = []
        for fut in as_completed(futs):
            part = fut.result()
            results.extend(part)
            for _ in part:
                step()
            fut.release()
        return results
    finally:
        client.close()


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 42nd, 100th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _pct(v: float) -> str:
    return "-" if v is None or not math.isfinite(v) else f"{v:+.0%}"


def _num(v: float) -> str:
    return "-" if v is None or not math.isfinite(v) else f"{v:.3g}"


def format_rerun(table: pd.DataFrame, info: dict) -> str:
    """Markdown table for the terminal."""
    head = (
        f"# trainee decisions ({info['commands']} commands) replayed over {info['runs']} other "
        f"realisations (seeds {info['seeds']}, common random numbers); actions skipped per run: "
        f"{info['skipped_actions_per_run']:.2f}"
    )
    base = "met_diff" in table
    cols = ["indicator", "target", "runs", "met with decisions [95% CI]"]
    if base:
        cols += [
            "met without (plan default)",
            "paired diff in met [95% CI]",
            "mean estimate with / without",
            "paired diff in estimate [95% CI]",
        ]
    cols += ["actual drill", "its percentile among reruns"]
    lines = [head, "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in table.itertuples():
        ci = "-" if not r.runs_scored else f"{r.share_met:.0%} [{r.ci_low:.0%}, {r.ci_high:.0%}]"
        row = [r.id, f"{r.direction} {r.target:g}", str(r.runs_scored), ci]
        if base:
            v = r.share_met_without_commands
            row += [
                "-" if pd.isna(v) else f"{v:.0%}",
                f"{_pct(r.met_diff)} [{_pct(r.met_diff_lo)}, {_pct(r.met_diff_hi)}]",
                f"{_num(r.mean_with)} / {_num(r.mean_without)}",
                f"{_num(r.est_diff)} [{_num(r.est_diff_lo)}, {_num(r.est_diff_hi)}]",
            ]
        pc = getattr(r, "actual_percentile", math.nan)
        row += [
            _num(getattr(r, "actual", math.nan)),
            "-" if not math.isfinite(pc) else ordinal(round(pc)),
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
