"""The chemical all-clear: groups go home only after the release ended and their home's air
stayed below AEGL-1 for the clearance time; shelter-in-place orders are lifted too."""

import numpy as np
import pytest

from scenarios.chemical.hazard import ChemicalHazard
from sim.agents.residents import ResidentState
from sim.run import run

AEGL1_CHLORINE_PPM = 0.5  # US EPA Final AEGLs, chlorine AEGL-1 10-60 min (data/chemicals.csv)


def _run(chem_scenario, jm_world, monkeypatch, clearance_min):
    """Chlorine wind-shift drill stretched to 4 h, recording outdoor ppm at every home."""
    seen: list[tuple[float, np.ndarray]] = []
    advance = ChemicalHazard.advance

    def spy(self, model, t_min):
        advance(self, model, t_min)
        res = model.residents
        if res is not None and t_min > 0:
            seen.append((t_min, self.ppm_at(res.home_x, res.home_y)))

    monkeypatch.setattr(ChemicalHazard, "advance", spy)
    s = chem_scenario(
        "chlorine_zhuxi_windshift",
        scenario__duration_h=4.0,
        hazard__people__clearance_min=clearance_min,
    )
    r = run(s, 1, world=jm_world, keep_model=True)
    monkeypatch.undo()
    return r, seen


def test_chlorine_groups_go_home_only_after_release_end_and_an_hour_below_aegl1(
    chem_scenario, jm_world, monkeypatch
):
    r, seen = _run(chem_scenario, jm_world, monkeypatch, 60.0)
    h, res = r.model.hazard, r.model.residents
    assert h.all_clear_ppm == pytest.approx(AEGL1_CHLORINE_PPM)
    log = r.model.log
    back = log.of_kind("group_returned_home")
    assert len(back) >= 5, "nobody went home after the all-clear"
    t_end = float(log.of_kind("release_ended")[0].payload["at_min"])
    assert all(e.t_min >= t_end + 60.0 for e in back)
    times = np.array([t for t, _ in seen])
    ppm = np.stack([c for _, c in seen])
    for e in back:
        t, g = e.t_min, e.subject_id
        k = int(g[1:])
        window = (times > t - 60.0) & (times <= t)
        assert window.sum() >= 59 and (ppm[window, k] < AEGL1_CHLORINE_PPM).all(), g
        assert res.state[k] == ResidentState.RETURNED and not res.indoor[k]
    # the condition binds: homes above AEGL-1 within the hour before the last check stay out
    recent = np.flatnonzero(h.home_above_until > max(e.t_min for e in back) - 60.0)
    assert recent.size and not (res.state[recent] == ResidentState.RETURNED).any()
    # shelter-in-place groups (warned, at home, windows shut) are released too
    assert "home" in {e.payload["came_from"] for e in back}
    lifted = log.of_kind("orders_lifted")
    assert len(lifted) >= 1 and lifted[0].payload["by"] == "chemical all-clear"
    assert not r.model.protective_actions.sip_ordered[[int(e.subject_id[1:]) for e in back]].any()


def test_chlorine_paired_no_all_clear_in_the_run_means_nobody_returns(
    chem_scenario, jm_world, monkeypatch
):
    """Same seed: only the clearance time differs (60 min vs a day, past the run's end)."""
    with_clear, _ = _run(chem_scenario, jm_world, monkeypatch, 60.0)
    without, _ = _run(chem_scenario, jm_world, monkeypatch, 1440.0)
    a, b = with_clear.events(), without.events()
    assert not (b["kind"] == "group_returned_home").any()
    assert not (without.model.residents.state == ResidentState.RETURNED).any()
    t0 = a[a["kind"] == "group_returned_home"]["t_min"].min()
    cols = ["t_min", "kind", "subject_id"]
    before_a = a[a["t_min"] < t0][cols].reset_index(drop=True)
    before_b = b[b["t_min"] < t0][cols].reset_index(drop=True)
    assert before_a.equals(before_b)
    assert without.model.residents.counts()["returned"] == 0
    assert with_clear.model.residents.counts()["returned"] > 0
