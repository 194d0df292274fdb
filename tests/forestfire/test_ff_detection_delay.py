"""Metamorphic (issue 13): a shorter detection/report delay never lowers the 24 h extinguish rate.

Paired seeds on the 宅梧 fire: the same ignition and weather; only how long the
fire burns unreported changes. Checked per seed on the extinguish time (the 24 h
rate is a threshold on it), one-sided.
"""

from __future__ import annotations

import math

import pytest

from tests.forestfire.test_ff_scenarios import _coarse, _fire_times, _load

SEEDS = (116, 117)


@pytest.fixture(scope="module")
def jiangmen():
    from sim.world import load_jiangmen

    return load_jiangmen()


def _delays(scen, report_min: float, public_min: float):
    det = scen.hazard.detection.model_copy(
        update={"report_delay_min": report_min, "public_delay_min": public_min}
    )
    return scen.model_copy(update={"hazard": scen.hazard.model_copy(update={"detection": det})})


def check_shorter_detection_never_lowers_24h_rate(world, seeds=SEEDS):
    """Report 2/10 min vs 60/120 min: extinguished no later per seed, never out within 24 h
    late but not early, and the delay matters at all on this fire."""
    scen = _coarse(_load("heshan_zhaiwu_jan.yaml"), 90.0)
    fast, slow = _delays(scen, 2.0, 10.0), _delays(scen, 60.0, 120.0)
    gained = 0.0
    for s in seeds:
        t_fast = _fire_times(fast, s, world)["ZW1"]
        t_slow = _fire_times(slow, s, world)["ZW1"]
        assert t_fast <= t_slow, (s, t_fast, t_slow)
        in_24h = (t_fast <= 24.0, t_slow <= 24.0)  # hours
        assert in_24h[0] >= in_24h[1]  # never out within 24 h late but not early
        gained += (t_slow if math.isfinite(t_slow) else 1e6) - t_fast
    assert gained > 0, "the detection delay changed nothing"


def test_ff_shorter_detection_never_lowers_24h_extinguish_rate(jiangmen):
    check_shorter_detection_never_lowers_24h_rate(jiangmen)


def test_ff_detection_check_flags_a_model_blind_to_the_report_delay(jiangmen, monkeypatch):
    """Broken variant: every fire is reported 30 min after detection whatever the plan says."""
    from scenarios.forestfire.hazard import ForestFireHazard

    detect = ForestFireHazard._detect

    def fixed_report(self, model, fire, delay, how, report):
        return detect(self, model, fire, 30.0, how, 30.0)

    monkeypatch.setattr(ForestFireHazard, "_detect", fixed_report)
    with pytest.raises(AssertionError, match="the detection delay changed nothing"):
        check_shorter_detection_never_lowers_24h_rate(jiangmen, SEEDS[:1])
