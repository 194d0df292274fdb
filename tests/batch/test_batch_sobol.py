"""Optional global sensitivity (SALib Sobol) in `jmsim sweep --sobol N`."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.mark.slow
def test_sobol_gives_zero_to_an_input_without_effect(tmp_path, drill_path, capsys):
    pytest.importorskip("SALib")
    from sim.cli import main

    src = tmp_path / "drill.yaml"
    src.write_text(drill_path.read_text().replace("duration_h: 12", "duration_h: 4"))
    out = tmp_path / "sweep"
    code = main(
        ["sweep", str(src), "--vary", "plan.units[boat].vehicle.sea_kmh=10..40",
         "--vary", "plan.depots[F1].load_min=10..60",  # relief loading: no effect at sea
         "--samples", "6", "--sobol", "8", "--indicator", "sea_arrival_time",
         "--out", str(out), "--no-report", "--no-progress"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    si = pd.read_csv(out / "sobol.csv").set_index("input")
    runs = pd.read_parquet(out / "sobol" / "runs.parquet")
    # Saltelli design without second order: N·(D+2) = 8·4 runs, all on one engine seed
    assert len(runs) == 32 and runs["seed"].nunique() == 1 and runs["run_id"].is_unique
    # one hazard realisation for all rows: an input that changes nothing at sea gets exactly 0
    # (Jansen/Saltelli estimators of S1 and ST are sums of f(A) − f(AB_i) terms, all 0 here)
    assert si.loc["plan.depots[F1].load_min", "ST"] == 0
    assert si.loc["plan.depots[F1].load_min", "S1"] == 0
    assert si.loc["plan.units[boat].vehicle.sea_kmh", "ST"] > 0.1
