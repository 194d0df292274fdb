"""The typhoon hazard on the Jiangmen world: landfall wind, inland decay, errors, lifelines."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from scenarios.typhoon.infrastructure import fragility
from scenarios.typhoon.params import Fragility, TrackVariant, TyphoonParams
from scenarios.typhoon.storm import StormTimeline, build_track

BJT = timezone(timedelta(hours=8))
HAIYAN = (21.829, 112.543)  # GeoNames centroid of 台山海宴镇 (best_tracks.csv landfall row)


@pytest.fixture(scope="module")
def world():
    from sim.world import load_jiangmen

    return load_jiangmen()


def _grid(world):
    lon2, lat2 = np.meshgrid(world.grid.lon, world.grid.lat)
    return lat2, lon2


def _peak(tl, lat2, lon2, until=None):
    peak = np.zeros(lat2.shape)
    for s, t in zip(tl.states, tl.t_min, strict=True):
        if until is not None and t > until:
            break
        wf = tl.wind(s, lat2, lon2)
        if wf is not None:
            np.fmax(peak, wf.speed, out=peak)
    return peak


def test_ty_mangkhut_landfall_wind_within_20pct_of_reported(world):
    """Max sustained wind within 30 km of 海宴 is 45 m/s ±20 %.

    Reported: CMA landfall 2018-09-16 17:00 BJT at 台山海宴镇, 14级, 45 m/s
    (weather.com.cn/guangdong/syxw/09/2935960.shtml; scenarios/typhoon/data/best_tracks.csv).
    """
    lat2, lon2 = _grid(world)
    tl = StormTimeline(
        build_track("Mangkhut 1822", TrackVariant()), datetime(2018, 9, 15, 9, tzinfo=BJT), 20
    )
    peak = _peak(tl, lat2, lon2)
    d_km = np.hypot((lat2 - HAIYAN[0]) * 111.0, (lon2 - HAIYAN[1]) * 111.0 * np.cos(np.radians(22)))
    vmax = float(peak[d_km < 30].max())
    assert 0.8 * 45 <= vmax <= 1.2 * 45


def test_ty_mangkhut_weakens_inland(world):
    """After landfall the field-wide maximum falls (Kaplan & DeMaria 1995 decay, R = 0.9)."""
    lat2, lon2 = _grid(world)
    tl = StormTimeline(
        build_track("Mangkhut 1822", TrackVariant()), datetime(2018, 9, 15, 9, tzinfo=BJT), 20
    )
    lf = tl.landfall_min
    vals = []
    for h in (0, 3, 6):
        s = tl.state_at(lf + h * 60)
        vals.append(float(tl.wind(s, lat2, lon2).speed.max()))
        if h > 0:
            assert s.decay < 1.0
    assert vals[0] > vals[1] > vals[2]
    assert vals[2] < 0.75 * vals[0]


def test_ty_stress_variant_is_stronger_and_west(world):
    """Shift 30 km west and +10 % wind: landfall longitude moves west, landfall peak grows ~10 %."""
    base = build_track("Mangkhut 1822", TrackVariant())
    stress = build_track("Mangkhut 1822", TrackVariant(shift_east_km=-30, intensity_factor=1.1))
    k = int(np.argmin(np.abs(base.time - base.landfall_time)))
    dlon_km = (stress.lon[k] - base.lon[k]) * 111.0 * np.cos(np.radians(base.lat[k]))
    assert dlon_km == pytest.approx(-30.0, abs=0.5)
    assert stress.vmax_m_s[k] == pytest.approx(1.1 * base.vmax_m_s[k])


def test_ty_params_errors_name_field_value_and_expectation():
    with pytest.raises(ValueError, match=r"storm='Nopeak'.*expected one of"):
        TyphoonParams(storm="Nopeak")
    with pytest.raises(ValueError, match=r"sea.window_h=\[6.0, -6.0\]"):
        TyphoonParams(storm="Hato 1713", sea={"window_h": [6, -6]})
    with pytest.raises(ValueError, match="extra"):
        TyphoonParams(storm="Hato 1713", tick_mins=20)


def test_ty_scenario_typo_reported_with_hazard_path(tmp_path):
    from sim.errors import ScenarioError
    from sim.scenario import load_scenario

    src = (
        __import__("pathlib").Path("scenarios/typhoon/higos_2020.yaml").read_text(encoding="utf-8")
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        src.replace("  tick_min: 20\n  wind_model", "  tick_mn: 20\n  wind_model", 1),
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as e:
        load_scenario(bad)
    assert "hazard.tick_mn" in e.value.full_report()


def test_ty_fragility_median_and_monotone():
    """Lognormal fragility: P = 0.5 at the median, increasing in wind, 0 at calm."""
    f = Fragility(median_m_s=40.0, beta=0.25)
    v = np.array([0.0, 20.0, 40.0, 60.0])
    p = fragility(v, f)
    assert p[0] == 0.0 and p[2] == pytest.approx(0.5)
    assert np.all(np.diff(p) > 0)


def test_ty_swath_figure_and_lifelines_in_a_run(tmp_path):
    """A short Higos run writes the swath map and reports outages, closures and impacts."""
    from sim.run import run
    from sim.scenario import load_scenario

    scen = load_scenario("scenarios/typhoon/higos_2020.yaml")
    scen = scen.model_copy(
        update={"scenario": scen.scenario.model_copy(update={"duration_h": 40.0})}
    )
    res = run(scen, 3, keep_model=True)
    ev = res.events()
    kinds = set(ev["kind"])
    assert {"lifeline_status", "storm_passed", "direct_loss", "casualties"} <= kinds
    paths = res.model.hazard.write_figures(tmp_path)
    assert paths[0].exists() and paths[0].stat().st_size > 10_000
    # the engine's run_started carries the GDP the loss share is divided by
    assert '"gdp_cny"' in ev.loc[ev["kind"] == "run_started", "payload"].iloc[0]


def test_batch_report_embeds_the_swath_map(tmp_path):
    """Issue #5: the swath map appears in the report (the hazard's write_figures output)."""
    from pathlib import Path

    from sim.batch.montecarlo import run_batch
    from sim.batch.uncertainty import UncertainScenario

    us = UncertainScenario.load(Path(__file__).parents[2] / "scenarios/typhoon/higos_2020.yaml")
    run_batch(us, runs=1, seed=1, out=tmp_path / "o", workers=1, progress=False)
    html = (tmp_path / "o" / "report.html").read_text()
    assert 'alt="typhoon_swath"' in html
    assert (tmp_path / "o" / "typhoon_swath.png").stat().st_size > 10_000
