"""Golden seeded scorecards of the shipped chemical scenarios, and the CLI around them.

Goldens are `jmsim run scenarios/chemical/<id>.yaml --seed 1` scorecards (id, n,
estimate and interval rounded to 4 significant digits, verdict). Counts and
verdicts must match exactly, floats to 1e-6 relative. Regenerate after an
intended model change with `JMSIM_UPDATE_GOLDEN=1 pytest tests/chemical/test_chem_golden.py`
and review the diff.
"""

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main

SCEN = Path(__file__).resolve().parents[2] / "scenarios" / "chemical"
GOLDEN = SCEN / "golden"
SHIPPED = ["chlorine_zhuxi_night", "ammonia_heshan_day", "chlorine_zhuxi_windshift"]
SEED = 1
FLOATS = ["estimate", "ci_low", "ci_high"]


def _card(name: str, world) -> pd.DataFrame:
    from sim.indicators.scorecard import build_scorecard
    from sim.run import run
    from sim.scenario import load_scenario

    s = load_scenario(SCEN / f"{name}.yaml")
    card = build_scorecard(s, run(s, SEED, world=world).events(), world)
    out = card[["id", "n", *FLOATS, "verdict"]].copy()
    for c in FLOATS:
        out[c] = [float(f"{v:.4g}") if np.isfinite(v) else v for v in out[c].astype(float)]
    return out


@pytest.mark.parametrize("name", SHIPPED)
def test_golden_scorecard(name, jm_world):
    path = GOLDEN / f"{name}.seed{SEED}.csv"
    got = _card(name, jm_world)
    if os.environ.get("JMSIM_UPDATE_GOLDEN"):
        got.to_csv(path, index=False)
    want = pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert got["id"].tolist() == want["id"].tolist()
    assert got["n"].tolist() == want["n"].tolist()
    assert got["verdict"].tolist() == want["verdict"].tolist()
    for c in FLOATS:
        np.testing.assert_allclose(got[c].astype(float), want[c].astype(float), rtol=1e-6)


def test_cli_run_prints_chemical_scorecard(capsys):
    assert main(["run", str(SCEN / "chlorine_zhuxi_windshift.yaml"), "--seed", "1"]) == 0
    out = capsys.readouterr().out
    for key in (
        "chem_aegl2_zone_protected_time",
        "chem_people_above_aegl3",
        "chem_source_shutoff_time",
    ):
        assert key in out
    assert "HEAVY GAS" in out


def test_cli_calc_plume_and_zones_json(capsys):
    # Ground centreline C = Q/(pi u sy sz); Briggs rural D at 1 km: sy = 0.08x(1+1e-4x)^-1/2,
    # sz = 0.06x(1+1.5e-3x)^-1/2 (models.md §2, GasDispersion briggs.jl).
    assert (
        main(
            [
                "calc",
                "plume",
                "--chemical",
                "ammonia",
                "--rate-kg-s",
                "1",
                "--wind-m-s",
                "3",
                "--stability",
                "D",
                "--x-m",
                "1000",
                "--json",
            ]
        )
        == 0
    )
    p = json.loads(capsys.readouterr().out)
    sy, sz = 80 / 1.1**0.5, 60 / 2.5**0.5
    assert p["sigma_y_m"] == pytest.approx(sy, rel=1e-9)
    assert p["sigma_z_m"] == pytest.approx(sz, rel=1e-9)
    assert p["concentration_mg_m3"] == pytest.approx(1e6 / (np.pi * 3 * sy * sz), rel=1e-9)
    assert (
        main(
            [
                "calc",
                "zones",
                "--chemical",
                "ammonia",
                "--rate-kg-s",
                "1",
                "--wind-m-s",
                "3",
                "--stability",
                "D",
                "--json",
            ]
        )
        == 0
    )
    z = json.loads(capsys.readouterr().out)
    assert z["aegl3_m"] < z["aegl2_m"] < z["aegl1_m"]
