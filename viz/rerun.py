"""Luck against skill: replay the trainees' decisions over other hazard realisations.

A drill is one draw of the hazard. Whether the players met a target may be
skill or luck. `rerun_decisions` replays the recorded actions (trainee
commands, and the trainer's ad-hoc injects that set the conditions) with
other seeds, i.e. other hazard and incident realisations, and counts how
often each indicator would have met its target. Commands that make no sense
in another realisation (an incident id that never occurs) are skipped and
counted. With `baseline=True` the same seeds are also run without the
trainee commands, so the difference is what the decisions bought.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

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


def _cards(scen, world, seeds, actions, progress) -> tuple[list[pd.DataFrame], int]:
    from sim.indicators.scorecard import build_scorecard

    cards, skipped = [], 0
    for k, s in enumerate(seeds):
        sess = replay(scen, s, actions, world, strict=False)
        skipped += len(sess.skipped)
        ev = sess.model.log.to_frame()
        ev.insert(0, "run_id", f"{scen.scenario.id}#s{s}")
        cards.append(build_scorecard(scen, ev, world))
        if progress:
            progress(k + 1, len(seeds))
    return cards, skipped


def _tally(cards: list[pd.DataFrame]) -> pd.DataFrame:
    rows = {}
    for c in cards:
        for r in c.itertuples():
            # only rows measured from the events vary between realisations
            if getattr(r, "status", "measured") != "measured":
                continue
            d = rows.setdefault(
                r.id,
                {
                    "id": r.id,
                    "direction": r.direction,
                    "target": r.target,
                    "runs_scored": 0,
                    "met": 0,
                },
            )
            m = met(r.estimate, r.target, r.direction)
            if m is not None:
                d["runs_scored"] += 1
                d["met"] += int(m)
    out = []
    for d in rows.values():
        n, k = d["runs_scored"], d["met"]
        lo, hi = wilson_interval(k, n) if n else (math.nan, math.nan)
        out.append({**d, "share_met": k / n if n else math.nan, "ci_low": lo, "ci_high": hi})
    return pd.DataFrame(out)


def rerun_decisions(
    drill_file: str | Path,
    runs: int = 100,
    *,
    world=None,
    baseline: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Per indicator: in how many of `runs` other realisations the recorded plan met the target."""
    from sim.run import load_world

    if runs < 1:
        raise ValueError(f"--runs={runs}; expected >= 1")
    rec = DrillRecord.load(drill_file)
    scen = load_scenario(rec.scenario_path(drill_file))
    world = world if world is not None else load_world(scen)
    seeds = [rec.seed + 1000 + k for k in range(runs)]  # other realisations, never the drill's seed
    cards, skipped = _cards(scen, world, seeds, rec.actions, progress)
    table = _tally(cards)
    info = {
        "runs": runs,
        "seeds": f"{seeds[0]}..{seeds[-1]}",
        "commands": sum(isinstance(a, Command) for a in rec.actions),
        "skipped_actions_per_run": skipped / runs,
    }
    if baseline:
        plain = [a for a in rec.actions if not isinstance(a, Command)]
        bcards, _ = _cards(scen, world, seeds, plain, None)
        b = _tally(bcards)[["id", "share_met"]].rename(
            columns={"share_met": "share_met_without_commands"}
        )
        table = table.merge(b, on="id", how="left")
    return table, info


def format_rerun(table: pd.DataFrame, info: dict) -> str:
    """Markdown table for the terminal."""
    head = (
        f"# trainee decisions ({info['commands']} commands) replayed over {info['runs']} other "
        f"realisations (seeds {info['seeds']}); actions skipped per run: {info['skipped_actions_per_run']:.2f}"
    )
    cols = ["indicator", "target", "runs scored", "met", "share met [95% CI]"]
    base = "share_met_without_commands" in table
    if base:
        cols.append("without commands")
    lines = [head, "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in table.itertuples():
        ci = "-" if not r.runs_scored else f"{r.share_met:.0%} [{r.ci_low:.0%}, {r.ci_high:.0%}]"
        row = [r.id, f"{r.direction} {r.target:g}", str(r.runs_scored), str(r.met), ci]
        if base:
            v = r.share_met_without_commands
            row.append("-" if pd.isna(v) else f"{v:.0%}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)
