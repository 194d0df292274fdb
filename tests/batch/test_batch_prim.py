"""Scenario discovery: PRIM (EMA Workbench) recovers a planted failure region."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim.batch.sweep import discover
from sim.batch.uncertainty import lhs_unit


def _planted(n=600, noise=0.03, seed=0):
    """Four inputs on [0, 1]; runs fail where x1 > 0.6 and x2 < 0.4 (planted), 3 % labels flipped."""
    x = pd.DataFrame(lhs_unit(n, 4, seed), columns=["x1", "x2", "x3", "x4"])
    fail = ((x["x1"] > 0.6) & (x["x2"] < 0.4)).to_numpy()
    flip = np.random.default_rng(seed).random(n) < noise
    return x, fail ^ flip


def test_prim_recovers_planted_box(tmp_path):
    x, fail = _planted()
    box = discover(x, fail, plot=tmp_path / "prim_box.png")
    assert set(box.limits) == {"x1", "x2"}  # the irrelevant inputs stay unrestricted
    lo1, hi1 = box.limits["x1"]
    lo2, hi2 = box.limits["x2"]
    assert lo1 == pytest.approx(0.6, abs=0.05) and hi1 > 0.95
    assert hi2 == pytest.approx(0.4, abs=0.05) and lo2 < 0.05
    assert box.density >= 0.85 and box.coverage >= 0.8
    assert (tmp_path / "prim_box.png").stat().st_size > 1000
    assert (tmp_path / "prim_box_tradeoff.png").stat().st_size > 1000


def test_prim_categorical_input_and_no_failures():
    x, _ = _planted(n=400, noise=0.0, seed=2)
    x["policy"] = np.where(np.arange(400) % 2 == 0, "nearest", "first_free")
    fail = ((x["x1"] > 0.6) & (x["policy"] == "first_free")).to_numpy()
    box = discover(x, fail)
    assert box.limits["policy"] == ({"first_free"},)
    assert box.limits["x1"][0] == pytest.approx(0.6, abs=0.05)
    assert discover(x, np.zeros(400, dtype=bool)) is None


@pytest.mark.slow
def test_sweep_cli_finds_failure_region_on_the_engine(tmp_path, drill_path):
    out = tmp_path / "sweep"
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "sweep", str(drill_path),
         "--vary", "hazard.streams[river_rescue].rate_per_h=0.1..3",
         "--vary", "plan.dispatch.turnout_min=1..5",
         "--samples", "40", "--seed", "3", "--workers", "2", "--out", str(out),
         "--indicator", "inland_river_arrival_time", "--no-report", "--no-progress"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "PRIM box" in proc.stdout
    exp = pd.read_csv(out / "experiments.csv")
    assert len(exp) == 40 and exp["run"].tolist() == list(range(40))
    boxes = pd.read_csv(out / "prim_boxes.csv")
    # river calls queue for the few water-rescue boats as the call rate rises: the box is on the rate
    assert "hazard.streams[river_rescue].rate_per_h" in set(boxes["input"])
    assert (out / "prim_box.png").exists()


def test_prim_integer_input_such_as_a_unit_count():
    # EMA Workbench pastes box midpoints (e.g. 2.5) into integer columns; inputs like
    # plan.units[boat].count must still work and give the planted limit.
    x, _ = _planted(n=400, noise=0.0, seed=4)
    x["boats"] = (1 + np.floor(x.pop("x3") * 6)).astype("int64")  # integers 1..6
    fail = ((x["x1"] > 0.6) & (x["boats"] <= 2)).to_numpy()
    box = discover(x, fail)
    assert box.limits["boats"][1] < 3 and box.limits["x1"][0] == pytest.approx(0.6, abs=0.05)
