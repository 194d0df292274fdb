"""Calm ticks skip the road and resident updates only when those could not change (#15).

A typhoon run has ~130 calm ticks (no wind on the grid: before the storm is in range
and after it has left). `TyphoonHazard` skips the roads' update when nothing is closed
or flooded, and the residents' update when no cell is flooded; the event log must be
the one the full updates give.
"""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.typhoon.hazard import TyphoonHazard
from sim.model import DrillModel
from sim.run import load_world, run
from sim.scenario import load_scenario


@pytest.fixture(scope="module")
def mangkhut():
    scen = load_scenario("scenarios/typhoon/mangkhut_2018.yaml")
    return scen, load_world(scen)


def test_skipped_calm_ticks_give_the_full_updates_event_log(mangkhut, monkeypatch):
    scen, world = mangkhut
    calm_with_closed_roads = []
    update = TyphoonHazard._update_roads

    def counting(self, model, t, dt_h):
        if self._calm_grid and self.router.closed.any():
            calm_with_closed_roads.append(t)
        return update(self, model, t, dt_h)

    monkeypatch.setattr(TyphoonHazard, "_update_roads", counting)
    skipped = run(scen, 2, world=world)
    with monkeypatch.context() as m:
        m.setattr(TyphoonHazard, "_roads_idle", lambda self: False)
        m.setattr(TyphoonHazard, "_residents_idle", lambda self: False)
        full = run(scen, 2, world=world)
    assert skipped.log.digest() == full.log.digest()
    # the run exercises the calm-tick road path: roads still closed after the wind left
    # are cleared and reopened in calm ticks
    assert calm_with_closed_roads
    reopened = [e.t_min for e in skipped.log if e.kind == "road_reopened"]
    assert max(reopened) >= min(calm_with_closed_roads)


def test_a_flooded_cell_in_a_calm_tick_still_floods_the_household_there(mangkhut):
    """No shipped run has a flooded cell in a calm tick; the rule must still hold there."""
    scen, world = mangkhut
    model = DrillModel(scen, world, 1, resident_agents=False)
    hz, res = model.hazard, model.residents
    hz.start(model)  # as the model does when it starts: per-group state
    assert hz._calm_grid and hz._residents_idle()  # before the first tick: calm and dry
    i = 7
    r, c = world.grid.index_xy(res.x[i : i + 1], res.y[i : i + 1])
    flooded = np.zeros_like(hz.flood.flooded)
    flooded[r[0], c[0]] = True
    hz.flood.flooded = flooded
    assert not hz._residents_idle()
    hz._update_residents(model, 0.0)
    got = [e for e in model.log if e.kind == "household_flooded"]
    assert [e.subject_id for e in got] == [f"G{i}"]
