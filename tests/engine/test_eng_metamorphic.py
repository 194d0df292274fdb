"""Metamorphic tests of relief and shelter on the synthetic drill (issue 13), paired seeds.

One-sided, per seed: a bigger plan must never do worse. Each would catch a
dispatcher or allocator that wastes the extra resource (e.g. sends the new
truck from the far depot first, or fills the wrong shelter).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from sim.indicators.measures import MEASURES
from sim.run import run

SEEDS = (1, 2, 3)


def _with_plan(sc, **kw):
    return sc.model_copy(update={"plan": sc.plan.model_copy(update=kw)})


def _relief_hours(sc, world, seed) -> np.ndarray:
    s = MEASURES["initial_relief_time"](run(sc, seed, world=world).events())
    return np.where(np.isfinite(s.values), s.values, sc.duration_min / 60.0)


def check_more_relief_never_lengthens_relief_times(drill, world, seeds=SEEDS):
    """Double stock and two more trucks per depot: mean relief time never longer, per seed."""
    more = [
        d.model_copy(update={"stock_kits": d.stock_kits * 2, "trucks": d.trucks + 2})
        for d in drill.plan.depots
    ]
    big = _with_plan(drill, depots=more)
    for s in seeds:
        base = _relief_hours(drill, world, s)
        bigger = _relief_hours(big, world, s)
        assert base.size == bigger.size > 0
        assert bigger.mean() <= base.mean() + 1e-9, f"seed {s}: relief slower with more trucks"


def test_more_relief_stock_and_trucks_never_lengthen_relief_times(drill, synthetic_world):
    check_more_relief_never_lengthens_relief_times(drill, synthetic_world)


def test_relief_check_flags_a_fleet_that_splits_its_payload(drill, synthetic_world, monkeypatch):
    """Broken variant: each truck carries the depot's two-truck payload shared by the whole
    fleet, so extra trucks mean smaller loads and more trips. The check must flag it."""
    from sim.response.relief import ReliefSystem

    init = ReliefSystem.__init__

    def split_payload(self, model, depots):
        for d in depots:
            per_truck = max(1, d.spec.kits_per_truck * 2 // d.trucks.capacity)
            d.spec = d.spec.model_copy(update={"kits_per_truck": per_truck})
        init(self, model, depots)

    monkeypatch.setattr(ReliefSystem, "__init__", split_payload)
    with pytest.raises(AssertionError, match="relief slower with more trucks"):
        check_more_relief_never_lengthens_relief_times(drill, synthetic_world)


def _overflow_people(sc, world, seed) -> int:
    """People turned away for lack of room (`shelter_full` events)."""
    ev = run(sc, seed, world=world).events()
    full = ev[ev["kind"] == "shelter_full"]
    return sum(json.loads(p)["people"] for p in full["payload"])


def check_more_shelter_capacity_lowers_overflow(drill, world, seeds=SEEDS):
    """A 80,000-place shelter never turns away more people than a 20,000-place one, and
    turns away fewer in total."""
    small = [drill.plan.shelters[0].model_copy(update={"capacity_people": 20000})]
    large = [drill.plan.shelters[0].model_copy(update={"capacity_people": 80000})]
    tot_small = tot_large = 0
    for s in seeds:
        a = _overflow_people(_with_plan(drill, shelters=small), world, s)
        b = _overflow_people(_with_plan(drill, shelters=large), world, s)
        assert b <= a, s
        tot_small, tot_large = tot_small + a, tot_large + b
    assert tot_large < tot_small, "more capacity did not lower overflow"


def test_more_shelter_capacity_lowers_overflow(drill, synthetic_world):
    check_more_shelter_capacity_lowers_overflow(drill, synthetic_world)


def test_shelter_check_flags_an_allocator_that_wastes_capacity(drill, synthetic_world, monkeypatch):
    """Broken variant: the allocator only ever uses the first 20,000 places of a shelter."""
    from sim.response.shelters import Shelter

    monkeypatch.setattr(
        Shelter, "free", property(lambda s: min(s.capacity, 20000) - s.occupants - s.reserved)
    )
    with pytest.raises(AssertionError, match="more capacity did not lower overflow"):
        check_more_shelter_capacity_lowers_overflow(drill, synthetic_world)
