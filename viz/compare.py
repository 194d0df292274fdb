"""Side-by-side indicators of drill branches ("back up and try again")."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.errors import JmsimError
from sim.scenario import load_scenario
from sim.session import replay
from viz.record import DrillRecord


def compare_drills(files: list[str | Path], until: float | None = None, world=None) -> pd.DataFrame:
    """One row per indicator; estimate and verdict of each drill file, all run to the same time.

    Every branch is replayed to `until` (default: the scenario's end) so the
    comparison is over the same horizon, whatever time each drill was saved at.
    """
    from sim.indicators.scorecard import build_scorecard
    from sim.run import load_world

    if len(files) < 1:
        raise ValueError("compare: give at least one drill file")
    recs = [DrillRecord.load(f) for f in files]
    first = recs[0]
    for f, rec in zip(files[1:], recs[1:], strict=True):
        if rec.scenario_sha256 != first.scenario_sha256 or rec.seed != first.seed:
            raise JmsimError(
                f"{f}: scenario {Path(rec.scenario).name} (sha256 {rec.scenario_sha256[:12]}…, "
                f"seed {rec.seed}) differs from {files[0]}: {Path(first.scenario).name} "
                f"(sha256 {first.scenario_sha256[:12]}…, seed {first.seed}); branch-compare only "
                "compares branches of one drill"
            )
    out: pd.DataFrame | None = None
    for f, rec in zip(files, recs, strict=True):
        scen = load_scenario(rec.scenario_path(f))
        world = world if world is not None else load_world(scen)
        sess = replay(scen, rec.seed, rec.actions, world, until=until)
        ev = sess.model.log.to_frame()
        ev.insert(0, "run_id", f"{scen.scenario.id}#s{rec.seed}")
        card = build_scorecard(scen, ev, world)
        name = Path(f).name
        part = card[["id", "direction", "target", "estimate", "verdict"]].rename(
            columns={"estimate": f"{name}: estimate", "verdict": f"{name}: verdict"}
        )
        out = (
            part if out is None else out.merge(part, on=["id", "direction", "target"], how="outer")
        )
    if len(files) >= 2:  # difference of each later branch to the first
        base = f"{Path(files[0]).name}: estimate"
        for f in files[1:]:
            name = Path(f).name
            out[f"{name} - first"] = out[f"{name}: estimate"] - out[base]
    return out


def _sig(a) -> tuple:
    return (
        round(a.at_min, 6),
        type(a).__name__,
        a.kind,
        repr(sorted(a.params.items())),
        getattr(a, "by", ""),
    )


def differing_decisions(files: list[str | Path]) -> list[str]:
    """Actions (injects and commands) that are not in every branch, one line each."""
    recs = [DrillRecord.load(f) for f in files]
    sets = [{_sig(a): a for a in r.actions} for r in recs]
    common = set.intersection(*(set(s) for s in sets)) if sets else set()
    out = []
    for f, s in zip(files, sets, strict=True):
        for key, a in sorted(s.items()):
            if key not in common:
                who = f" by {a.by}" if getattr(a, "by", "") else ""
                out.append(
                    f"{Path(f).name}: T+{a.at_min:.0f} min {a.id} {a.kind}{who} {dict(a.params)}"
                )
    return out


def format_compare(df: pd.DataFrame) -> str:
    """Markdown table."""
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in df.itertuples(index=False):
        cells = [f"{v:.3g}" if isinstance(v, float) else str(v) for v in r]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
