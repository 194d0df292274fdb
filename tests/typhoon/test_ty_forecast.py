"""Launch forecasts: the wind at one point over a whole run, vectorised over storm states.

`point_series` must give exactly (bit for bit) what `StormTimeline.wind` + `wind_field`
give on a 1 x 1 grid state by state, because dispatch compares it with launch limits
and the event logs must not change with the speed-up. `wind_field` itself reproduces
CLIMADA's published test values (test_ty_windfield.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from scenarios.typhoon.forecast import point_series, state_table
from scenarios.typhoon.storm import StormTimeline, vary_states
from scenarios.typhoon.track import load_track, scale_intensity, shift_track

START = datetime(2018, 9, 15, 8, 0, tzinfo=UTC)


def _loop(tl: StormTimeline, ticks: np.ndarray, lat: float, lon: float) -> np.ndarray:
    """The per-state evaluation `TyphoonHazard.wind_forecast` used before vectorising."""
    out = np.zeros(ticks.size)
    la, lo = np.array([[lat]]), np.array([[lon]])
    for k, t in enumerate(ticks.tolist()):
        wf = tl.wind(tl.state_at(t), la, lo)
        if wf is not None:
            out[k] = float(np.asarray(wf.speed).ravel()[0])
    return out


@pytest.mark.parametrize("model", ["H08", "H1980"])
@pytest.mark.parametrize("variant", ["historical", "shifted_stronger"])
def test_ty_point_series_equals_per_state_wind_field_bitwise(model, variant):
    tr = load_track("Mangkhut 1822")
    if variant != "historical":
        tr = scale_intensity(shift_track(tr, 35.0, -20.0), 1.15, "vmax")
    tl = StormTimeline(tr, START, 20.0, model=model)
    if variant != "historical":
        v = type("V", (), {"holland_b_factor": 1.1, "rmax_factor": 0.8})()
        tl.states = vary_states(tl.states, v)
    ticks = np.arange(0.0, 72 * 60.0 + 20.0, 20.0)
    states = [tl.state_at(t) for t in ticks.tolist()]
    tab = state_table(states, model)
    # Jiangmen land and sea, the eye's path, the 300 km cut-off region, and far away
    rng = np.random.default_rng(5)
    pts = [(22.58, 113.08), (21.7, 112.8), (21.9, 111.6), (24.9, 113.0), (30.0, 100.0)]
    pts += list(zip(rng.uniform(20.5, 24.5, 40), rng.uniform(110.5, 115.5, 40), strict=True))
    nonzero = 0
    for lat, lon in pts:
        old = _loop(tl, ticks, lat, lon)
        new = point_series(tab, lat, lon)
        assert np.array_equal(old, new), (model, variant, lat, lon)
        nonzero += int((old > 0).any())
    assert nonzero > 30  # the storm reaches most of the points: the check is not vacuous


def test_ty_point_series_is_zero_without_a_storm():
    tab = state_table([None, None], "H08")
    assert np.array_equal(point_series(tab, 22.5, 113.0), np.zeros(2))


def test_ty_state_table_rejects_a_bad_model():
    with pytest.raises(ValueError, match="model='X'"):
        state_table([], "X")
