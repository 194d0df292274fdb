"""Forecast-error variants of a storm (issue 13 uncertainty): each node moves what it says."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import yaml

from scenarios.typhoon.params import TrackVariant
from scenarios.typhoon.storm import build_track, vary_states
from scenarios.typhoon.track import translation
from scenarios.typhoon.windfield import track_states, wind_field

KM_PER_DEG = 111.195


def _lf_index(tr):
    return int(np.nanargmin(np.abs(tr.hours_since_landfall())))


def test_cross_track_offset_moves_the_storm_sideways_by_that_distance():
    base = build_track("Mangkhut 1822", TrackVariant())
    moved = build_track("Mangkhut 1822", TrackVariant(cross_track_km=57.0))
    i = _lf_index(base)
    dy = (moved.lat[i] - base.lat[i]) * KM_PER_DEG
    dx = (moved.lon[i] - base.lon[i]) * KM_PER_DEG * math.cos(math.radians(base.lat[i]))
    assert math.hypot(dx, dy) == pytest.approx(57.0, rel=0.01)
    # to the right of the motion: the cross product of motion and offset points down
    _, direction, _, _ = translation(base)
    mx, my = math.sin(math.radians(direction[i])), math.cos(math.radians(direction[i]))
    assert mx * dy - my * dx < 0


def test_timing_error_moves_the_storm_but_not_the_forecast_the_orders_used():
    base = build_track("Mangkhut 1822", TrackVariant())
    late = build_track("Mangkhut 1822", TrackVariant(time_shift_h=3.0))
    shift = (late.time.astype("datetime64[s]") - base.time.astype("datetime64[s]")).astype(int)
    assert np.all(shift == 3 * 3600)
    assert (np.datetime64(late.landfall_time, "s") - np.datetime64(base.landfall_time, "s")) == (
        np.timedelta64(3 * 3600, "s")
    )


def test_holland_b_and_rmax_factors_change_the_wind_field():
    tr = build_track("Mangkhut 1822", TrackVariant())
    st = track_states(tr)[_lf_index(tr)]
    lat = np.linspace(st.lat - 1.5, st.lat + 1.5, 61)[:, None] * np.ones((1, 61))
    lon = np.ones((61, 1)) * np.linspace(st.lon - 1.5, st.lon + 1.5, 61)[None, :]
    v0 = wind_field(st, lat, lon).speed
    (sb,) = vary_states([st], TrackVariant(holland_b_factor=1.1))
    (sr,) = vary_states([st], TrackVariant(rmax_factor=1.4))
    assert wind_field(sb, lat, lon).speed.max() > v0.max()  # Holland: vmax ~ sqrt(B)
    # a larger eye spreads strong wind over more area
    assert (wind_field(sr, lat, lon).speed > 33.0).sum() > (v0 > 33.0).sum()
    assert vary_states([st], TrackVariant()) == [st]  # nominal = the published fit


@pytest.mark.parametrize(
    "name", ["mangkhut_2018", "hato_2017", "higos_2020", "mangkhut_stress_west30"]
)
def test_shipped_typhoons_declare_track_timing_and_call_uncertainty(name):
    d = yaml.safe_load(open(f"scenarios/typhoon/{name}.yaml", encoding="utf-8"))
    hz = d["hazard"]
    for key in ("cross_track_km", "time_shift_h", "holland_b_factor", "rmax_factor"):
        assert isinstance(hz["variant"][key], dict) and "dist" in hz["variant"][key], key
    assert hz["variant"]["cross_track_km"]["sd"] == 57  # CMA 24 h landfall error (see YAML)
    for node in (hz["sea"]["within_12nm"], hz["river"]["count"]):
        assert node["dist"] == "choice"
        # Poisson: nominal (first value) is the mode-mean, weights sum to ~1
        assert sum(node["weights"]) == pytest.approx(1.0, abs=1e-3)


# -- the Monte Carlo varies the storm (issue 13: direct loss was 1.149 % +- 0.001) --------

CITY = (22.58, 113.08)  # 江门 city centre (蓬江), where the loss-bearing assets concentrate


def _peak_wind_at(scen, lat: float, lon: float) -> float:
    """Peak 1-min wind (m/s) at a point over the realised storm (track, B and rmax varied)."""
    from scenarios.typhoon.track import interpolate_hourly
    from scenarios.typhoon.windfield import track_states as states_of

    hz = scen.hazard
    states = vary_states(
        states_of(interpolate_hourly(build_track(hz.storm, hz.variant))), hz.variant
    )
    pt_lat, pt_lon = np.array([[lat]]), np.array([[lon]])
    return max(float(wind_field(s, pt_lat, pt_lon).speed[0, 0]) for s in states)


def check_monte_carlo_varies_the_storm(us, runs: int = 8, seed: int = 1) -> np.ndarray:
    """The batch's sampled storms give the city a peak wind spread of at least 10 % of the
    mean (range over `runs` Latin-hypercube samples); returns the peak winds."""
    design = us.space.sample(runs, seed)
    peaks = np.array(
        [_peak_wind_at(us.realise(row.to_dict()), *CITY) for _, row in design.iterrows()]
    )
    spread = float(np.ptp(peaks) / peaks.mean())
    assert spread >= 0.10, f"peak wind at the city varies {spread:.1%} over {runs} runs"
    return peaks


def test_shipped_mangkhut_monte_carlo_varies_the_storm():
    from sim.batch.uncertainty import UncertainScenario

    path = Path("scenarios/typhoon/mangkhut_2018.yaml")
    us = UncertainScenario.from_text(path.read_text(encoding="utf-8"), str(path), path.parent)
    peaks = check_monte_carlo_varies_the_storm(us)
    assert peaks.max() > 33.0  # some sampled storms bring typhoon-force wind to the city


def test_storm_check_flags_a_scenario_without_hazard_uncertainty():
    """The pre-issue-13 Mangkhut (no track, timing or intensity spread) fails the check."""
    from sim.batch.uncertainty import UncertainScenario

    d = yaml.safe_load(open("scenarios/typhoon/mangkhut_2018.yaml", encoding="utf-8"))
    d["hazard"]["variant"] = {}
    text = yaml.safe_dump(d, allow_unicode=True, sort_keys=False)
    us = UncertainScenario.from_text(text, "mangkhut_fixed_storm.yaml", Path("scenarios/typhoon"))
    with pytest.raises(AssertionError, match="peak wind at the city varies 0.0%"):
        check_monte_carlo_varies_the_storm(us)
