"""`jmsim year`: event draws, yearly sums over the city and verdicts on 5-year means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.batch.outcomes import OUT
from sim.batch.year import (
    ANNUAL,
    EventClass,
    YearSet,
    annual_scorecard,
    annual_table,
    draw_counts,
    event_runs,
    load_year_set,
)


def _set() -> YearSet:
    return YearSet(
        name="test",
        classes=[
            EventClass(id="season", scenario="x.yaml", per_year="exactly_one"),
            EventClass(id="storm", scenario="y.yaml", rate_per_year=2.0),
            EventClass(id="leak", scenario="z.yaml", rate_per_year=1.0, natural=False),
        ],
    )


def test_draws_are_seeded_poisson_and_exactly_one():
    a, b = draw_counts(_set(), 4000, 7), draw_counts(_set(), 4000, 7)
    assert (a == b).all()
    assert (a[:, 0] == 1).all()
    assert a[:, 1].mean() == pytest.approx(2.0, rel=0.05)  # Poisson mean
    assert a[:, 1].var() == pytest.approx(2.0, rel=0.1)  # Poisson: variance = mean


def test_every_event_is_its_own_run_unless_a_pool_is_asked():
    n, pick = event_runs(30, None, 1)
    assert n == 30 and pick.tolist() == list(range(30))
    n, pick = event_runs(30, 5, 1)
    assert n == 5 and pick.min() >= 0 and pick.max() < 5 and pick.size == 30


def test_years_sum_their_events_and_leaks_are_not_natural_disasters():
    ys = _set()
    counts = np.array([[1, 2, 1], [1, 0, 0]])
    runs = {
        "season": pd.DataFrame({OUT + "forest_fire_damage_rate": [0.1, 0.3]}),
        "storm": pd.DataFrame({OUT + "natural_disaster_deaths_per_million": [0.5, 0.25]}),
        "leak": pd.DataFrame({OUT + "affected_per_100k": [99.0]}),
    }
    picks = {"season": np.arange(2), "storm": np.arange(2), "leak": np.arange(1)}
    t = annual_table(ys, counts, runs, picks)
    assert t["forest_fire_damage_rate"].tolist() == [0.1, 0.3]
    assert t["natural_disaster_deaths_per_million"].tolist() == [0.75, 0.0]
    assert t["affected_per_100k"].tolist() == [0.0, 0.0]  # the chemical leak is not counted


def test_verdict_is_on_the_five_year_mean_not_the_worst_year():
    ys = _set()
    years = 50
    # one severe year in five: single years fail (> 1 per million) but 5-year means pass
    deaths = np.tile([3.0, 0.1, 0.1, 0.1, 0.1], years // 5)
    table = pd.DataFrame({"year": np.arange(1, years + 1), "events.storm": 1,
                          **{k: 0.0 for k in ANNUAL}})  # fmt: skip
    table["natural_disaster_deaths_per_million"] = deaths
    runs = {"storm": pd.DataFrame({OUT + "natural_disaster_deaths_per_million": [0.0]})}
    card = annual_scorecard(table, 2025, ys, runs).set_index("id")
    row = card.loc["natural_disaster_deaths_per_million"]
    assert row["verdict"] == "pass" and row["estimate"] == pytest.approx(0.68)
    assert "10 of 10 periods meet the target" in row["detail"]
    assert "40 of 50 years meet it" in row["detail"]
    assert card.loc["direct_loss_share_of_gdp", "status"] == "not_modelled"  # no class makes it
    table["natural_disaster_deaths_per_million"] = deaths * 2  # 5-year mean 1.36 > 1
    row = (
        annual_scorecard(table, 2025, ys, runs)
        .set_index("id")
        .loc["natural_disaster_deaths_per_million"]
    )
    assert row["verdict"] == "fail" and "dominant event class storm" in row["cause"]


def test_year_set_errors_are_one_line(tmp_path):
    f = tmp_path / "set.yaml"
    f.write_text("name: x\nclasses:\n  - {id: a, scenario: nowhere.yaml, rate_per_year: 1}\n")
    with pytest.raises(ValueError, match=r"set.yaml: classes\[a\].scenario: 'nowhere.yaml'"):
        load_year_set(f)
    f.write_text("name: x\nclasses:\n  - {id: a, scenario: set.yaml, rate_per_year: -1}\n")
    with pytest.raises(ValueError, match=r"classes.0.rate_per_year"):
        load_year_set(f)


def test_shipped_year_set_is_valid_and_names_its_sources():
    from pathlib import Path

    ys, base = load_year_set(Path(__file__).resolve().parents[2] / "scenarios/jiangmen_year.yaml")
    assert {c.id for c in ys.classes} >= {"forest_fire_season", "typhoon_super_class"}
    for c in ys.classes:
        assert (base / c.scenario).exists()
        assert c.source or c.illustrative  # cited, or marked illustrative


def test_year_command_end_to_end_on_forest_fires(tmp_path, capsys):
    """Ten years of 24 h 古兜山 fires (Poisson 1.5/yr): every event run, outputs written."""
    import json
    from pathlib import Path

    from sim.cli import main

    root = Path(__file__).resolve().parents[2]
    ys = tmp_path / "set.yaml"
    ys.write_text(
        "name: fires only\nclasses:\n"
        f"  - {{id: fire, scenario: {root}/scenarios/forestfire/gudoushan_dry_season.yaml, "
        "rate_per_year: 1.5, illustrative: true}\n"
    )
    out = tmp_path / "out"
    args = ["year", str(ys), "--years", "10", "--seed", "4", "--out", str(out), "--no-progress"]
    assert main(args) == 0
    text = capsys.readouterr().out
    years = pd.read_csv(out / "years.csv")
    man = json.loads((out / "manifest.json").read_text())
    assert len(years) == 10 and man["runs_per_class"]["fire"] == years["events.fire"].sum()
    card = pd.read_csv(out / "annual_scorecard.csv").set_index("id")
    assert card.loc["forest_fire_damage_rate", "status"] == "measured"
    assert card.loc["forest_fire_damage_rate", "verdict"] in ("pass", "fail", "cannot tell")
    assert card.loc["natural_disaster_deaths_per_million", "status"] == "not_modelled"
    assert "Plan adequate for 2025 targets" in text and (out / "report.html").exists()
    # resuming a finished set re-runs nothing and gives the same scorecard
    assert main([*args, "--resume"]) == 0
    again = pd.read_csv(out / "annual_scorecard.csv").set_index("id")
    assert again["estimate"].equals(card["estimate"])


def test_typhoon_classes_run_with_the_chain_the_set_lends_them():
    from pathlib import Path

    from sim.batch.year import class_scenario

    path = Path(__file__).resolve().parents[2] / "scenarios/jiangmen_year.yaml"
    ys, base = load_year_set(path)
    by = {c.id: c for c in ys.classes}
    higos = class_scenario(path, base, by["typhoon_typhoon_class"]).nominal()
    own = class_scenario(path, base, EventClass(**{**by["typhoon_typhoon_class"].model_dump(),
                                                   "chain_from": None})).nominal()  # fmt: skip
    assert own.hazard.chain is None  # the shipped Higos scenario has no rain
    assert higos.hazard.chain is not None and higos.hazard.chain.hydrology.gauges
    assert higos.hazard.storm == own.hazard.storm == "Higos 2007"
    assert higos.plan == own.plan and higos.msel == own.msel  # only the chain is added
    rain = class_scenario(path, base, by["rainstorm_flood_tanjiang"]).nominal()
    assert rain.hazard.chain.rain.spells  # the rainstorm class brings its own chain
    assert by["rainstorm_flood_tanjiang"].illustrative


def test_chain_from_errors_are_one_line(tmp_path):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "scenarios"
    for lender, scen, want in (
        ("typhoon/higos_2020.yaml", "typhoon/hato_2017.yaml", "has no hazard.chain block"),
        ("typhoon/mangkhut_2018_chain.yaml", "chemical/chlorine_zhuxi_night.yaml", "typhoon"),
        ("typhoon/nope.yaml", "typhoon/hato_2017.yaml", "cannot read"),
    ):
        ys = tmp_path / "set.yaml"
        ys.write_text(
            f"name: t\nclasses:\n  - {{id: c, scenario: {root}/{scen}, rate_per_year: 1, "
            f"chain_from: {root}/{lender}}}\n"
        )
        with pytest.raises(ValueError) as e:
            load_year_set(ys)
        msg = str(e.value)
        assert "\n" not in msg and "classes[c].chain_from" in msg and want in msg


def test_year_command_runs_a_typhoon_class_with_its_lent_chain(tmp_path):
    """A Higos year with the Mangkhut chain block: the storm's rain, rivers and gauges run."""
    import glob
    import json
    from pathlib import Path

    from sim.cli import main

    root = Path(__file__).resolve().parents[2] / "scenarios/typhoon"
    ys = tmp_path / "set.yaml"
    ys.write_text(
        "name: higos with rain\nclasses:\n"
        f"  - {{id: ty, scenario: {root}/higos_2020.yaml, rate_per_year: 1.0, "
        f"illustrative: true, chain_from: {root}/mangkhut_2018_chain.yaml}}\n"
    )
    out = tmp_path / "out"
    args = ["year", str(ys), "--years", "2", "--seed", "3", "--pool", "1", "--out", str(out)]
    assert main([*args, "--no-progress", "--no-report"]) == 0
    ev = pd.concat(pd.read_parquet(f) for f in glob.glob(str(out / "events/ty/events.parquet/*")))
    assert {"rain_hourly", "river_stage"} <= set(ev["kind"])
    card = pd.read_csv(out / "events/ty/scorecard.csv").set_index("id")
    assert card.loc["flood_warning_issue_rate", "status"] == "measured"
    man = json.loads((out / "manifest.json").read_text())
    assert man["classes"][0]["chain_from"].endswith("mangkhut_2018_chain.yaml")
