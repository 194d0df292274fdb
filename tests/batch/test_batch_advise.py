"""`jmsim advise`: candidate changes, their costs and the search on a small drill."""

from __future__ import annotations

import copy
import json

import yaml

from sim.batch.advise import DEFAULT_COSTS, candidates
from sim.cli import main


def _raw():
    return {
        "hazard": {
            "type": "typhoon",
            "evacuations": [{"id": "E", "lead_h": 12}],
            "warnings": [{"id": "W", "lead_h": 24}],
        },
        "plan": {
            "units": [
                {"id": "boats", "type": "rescue_boat", "count": 2, "base": "SEA01"},
                {"id": "heli", "type": "helicopter", "count": 1, "base": {"lat": 22, "lon": 113}},
            ],
            "depots": [{"facility": "DEP01", "stock_kits": 10, "trucks": 2}],
            "costs": {"helicopter": 1.0},
        },
    }


def test_candidates_cover_units_bases_leads_and_relief_with_costs():
    raw = _raw()
    cs = {c.key: c for c in candidates(raw, ["SEA01", "SEA02", "FIR01", "DEP01"])}
    assert set(cs) == {
        "more:boats",
        "more:heli",
        "move:boats:SEA02",  # only bases of the same kind; coordinates are not moved
        "lead:+6h",
        "relief:stock",
        "relief:trucks",
    }
    assert cs["more:heli"].cost == 1.0  # the scenario's cost table wins
    assert cs["more:boats"].cost == DEFAULT_COSTS["rescue_boat"]
    assert cs["move:boats:SEA02"].cost == 2 * DEFAULT_COSTS["move_group_per_unit"]
    d = copy.deepcopy(raw)
    for k in ("more:boats", "move:boats:SEA02", "lead:+6h", "relief:stock", "relief:trucks"):
        cs[k].edit(d)
    u = d["plan"]["units"][0]
    assert (u["count"], u["base"]) == (3, "SEA02")
    assert d["hazard"]["evacuations"][0]["lead_h"] == 18
    assert d["hazard"]["warnings"][0]["lead_h"] == 30
    assert d["plan"]["depots"][0] == {"facility": "DEP01", "stock_kits": 15, "trucks": 3}
    assert raw["plan"]["units"][0]["count"] == 2  # the original is untouched


def test_advise_writes_advice_and_confirms_on_fresh_seeds(tmp_path, drill_path):
    src = tmp_path / "drill.yaml"
    src.write_text(drill_path.read_text().replace("duration_h: 12", "duration_h: 4"))
    out = tmp_path / "adv"
    rc = main(["advise", str(src), "--runs", "2", "--out", str(out), "--only", "^more:"])
    assert rc == 0
    adv = json.loads((out / "advice.json").read_text())
    assert adv["confirm_seed"] != adv["seed"]
    n = yaml.safe_load(src.read_text())["plan"]["units"]
    assert len(adv["candidates"]) == len(n)  # one "more" candidate per unit group
    # every candidate reports a paired effect with an interval on each failing row
    for c in adv["candidates"]:
        for e in c["effects"].values():
            assert e["ci_low"] <= e["diff_mean"] <= e["ci_high"]
    conf = adv["confirmation"]
    assert set(conf["before"]) == set(conf["after"])
    assert conf["rows_broken"] == sorted(
        i
        for i, b in conf["before"].items()
        if b["verdict"] == "pass" and conf["after"][i]["verdict"] != "pass"
    )
    assert adv["total_cost"] == sum(r["cost"] for r in adv["recommendation"])
    assert "Advice" in (out / "report.html").read_text()
