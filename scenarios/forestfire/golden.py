"""Golden seeded scorecards: recompute a scenario's scorecard and compare with the committed one.

``python -m scenarios.forestfire.golden`` rewrites the committed files (after a
deliberate model change); tests call :func:`scorecard_table` and compare.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
GOLDEN = {
    "gudoushan_dry_season.yaml": 2025,
    "heshan_zhaiwu_jan.yaml": 116,
    "jiangmen_fire_season.yaml": 2025,
    "qingming_multi_ignition.yaml": 404,
}
COLUMNS = ["id", "estimate", "ci_low", "ci_high", "n", "verdict", "detail"]


def scorecard_table(scenario_file: str, seed: int) -> pd.DataFrame:
    """The scorecard of one seeded run, floats rounded to 6 significant digits."""
    from sim.indicators.scorecard import build_scorecard
    from sim.run import load_world, run
    from sim.scenario import load_scenario

    scen = load_scenario(HERE / scenario_file)
    world = load_world(scen)
    res = run(scen, seed, world=world)
    card = build_scorecard(scen, res.events(), world)[COLUMNS].copy()
    for c in ("estimate", "ci_low", "ci_high"):
        card[c] = [float(f"{v:.6g}") if np.isfinite(v) else v for v in card[c].astype(float)]
    return card


def golden_path(scenario_file: str, seed: int) -> Path:
    """Where the committed golden scorecard lives."""
    return HERE / "golden" / f"{scenario_file.removesuffix('.yaml')}.seed{seed}.csv"


if __name__ == "__main__":
    import sys

    only = set(sys.argv[1:])  # optional: scenario files to rewrite (default all)
    for f, s in GOLDEN.items():
        if only and f not in only:
            continue
        scorecard_table(f, s).to_csv(golden_path(f, s), index=False)
        print("wrote", golden_path(f, s))
