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


def test_ty_earlier_evacuation_reduces_exposed_people(mangkhut):
    scen, world = mangkhut
    orders = scen.hazard.evacuations

    def exposed(lead_h, seed):
        evac = [o.model_copy(update={"lead_h": lead_h}) for o in orders]
        ev = run(_with_hazard(scen, evacuations=evac), seed, world=world).events()
        e = ev[ev["kind"] == "household_exposed"]
        return sum(json.loads(p)["people"] for p in e["payload"])

    early = [exposed(30.0, s) for s in SEEDS]
    late = [exposed(2.0, s) for s in SEEDS]
    for a, b in zip(early, late, strict=True):
        assert a < b
