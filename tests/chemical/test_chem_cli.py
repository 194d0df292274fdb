"""The CLI on the shipped chemical scenarios (goldens: tests/engine/test_eng_goldens.py)."""

import json
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main

SCEN = Path(__file__).resolve().parents[2] / "scenarios" / "chemical"
GOLDEN = SCEN / "golden"
SHIPPED = ["chlorine_zhuxi_night", "ammonia_heshan_day", "chlorine_zhuxi_windshift"]
SEED = 1
FLOATS = ["estimate", "ci_low", "ci_high"]


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
