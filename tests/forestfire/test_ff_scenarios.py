"""End-to-end forest-fire scenarios: goldens, determinism, the plan matters, errors."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from scenarios.forestfire.golden import GOLDEN, HERE, golden_path, scorecard_table


def _load(name: str):
    from sim.scenario import load_scenario

    return load_scenario(HERE / name)


@pytest.fixture(scope="module")
def jiangmen():
    from sim.world import load_jiangmen

    return load_jiangmen()


def _fire_times(scen, seed, world) -> dict[str, float]:
    """Hours from ignition to extinguished (inf if not out) per fire."""
    from sim.run import run

    ev = run(scen, seed, world=world).events()
    ign = ev[ev.kind == "fire_ignited"].set_index("subject_id")["t_min"]
    ext = ev[ev.kind == "fire_extinguished"].set_index("subject_id")["t_min"]
    return {f: (ext.get(f, math.inf) - t) / 60.0 for f, t in ign.items()}


@pytest.mark.parametrize("scenario_file", sorted(GOLDEN))
def test_ff_golden_scorecards(scenario_file):
    seed = GOLDEN[scenario_file]
    got = scorecard_table(scenario_file, seed)
    want = pd.read_csv(golden_path(scenario_file, seed), keep_default_na=False, na_values=[""])
    assert list(got["id"]) == list(want["id"])
    assert list(got["verdict"]) == list(want["verdict"])
    assert got["n"].tolist() == want["n"].tolist()
    for c in ("estimate", "ci_low", "ci_high"):
        np.testing.assert_allclose(
            got[c].astype(float), want[c].astype(float), rtol=1e-5, equal_nan=True
        )
    assert "forest_fire_24h_extinguish_rate" in set(got["id"])


def test_ff_same_seed_same_log_including_routes_and_perimeter(jiangmen):
    from sim.run import run

    scen = _load("gudoushan_dry_season.yaml")
    a, b = run(scen, 7, world=jiangmen), run(scen, 7, world=jiangmen)
    assert a.log.digest() == b.log.digest()
    ev = a.events()
    # the log carries unit movements (road legs, walks) and the fire perimeter fingerprint
    assert {"unit_arrived", "unit_on_foot", "fire_state", "fire_final"} <= set(ev.kind)
    hashes = [json.loads(p)["state_hash"] for p in ev[ev.kind == "fire_final"].payload]
    assert all(len(h) == 16 for h in hashes)
    c = run(scen, 8, world=jiangmen)
    assert c.log.digest() != a.log.digest()


def _without(scen, pred):
    units = [u for u in scen.plan.units if not pred(u)]
    return scen.model_copy(update={"plan": scen.plan.model_copy(update={"units": units})})


def _half_crews(scen):
    units = [
        u.model_copy(update={"count": max(1, u.count // 2)})
        if "forest_fire" in u.capabilities
        else u
        for u in scen.plan.units
    ]
    return scen.model_copy(update={"plan": scen.plan.model_copy(update={"units": units})})


def test_ff_plan_matters_on_paired_seeds(jiangmen):
    """Removing helicopters or halving ground crews never speeds up, and on the whole slows, extinguishing."""
    scen = _load("heshan_zhaiwu_jan.yaml")
    seeds = (116, 117, 118)
    base = [_fire_times(scen, s, jiangmen)["ZW1"] for s in seeds]
    no_air = [
        _fire_times(_without(scen, lambda u: u.type == "helicopter"), s, jiangmen)["ZW1"]
        for s in seeds
    ]
    half = [_fire_times(_half_crews(scen), s, jiangmen)["ZW1"] for s in seeds]
    assert all(n >= b for n, b in zip(no_air, base, strict=True))
    assert all(h >= b for h, b in zip(half, base, strict=True))
    assert sum(no_air) > sum(base) and sum(half) > sum(base)


def test_ff_lookout_coverage_static_indicator(jiangmen):
    from sim.indicators.static import compute_static

    scen = _load("gudoushan_dry_season.yaml")
    v = compute_static(scen, jiangmen)["lookout_coverage_key_forest"]
    assert 0.0 < v.value <= 1.0 and "古兜山" in v.detail
    fewer = scen.model_copy(
        update={
            "hazard": scen.hazard.model_copy(
                update={
                    "detection": scen.hazard.detection.model_copy(
                        update={"observers": [], "world_lookouts": False}
                    )
                }
            )
        }  # fmt: skip
    )
    assert "lookout_coverage_key_forest" in compute_static(fewer, jiangmen)
    assert compute_static(fewer, jiangmen)["lookout_coverage_key_forest"].value == 0.0


def test_ff_ignition_on_sea_is_a_clear_error(jiangmen):
    from sim.run import run

    scen = _load("gudoushan_dry_season.yaml")
    bad = scen.model_copy(
        update={
            "hazard": scen.hazard.model_copy(
                update={
                    "ignitions": [
                        scen.hazard.ignitions[0].model_copy(update={"lat": 21.5, "lon": 112.5})
                    ]
                }
            )
        }  # fmt: skip
    )
    with pytest.raises(ValueError, match="no burnable fuel within 1 km"):
        run(bad, 1, world=jiangmen)


def test_ff_bad_yaml_names_the_field(tmp_path):
    from sim.errors import ScenarioError
    from sim.scenario import load_scenario

    text = (HERE / "gudoushan_dry_season.yaml").read_text(encoding="utf-8")
    p = tmp_path / "bad.yaml"
    p.write_text(text.replace("rh_min_pct: 22", "rh_min_pct: 140"), encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert "hazard.weather.rh_min_pct" in e.value.full_report()


def test_ff_calc_fire_ros_cli(capsys):
    """`jmsim calc fire-ros` as in issue #3; FM4 at 5 mi/h midflame, flat (Behave FM4, LW 1.59 from models.md)."""
    from sim.cli import main

    rc = main("calc fire-ros --fuel FM4 --m1h 6 --m10h 7 --m100h 8 --m-live-herb 60 --m-live-woody 90 "
              "--midflame-wind-m-s 2.2352 --slope-pct 0 --json".split())  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert {"ros_m_min", "fireline_intensity_kw_m", "flame_length_m"} <= set(out)
    assert out["lw_ratio"] == pytest.approx(1.590064, rel=1e-5)  # models.md F3: LW at 5 mph
