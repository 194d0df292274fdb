"""The forest-fire all-clear: evacuees go home only once every fire near them is contained
and no burning cell came within 2 km of home for 4 h; a burned home never gets it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.spatial import cKDTree

from scenarios.forestfire.hazard import ForestFireHazard
from sim.agents.residents import ResidentState

HERE = Path(__file__).resolve().parents[2] / "scenarios" / "forestfire"


@pytest.fixture(scope="module")
def jiangmen():
    from sim.world import load_jiangmen

    return load_jiangmen()


def _run(world, monkeypatch, quiet_min: float):
    """宅梧 fire, seed 1, recording each tick the distance from every home to a burning cell."""
    from sim.run import run
    from sim.scenario import load_scenario
    from sim.scenario.loader import validate_scenario_dict

    seen: list[tuple[float, np.ndarray, bool]] = []
    advance = ForestFireHazard.advance

    def spy(self, model, t_min):
        advance(self, model, t_min)
        res = model.residents
        d = np.full(res.n, np.inf)
        for fire in self.active:
            rr, cc = np.nonzero(fire.spread.burning_mask())
            if rr.size:
                fx, fy = fire.grid.xy(rr, cc)
                dd, _ = cKDTree(np.column_stack([fx, fy])).query(
                    np.column_stack([res.home_x, res.home_y])
                )
                d = np.minimum(d, dd)
        seen.append((t_min, d, all(f.contained for f in self.active)))

    monkeypatch.setattr(ForestFireHazard, "advance", spy)
    raw = load_scenario(HERE / "heshan_zhaiwu_jan.yaml").model_dump(mode="json", by_alias=True)
    raw["hazard"]["threat"]["return_quiet_min"] = quiet_min
    r = run(validate_scenario_dict(raw, "heshan_zhaiwu_jan"), 1, world=world, keep_model=True)
    monkeypatch.undo()
    return r, seen


def test_fire_evacuees_go_home_after_containment_and_four_quiet_hours(jiangmen, monkeypatch):
    r, seen = _run(jiangmen, monkeypatch, 240.0)
    m, res = r.model, r.model.residents
    back = m.log.of_kind("group_returned_home")
    assert back, "nobody went home after the fire"
    contained = min(e.t_min for e in m.log.of_kind("fire_contained"))
    times = np.array([t for t, _, _ in seen])
    dist = np.stack([d for _, d, _ in seen])
    calm = np.array([c for _, _, c in seen])
    for e in back:
        k = int(e.subject_id[1:])
        assert e.t_min >= contained + 240.0
        window = (times > e.t_min - 240.0) & (times <= e.t_min)
        assert calm[window].all(), "went home while a fire was uncontained"
        assert (dist[window, k] > 2000.0).all(), "went home with a fire within 2 km"
        assert res.state[k] == ResidentState.RETURNED
    # groups still in a shelter at the end: their home burned (never returns)
    left = np.flatnonzero(res.state == ResidentState.SHELTERED)
    assert left.size >= 1  # seed 1: the fire burns one evacuated village group's home
    fires = list(m.hazard.fires.values())
    for k in left.tolist():
        burned = False
        for f in fires:
            rr, cc, inside = f.grid.rc(res.home_x[k : k + 1], res.home_y[k : k + 1])
            burned |= bool(inside[0] and f.spread.burned_mask()[rr[0], cc[0]])
        assert burned, f"G{k} kept in a shelter although its home did not burn"
    assert m.log.of_kind("orders_lifted")[0].payload["by"] == "forestfire all-clear"


def test_fire_paired_no_all_clear_in_the_run_means_nobody_returns(jiangmen, monkeypatch):
    """Same seed: only the quiet time differs (4 h vs a week, past the 24-h run)."""
    a, _ = _run(jiangmen, monkeypatch, 240.0)
    b, _ = _run(jiangmen, monkeypatch, 10080.0)
    assert not b.model.log.of_kind("group_returned_home")
    assert b.model.residents.counts()["returned"] == 0 < a.model.residents.counts()["returned"]
    t0 = min(e.t_min for e in a.model.log.of_kind("group_returned_home"))
    key = [(e.t_min, e.kind, e.subject_id) for e in a.model.log if e.t_min < t0]
    assert key == [(e.t_min, e.kind, e.subject_id) for e in b.model.log if e.t_min < t0]
