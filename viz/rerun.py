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

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from sim.commands import Command
from sim.indicators.stats import wilson_interval
from sim.scenario import load_scenario
from sim.session import replay
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


_CTX: dict = {}


def _init(scen_path: str, actions: list, world) -> None:
    """Worker set-up: scenario, world and actions once per process."""
    from sim.run import load_world

    scen = load_scenario(scen_path)
    _CTX.update(
        scen=scen,
        world=world if world is not None else load_world(scen),
        actions=actions,
        plain=[a for a in actions if not isinstance(a, Command)],
    )


def _card(seed: int, actions) -> tuple[pd.DataFrame, int]:
    from sim.indicators.scorecard import build_scorecard

    scen, world = _CTX["scen"], _CTX["world"]
    sess = replay(scen, seed, actions, world, strict=False)
    ev = sess.model.log.to_frame()
    ev.insert(0, "run_id", f"{scen.scenario.id}#s{seed}")
    return build_scorecard(scen, ev, world), len(sess.skipped)


def _score(seed: int, baseline: bool = True) -> dict:
    """One seed: indicator estimates with the trainees' decisions and (CRN) without them."""
    card, skipped = _card(seed, _CTX["actions"])
    out = {"seed": seed, "skipped": skipped, "with": card, "without": None}
    if baseline:
        out["without"] = _card(seed, _CTX["plain"])[0]
    return out


def _score_worker(args: tuple[int, bool]) -> dict:
    return _score(*args)


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
    progress: Callable[[int, int], None] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Luck against skill over `runs` other realisations (common random numbers).

    Per indicator: how often the recorded decisions met the target, against the plan's default
    (the same seeds without the trainee commands) as paired differences with 95 %
    intervals, and where the actual drill falls among the reruns (percentile).
    """
    if runs < 1:
        raise ValueError(f"--runs={runs}; expected >= 1")
    if workers < 1:
        raise ValueError(f"--workers={workers}; expected >= 1")
    rec = DrillRecord.load(drill_file)
    scen_path = str(rec.scenario_path(drill_file))
    seeds = [rec.seed + 1000 + k for k in range(runs)]  # other realisations, never the drill's seed
    _init(scen_path, list(rec.actions), world)
    results: list[dict] = []
    if workers == 1:
        for k, s in enumerate(seeds):
            results.append(_score(s, baseline))
            if progress:
                progress(k + 1, runs)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),  # no fork of a threaded process
            initializer=_init,
            initargs=(scen_path, list(rec.actions), None),
        ) as ex:
            for k, res in enumerate(ex.map(_score_worker, [(s, baseline) for s in seeds])):
                results.append(res)
                if progress:
                    progress(k + 1, runs)
    actual, _ = _card(rec.seed, rec.actions)
    table = _table(results, actual)
    info = {
        "runs": runs,
        "seeds": f"{seeds[0]}..{seeds[-1]}",
        "commands": sum(isinstance(a, Command) for a in rec.actions),
        "skipped_actions_per_run": sum(r["skipped"] for r in results) / runs,
        "workers": workers,
        "baseline": baseline,
    }
    return table, info


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
            "-" if not math.isfinite(pc) else f"{pc:.0f}th",
        ]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
