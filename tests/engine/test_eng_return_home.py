"""Back home after the all-clear: evacuees leave shelters, exposed groups stop being 'exposed'."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from sim.agents.residents import ResidentState
from sim.hazards.base import NullHazard
from sim.model import DrillModel
from sim.response.return_home import CHECK_EVERY_MIN


class _Passing(NullHazard):
    """Everyone outside a shelter is reached until T+200; optionally all-clear from T+300."""

    name = "passing"
    tick_min = 5.0
    exposure_threshold = 0.5

    def __init__(self, clear_at: float | None) -> None:
        self.now = 0.0
        self.clear_at = clear_at
        if clear_at is not None:
            self.all_clear = self._all_clear  # only this variant publishes an all-clear

    def advance(self, model, t_min: float) -> None:
        self.now = t_min

    def intensity_at(self, x_m, y_m):
        return np.full(np.shape(x_m), 1.0 if self.now < 200 else 0.0)

    def _all_clear(self, model, idx, t_min):
        return np.full(len(idx), t_min >= self.clear_at)


def _run(drill, world, clear_at):
    m = DrillModel(drill, world, 7, hazard=_Passing(clear_at))
    m.run(600)
    return m


def test_groups_go_home_after_the_all_clear_and_free_their_shelter(drill, synthetic_world):
    m = _run(drill, synthetic_world, clear_at=300)
    res = m.residents
    back = m.log.of_kind("group_returned_home")
    assert back, "nobody went home after the all-clear"
    assert all(300 <= e.t_min < 300 + CHECK_EVERY_MIN + drill.run.tick_min for e in back)
    came = {e.payload["came_from"] for e in back}
    assert "home" in came and came - {"home"}  # exposed at home, and evacuees from a shelter
    gone = np.array([int(e.subject_id[1:]) for e in back])
    assert (res.state[gone] == ResidentState.RETURNED).all()
    assert np.allclose(res.x[gone], res.home_x[gone]) and np.allclose(res.y[gone], res.home_y[gone])
    assert not ((res.state == ResidentState.SHELTERED) & (res.shelter >= 0)).any()
    assert all(s.occupants == 0 for s in m.protective_actions.shelters)
    assert m.residents.counts()["returned"] == sum(e.payload["people"] for e in back)


def test_paired_no_all_clear_means_nobody_returns(drill, synthetic_world):
    """Common random numbers: same seed and hazard, only the all-clear differs."""
    with_clear = _run(drill, synthetic_world, clear_at=300)
    without = _run(drill, synthetic_world, clear_at=None)
    assert not without.log.of_kind("group_returned_home")
    assert not (without.residents.state == ResidentState.RETURNED).any()
    sheltered = without.residents.counts()["sheltered"]
    assert sheltered > 0 and with_clear.residents.counts()["sheltered"] < sheltered
    # nothing else differs before the all-clear (the return draws no random numbers)
    before = [(e.t_min, e.kind, e.subject_id) for e in with_clear.log if e.t_min < 300]
    assert before == [(e.t_min, e.kind, e.subject_id) for e in without.log if e.t_min < 300]


def _typhoon_stub(**kw):
    from scenarios.typhoon.params import Impacts

    n = 4
    base = dict(
        passed=True,
        _home_rc=(np.zeros(n, int), np.arange(n)),
        gale_until=np.array([[100.0, 100.0, 100.0, 500.0]]),
        flood=SimpleNamespace(flooded=np.array([[False, True, False, False]])),
        chain=None,
        params=SimpleNamespace(impacts=Impacts()),
        home_peak=np.array([30.0, 30.0, 120.0, 30.0]),
    )
    base.update(kw)
    return SimpleNamespace(**base)


def test_typhoon_all_clear_needs_passage_six_quiet_hours_a_dry_and_standing_home():
    """Group 0 may go home; 1 is flooded; 2's home is destroyed (MDR >= 0.5 above v_half,
    112.8 m/s for WP3 TDR, Eberenz et al. 2021; 120 m/s gives 0.56); 3 had gale until
    T+500 (< 6 h before T+700)."""
    from scenarios.typhoon.hazard import TyphoonHazard

    idx = np.arange(4)
    ok = TyphoonHazard.all_clear(_typhoon_stub(), None, idx, 700.0)
    assert ok.tolist() == [True, False, False, False]
    assert TyphoonHazard.all_clear(_typhoon_stub(), None, idx, 459.0).tolist() == [False] * 4
    later = TyphoonHazard.all_clear(_typhoon_stub(), None, idx, 860.0)
    assert later.tolist() == [True, False, False, True]
    assert not TyphoonHazard.all_clear(_typhoon_stub(passed=False), None, idx, 900.0).any()
