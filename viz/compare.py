"""Side-by-side indicators of drill branches ("back up and try again")."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
    out: pd.DataFrame | None = None
    for f in files:
        rec = DrillRecord.load(f)
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
    return out


def format_compare(df: pd.DataFrame) -> str:
    """Markdown table."""
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in df.itertuples(index=False):
        cells = [f"{v:.3g}" if isinstance(v, float) else str(v) for v in r]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
