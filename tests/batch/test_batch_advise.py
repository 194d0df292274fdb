"""`jmsim advise`: candidate changes, their costs and the search on a small drill."""

from __future__ import annotations

import copy
import json

import pytest
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
        "reporting:town_satphone",
        "reporting:town_desk",
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


def _row(id_, direction="<="):
    from types import SimpleNamespace

    return SimpleNamespace(id=id_, direction=direction)


def _card(**rows):
    """A scorecard from id=(estimate, target, verdict)."""
    import pandas as pd

    return pd.DataFrame(
        [{"id": k, "estimate": e, "target": t, "verdict": v} for k, (e, t, v) in rows.items()]
    )


def _cand(key, cost, flag):
    from sim.batch.advise import Candidate

    def edit(d, flag=flag):
        d.setdefault("applied", []).append(flag)

    return Candidate(key, key, cost, edit)


def test_greedy_rejects_a_change_that_breaks_a_passing_row():
    """The cheapest fix of the failing sea row breaks the passing relief row: turned down."""
    from sim.batch.advise import greedy

    base = _card(sea=(10.0, 5.0, "fail"), relief=(4.0, 5.0, "pass"))

    def evaluate(plan):
        applied = plan.get("applied", [])
        sea = (4.0, 5.0, "pass") if applied else (10.0, 5.0, "fail")
        relief = (7.0, 5.0, "fail") if "lead" in applied else (4.0, 5.0, "pass")
        return _card(sea=sea, relief=relief)

    # ranked best benefit per cost first: the breaking change would be taken first
    ranked = [_cand("lead:+6h", 1.0, "lead"), _cand("more:boats", 5.0, "boats")]
    g = greedy(ranked, {}, evaluate, [_row("sea")], base)
    assert [c.key for c in g.chosen] == ["more:boats"]
    assert g.plan["applied"] == ["boats"] and g.spent == 5.0
    assert g.rejected == [{"change": "lead:+6h", "cost": 1.0, "breaks": ["relief"]}]
    # without a non-breaking alternative, no advice rather than a breaking one
    g2 = greedy(ranked[:1], {}, evaluate, [_row("sea")], base)
    assert g2.chosen == [] and g2.rejected


def test_greedy_repeats_a_change_while_it_helps_and_keeps_the_cheapest_best_prefix():
    from sim.batch.advise import greedy

    base = _card(sea=(10.0, 5.0, "fail"))

    def evaluate(plan):
        n = len(plan.get("applied", []))
        est = max(10.0 - 3.0 * n, 4.0)  # 7, 4, 4: the third boat no longer helps
        return _card(sea=(est, 5.0, "pass" if est <= 5.0 else "fail"))

    g = greedy([_cand("more:boats", 2.0, "b")], {}, evaluate, [_row("sea")], base)
    assert g.plan["applied"] == ["b", "b"] and g.spent == 4.0
    assert [t["rows_passing"] for t in g.trace] == [[], ["sea"]]


def _short_of_boats(drill_path) -> str:
    """The drill for 6 h with one boat and no helicopter: sea arrival fails, more boats fix it."""
    text = drill_path.read_text().replace("duration_h: 12", "duration_h: 6")
    text = text.replace(
        "id: boat, type: rescue_boat, count: 2,", "id: boat, type: rescue_boat, count: 1,"
    )
    lines = text.splitlines()
    i = next(k for k, line in enumerate(lines) if "id: heli," in line)
    return "\n".join(lines[:i] + lines[i + 2 :]) + "\n"


def test_advise_on_dask_gives_the_same_advice_as_local_workers(tmp_path, drill_path):
    """Every batch of the search goes to the scheduler; same seeds, so the same advice."""
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "short.yaml"
    src.write_text(_short_of_boats(drill_path))
    args = [str(src), "--runs", "2", "--only", "^more:boat$"]
    assert main(["advise", *args, "--out", str(tmp_path / "local")]) == 0
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        rc = main(["advise", *args, "--scheduler", cluster.scheduler_address,
                   "--out", str(tmp_path / "dask")])  # fmt: skip
    assert rc == 0
    local, dask = (
        json.loads((tmp_path / d / "advice.json").read_text()) for d in ("local", "dask")
    )
    assert "sea_arrival_time" in local["rows_failing_or_cannot_tell"]
    assert local["recommendation"] and "sea_arrival_time" in local["confirmation"]["rows_fixed"]
    for k in ("wall_s", "baseline_batch_s"):
        local.pop(k), dask.pop(k)
    assert json.dumps(dask, sort_keys=True) == json.dumps(local, sort_keys=True)


def test_benefit_is_net_so_a_change_that_worsens_a_failing_row_ranks_low():
    """A small gain on one row must not hide a larger loss on another (in distance-to-target
    units): the benefit nets the rows out instead of summing the gains only."""
    import pandas as pd

    from sim.batch.advise import _benefit

    base = _card(sea=(3.6, 2.0, "fail"), comms=(0.98, 1.0, "fail"))
    rows = [_row("sea", "<"), _row("comms", ">=")]

    def diffs(sea, comms):
        return pd.DataFrame(
            [
                {"id": "sea", "diff_mean": sea, "ci_low": sea, "ci_high": sea, "better": ""},
                {
                    "id": "comms",
                    "diff_mean": comms,
                    "ci_low": comms,
                    "ci_high": comms,
                    "better": "",
                },
            ]
        )

    worse_sea, _ = _benefit(diffs(+0.8, +0.005), rows, base)  # -0.5 + 0.25
    better_sea, _ = _benefit(diffs(-0.8, 0.0), rows, base)
    assert worse_sea < 0 < better_sea


def test_reporting_candidates_keep_the_town_deadline_and_validate():
    """Town satellite phones / desks change only that field: the town hop keeps its 60 min
    deadline (国务院令第493号 Art. 9), not the hop model's generic default."""
    from sim.scenario.schema import ReportingSpec, Scenario

    raw = yaml.safe_load(open("scenarios/typhoon/mangkhut_2018.yaml", encoding="utf-8"))
    cs = {c.key: c for c in candidates(raw, [])}
    d = copy.deepcopy(raw)
    cs["reporting:town_satphone"].edit(d)
    cs["reporting:town_desk"].edit(d)
    town = d["plan"]["reporting"]["town"]
    want = ReportingSpec().town
    assert town["satellite_phone"] is True and town["duty_staff"] == want.duty_staff + 1
    assert town["deadline_min"] == want.deadline_min == 60.0
    assert "reporting" not in raw["plan"]  # the original is untouched
    d["plan"]["reporting"]["town"]["satellite_phone"] = True
    assert not {c.key for c in candidates(d, [])} & {"reporting:town_satphone"}
    Scenario.model_validate(d)  # the edited plan is a valid scenario
