"""Plan comparisons on paired seeds (common random numbers): the storm, the distress calls and
the outages are drawn from streams the plan does not touch, so differences come from the plan.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from sim.indicators.measures import sea_arrival_time
from sim.run import load_world, run
from sim.scenario import load_scenario

SEEDS = (1, 2)


@pytest.fixture(scope="module")
def mangkhut():
    scen = load_scenario("scenarios/typhoon/mangkhut_2018.yaml")
    # 40 h covers every sea call (window -18..+6 h around landfall at 32 h)
    meta = scen.scenario.model_copy(update={"duration_h": 40.0})
    return scen.model_copy(update={"scenario": meta}), load_world(scen)


def _with_units(scen, units):
    return scen.model_copy(update={"plan": scen.plan.model_copy(update={"units": units})})


def _with_hazard(scen, **kw):
    return scen.model_copy(update={"hazard": scen.hazard.model_copy(update=kw)})


def _sea_hours(scen, world, seed) -> np.ndarray:
    s = sea_arrival_time(run(scen, seed, world=world).events())
    end_h = scen.duration_min / 60.0
    return np.where(np.isfinite(s.values), s.values, end_h)  # never reached: censored at run end


def test_ty_more_sea_units_shorten_sea_arrival(mangkhut):
    scen, world = mangkhut
    # a thin sea plan (two slow tugs at 崖门) versus the same plus two rescue boats
    # pre-positioned at 山咀 on the central Taishan coast
    sea = {"sea-shangchuan", "msa-guanghai", "msa-shanzui", "msa-hengshan", "heli-kaiping"}
    base_units = [u for u in scen.plan.units if u.id not in sea]
    boats = next(u for u in scen.plan.units if u.id == "sea-shangchuan")
    extra = boats.model_copy(update={"id": "prepositioned-shanzui", "base": "SEA04"})
    few = _with_units(scen, base_units)
    more = _with_units(scen, [*base_units, extra])
    t_few = np.concatenate([_sea_hours(few, world, s) for s in SEEDS])
    t_more = np.concatenate([_sea_hours(more, world, s) for s in SEEDS])
    assert t_few.size == t_more.size > 0  # the same calls on paired seeds
    assert t_more.mean() < t_few.mean()
    # and adding units never makes the paired total worse per seed
    assert t_more.sum() <= t_few.sum()


def _exposed_and_harmed(scen, world, seed, lead_h) -> tuple[int, float]:
    """(people exposed at home, expected deaths of exposure at home) with every order at
    `lead_h` hours before landfall."""
    evac = [o.model_copy(update={"lead_h": lead_h}) for o in scen.hazard.evacuations]
    ev = run(_with_hazard(scen, evacuations=evac), seed, world=world).events()
    exposed = sum(json.loads(p)["people"] for p in ev[ev["kind"] == "household_exposed"]["payload"])
    cas = [json.loads(p) for p in ev[ev["kind"] == "casualties"]["payload"]]
    harmed = sum(c["expected_deaths"] for c in cas if c.get("cause") != "time_to_rescue")
    return exposed, harmed


def check_earlier_evacuation_lowers_exposed_and_harmed(scen, world, seeds=SEEDS):
    """Orders 30 h instead of 2 h before landfall: fewer people exposed at home, per paired
    seed, and no more expected deaths from exposure."""
    for s in seeds:
        early = _exposed_and_harmed(scen, world, s, 30.0)
        late = _exposed_and_harmed(scen, world, s, 2.0)
        assert early[0] < late[0], f"seed {s}: exposed early {early[0]} vs late {late[0]}"
        assert early[1] <= late[1] + 1e-9, f"seed {s}: harmed early {early[1]} vs late {late[1]}"


def test_ty_earlier_evacuation_reduces_exposed_people(mangkhut):
    check_earlier_evacuation_lowers_exposed_and_harmed(*mangkhut)


def test_ty_evacuation_check_flags_orders_blind_to_their_lead(mangkhut, monkeypatch):
    """Broken variant: every order goes out 12 h before landfall whatever its lead says."""
    from scenarios.typhoon import orders

    monkeypatch.setattr(orders, "order_time", lambda lf, lead_h: max(0.0, lf - 12 * 60.0))
    with pytest.raises(AssertionError, match="exposed early"):
        check_earlier_evacuation_lowers_exposed_and_harmed(*mangkhut, SEEDS[:1])
