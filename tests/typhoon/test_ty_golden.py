"""Golden seeded scorecards of the shipped typhoon scenarios (`jmsim run FILE --seed 1`).

Counts and verdicts must match exactly, floats to 1e-5 relative (goldens are rounded to
6 significant digits). Regenerate with `python scenarios/typhoon/golden/regenerate.py`
only after an intended model change.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from scenarios.typhoon.golden.regenerate import HERE, SCENARIOS, SEED, rounded, scorecard


@pytest.mark.parametrize("stem", SCENARIOS)
def test_ty_golden_scorecard(stem):
    scen, card = scorecard(stem)
    got = rounded(card).set_index("id")
    want = pd.read_csv(HERE / f"{scen.scenario.id}.seed{SEED}.csv").set_index("id")
    assert list(got.index) == list(want.index)
    for ind in want.index:
        g, w = got.loc[ind], want.loc[ind]
        assert g["verdict"] == w["verdict"], ind
        assert int(g["n"]) == int(w["n"]), ind
        for col in ("estimate", "ci_low", "ci_high"):
            a, b = float(g[col]), float(w[col])
            if math.isnan(b):
                assert math.isnan(a), (ind, col)
            else:
                assert a == pytest.approx(b, rel=1e-5, abs=1e-9), (ind, col)


def test_ty_golden_every_dynamic_typhoon_indicator_present():
    """The scorecard lists all dynamic typhoon indicators (shared INDICATORS.md) plus shelter area."""
    want = pd.read_csv(HERE / "typhoon_higos_2020.seed1.csv").set_index("id")
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
