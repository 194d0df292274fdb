"""Golden seeded scorecards: the regression net under every shipped scenario.

Like a reference weight kept in a drawer, a golden is the scorecard of one seeded
run of a shipped scenario, committed next to it as
``scenarios/<hazard>/golden/<file stem>.seed<S>.csv``. The test suite recomputes
each one and compares: counts, targets and verdicts exactly, estimates and
intervals to 1e-6 relative (files hold 6 significant digits). After an intended
model change, ``jmsim golden --update`` rewrites them and the diff is reviewed.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ["id", "status", "year", "target", "n", "estimate", "ci_low", "ci_high", "verdict"]
FLOATS = ["estimate", "ci_low", "ci_high"]
_NAME = re.compile(r"^(?P<stem>.+)\.seed(?P<seed>\d+)\.csv$")


def golden_path(scenario_file: Path, seed: int) -> Path:
    """Where the golden of `scenario_file` at `seed` lives."""
    scenario_file = Path(scenario_file)
    return scenario_file.parent / "golden" / f"{scenario_file.stem}.seed{seed}.csv"


def golden_files(root: Path) -> list[Path]:
    """All committed goldens under `root/scenarios`."""
    return sorted(Path(root).glob("scenarios/*/golden/*.seed*.csv"))


def scenario_of(golden: Path) -> tuple[Path, int]:
    """The scenario file and seed a golden belongs to."""
    m = _NAME.match(golden.name)
    if m is None:
        raise ValueError(f"{golden}: not a golden name (expected <scenario stem>.seed<N>.csv)")
    return golden.parent.parent / f"{m['stem']}.yaml", int(m["seed"])


def compute(scenario_file: Path, seed: int, world=None) -> pd.DataFrame:
    """The scorecard of one seeded run, as `jmsim run FILE --seed S` prints it, rounded."""
    from sim.indicators.scorecard import build_scorecard
    from sim.run import load_world, run
    from sim.scenario import load_scenario

    scen = load_scenario(scenario_file)
    world = world if world is not None else load_world(scen)
    card = build_scorecard(scen, run(scen, seed, world=world).events(), world)[COLUMNS].copy()
    for c in FLOATS:
        card[c] = [float(f"{v:.6g}") if np.isfinite(v) else v for v in card[c].astype(float)]
    return card


def read(golden: Path) -> pd.DataFrame:
    """A committed golden (empty cells read as NaN)."""
    return pd.read_csv(golden, keep_default_na=False, na_values=[""])


def differences(want: pd.DataFrame, got: pd.DataFrame) -> list[str]:
    """Human-readable differences between a golden and a fresh scorecard."""
    if list(want["id"]) != list(got["id"]):
        return [f"indicator rows differ: {list(want['id'])} != {list(got['id'])}"]
    out = []
    for (_, w), (_, g) in zip(want.iterrows(), got.iterrows(), strict=True):
        for c in ("status", "year", "n", "verdict"):
            if str(w[c]) != str(g[c]):
                out.append(f"{w['id']}.{c}: golden {w[c]!r}, now {g[c]!r}")
        for c in ("target", *FLOATS):
            a, b = float(w[c]), float(g[c])
            same = (math.isnan(a) and math.isnan(b)) or a == b or math.isclose(a, b, rel_tol=1e-6)
            if not same:
                out.append(f"{w['id']}.{c}: golden {a!r}, now {b!r}")
    return out


def write(scenario_file: Path, seed: int, world=None) -> Path:
    """Recompute and commit-ready write one golden."""
    from sim.output import atomic_write_csv

    return atomic_write_csv(compute(scenario_file, seed, world), golden_path(scenario_file, seed))
