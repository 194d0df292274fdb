"""What the typhoon goldens must contain (they are compared in tests/engine/test_eng_goldens.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parents[2] / "scenarios" / "typhoon" / "golden"


def test_ty_golden_every_dynamic_typhoon_indicator_present():
    """The scorecard lists all dynamic typhoon indicators (shared INDICATORS.md) plus shelter area."""
    want = pd.read_csv(HERE / "higos_2020.seed1.csv").set_index("id")
    for ind in (
        "sea_arrival_time",
        "inland_river_arrival_time",
        "initial_relief_time",
        "relief_supply_first_batch_city",
        "relief_supply_first_batch_county",
        "relief_supply_first_batch_town",
        "warning_public_coverage",
        "scene_comms_assurance",
        "natural_disaster_deaths_per_million",
        "affected_per_100k",
        "direct_loss_share_of_gdp",
        "shelter_area_per_capita_urban",
    ):
        assert ind in want.index
    # Each level sends its own first batch (专栏1), so the city row is measured from the
    # city's own delivery, not left empty because county stock sufficed (the old fallback).
    for level in ("city", "county", "town"):
        row = want.loc[f"relief_supply_first_batch_{level}"]
        assert row["status"] == "measured" and row["n"] == 1
    # every plan row is present: 27 of 专栏2, 4 of 专栏1, 1 text target
    assert len(want) == 32
    assert want.loc["natural_disaster_deaths_per_million", "status"] == "event_contribution"
    assert want.loc["cadre_training_rate", "status"] == "out_of_scope"
