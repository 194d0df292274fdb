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
    # Higos pre-positions relief from county/town stocks only: the city depot never ships,
    # which must read "no qualifying events", never 0 or pass.
    assert want.loc["relief_supply_first_batch_city", "verdict"] == "no qualifying events"
