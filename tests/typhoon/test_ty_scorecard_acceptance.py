"""Issue #12 acceptance on the shipped Mangkhut scenario (slow: real typhoon batches)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
MANGKHUT = ROOT / "scenarios/typhoon/mangkhut_2018.yaml"


@pytest.mark.slow
def test_mangkhut_8_runs_has_every_row_each_level_and_one_overall_verdict(tmp_path):
    from sim.batch.montecarlo import run_batch
    from sim.batch.uncertainty import UncertainScenario
    from sim.indicators.scorecard import overall_verdict

    out = tmp_path / "mk"
    res = run_batch(UncertainScenario.load(MANGKHUT), runs=8, seed=1, out=out, report=False)
    card = res.scorecard.set_index("id")
    assert len(card) == 27 + 4 + 1
    assert sum(card["seed_item"].str.startswith("专栏2-")) == 27
    # each level's first batch comes from its own level's depots
    d, n_runs = res.events.of_kinds(["supplies_delivered"])  # the batch's event files
    assert n_runs == 8
    levels = {json.loads(p)["level"] for p in d["payload"]}
    assert levels == {"city", "county", "town"}
    for level in levels:
        assert card.loc[f"relief_supply_first_batch_{level}", "status"] == "measured"
        assert card.loc[f"relief_supply_first_batch_{level}", "n"] == 8
    for k in (
        "direct_loss_share_of_gdp",
        "natural_disaster_deaths_per_million",
        "affected_per_100k",
    ):
        assert card.loc[k, "status"] == "event_contribution" and card.loc[k, "verdict"] == "n/a"
    static = card[card["status"] == "inventory"]
    assert len(static) == 7 and (static["trace"] == "sim/indicators/inventory/jiangmen.yaml").all()
    o = overall_verdict(res.scorecard)
    for f in o["failing"]:
        assert f["cause"] and f["id"] in o["line"]
    j = json.loads((out / "scorecard.json").read_text())
    assert j["schema"] == "jmsim.scorecard/2" and len(j["rows"]) == 32
    assert j["overall"]["line"] == o["line"]


@pytest.mark.slow
def test_compare_of_two_mangkhut_plans_shows_each_plans_scorecard_values(tmp_path, capsys):
    """The per-plan values of `compare` are those of each plan's own scorecard (no '72')."""
    from sim.cli import main

    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    text = MANGKHUT.read_text(encoding="utf-8")
    a.write_text(text)
    b.write_text(text.replace("id: engine-taishan, type: fire_engine, count: 2",
                              "id: engine-taishan, type: fire_engine, count: 3"))  # fmt: skip
    for f in (a, b):  # facility ids resolve against the world pack, not the file's folder
        assert f.exists()
    out = tmp_path / "cmp"
    code = main(["compare", str(a), str(b), "--runs", "2", "--seed", "1", "--out", str(out),
                 "--no-report", "--no-progress"])  # fmt: skip
    assert code == 0
    cmp_ = pd.read_csv(out / "compare.csv").set_index("id")
    for tag in ("a", "b"):
        card = pd.read_csv(out / tag / "scorecard.csv").set_index("id")
        for i in cmp_.index:
            want, got = card.loc[i, "estimate"], cmp_.loc[i, f"scorecard_{tag}"]
            assert (pd.isna(want) and pd.isna(got)) or want == pytest.approx(got), i
    # the affected rate is a rate per 100k people, never capped at the 72 h run length
    assert cmp_.loc["affected_per_100k", "mean_a"] != 72
    assert cmp_.loc["affected_per_100k", "mean_a"] == pytest.approx(
        cmp_.loc["affected_per_100k", "scorecard_a"]
    )
