"""Metamorphic tests of relief and shelter on the synthetic drill (issue 13), paired seeds.

One-sided, per seed: a bigger plan must never do worse. Each would catch a
dispatcher or allocator that wastes the extra resource (e.g. sends the new
truck from the far depot first, or fills the wrong shelter).
"""

from __future__ import annotations

import json

import numpy as np

from sim.indicators.measures import MEASURES
from sim.run import run

SEEDS = (1, 2, 3)


def _with_plan(sc, **kw):
    return sc.model_copy(update={"plan": sc.plan.model_copy(update=kw)})


def _relief_hours(sc, world, seed) -> np.ndarray:
    s = MEASURES["initial_relief_time"](run(sc, seed, world=world).events())
    return np.where(np.isfinite(s.values), s.values, sc.duration_min / 60.0)


def test_more_relief_stock_and_trucks_never_lengthen_relief_times(drill, synthetic_world):
    more = [
        d.model_copy(update={"stock_kits": d.stock_kits * 2, "trucks": d.trucks + 2})
        for d in drill.plan.depots
    ]
    big = _with_plan(drill, depots=more)
    for s in SEEDS:
        base = _relief_hours(drill, synthetic_world, s)
        bigger = _relief_hours(big, synthetic_world, s)
        assert base.size == bigger.size > 0
        assert bigger.mean() <= base.mean() + 1e-9, s


def _overflow_people(sc, world, seed) -> int:
    """People turned away for lack of room (`shelter_full` events)."""
    ev = run(sc, seed, world=world).events()
    full = ev[ev["kind"] == "shelter_full"]
    return sum(json.loads(p)["people"] for p in full["payload"])


def test_more_shelter_capacity_lowers_overflow(drill, synthetic_world):
    small = [drill.plan.shelters[0].model_copy(update={"capacity_people": 20000})]
    large = [drill.plan.shelters[0].model_copy(update={"capacity_people": 80000})]
    tot_small = tot_large = 0
    for s in SEEDS:
        a = _overflow_people(_with_plan(drill, shelters=small), synthetic_world, s)
        b = _overflow_people(_with_plan(drill, shelters=large), synthetic_world, s)
        assert b <= a, s
        tot_small, tot_large = tot_small + a, tot_large + b
    assert tot_large < tot_small  # the small shelter really overflowed
