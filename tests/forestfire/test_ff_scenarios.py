"""End-to-end forest-fire scenarios: goldens, determinism, the plan matters, errors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).resolve().parents[2] / "scenarios" / "forestfire"


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


def _coarse(scen, cell_m: float):
    """The same scenario on a coarser fire grid (faster; fire physics at lower resolution)."""
    grid = scen.hazard.grid.model_copy(update={"cell_m": cell_m})
    return scen.model_copy(update={"hazard": scen.hazard.model_copy(update={"grid": grid})})


def _pooled_24h(scen, seeds, world) -> tuple[int, int]:
    """Pooled (fires out within 24 h of ignition, fires) over paired seeds, via the indicator."""
    from sim.indicators.measures import forest_fire_24h_extinguish_rate
    from sim.run import run

    ev = pd.concat([run(scen, s, world=world).events() for s in seeds], ignore_index=True)
    # escalation requests stay within the per-fire cap of the scenario
    esc = [json.loads(p) for p in ev[ev.kind == "fire_reinforcement_requested"].payload]
    cap = scen.hazard.suppression.max_ground_units
    assert all(e["asked_total"] <= cap for e in esc)
    x = forest_fire_24h_extinguish_rate(ev).values
    return int(x.sum()), int(x.size)


def _assert_plan_moves_24h_rate(world, cell_m: float, seeds) -> dict[str, tuple[int, int]]:
    """Base plan's pooled 24 h rate is strictly above no-helicopter and half-crew variants.

    Same seeds in every variant (paired): the seed only draws detection/report delays,
    and the eight ignitions are scripted, so the variants face the same fires. Wilson
    intervals of the pooled counts are computed as the scorecard does; the assertion is
    on the counts (the intervals of 8-fire days overlap; the direction is what a planner
    reads, and it must hold strictly).
    """
    from sim.indicators.stats import wilson_interval

    scen = _coarse(_load("qingming_multi_ignition.yaml"), cell_m)
    counts = {
        "base": _pooled_24h(scen, seeds, world),
        "no_helicopters": _pooled_24h(
            _without(scen, lambda u: u.type == "helicopter"), seeds, world
        ),
        "half_crews": _pooled_24h(_half_crews(scen), seeds, world),
    }
    ci = {k: wilson_interval(*v) for k, v in counts.items()}
    (kb, nb), (ka, na), (kh, nh) = counts.values()
    assert nb == na == nh == 8 * len(seeds), counts  # eight scripted fires per run
    assert kb < nb, (
        f"base plan puts every fire out: the scenario no longer strains the plan {counts}"
    )
    assert kb / nb > ka / na, f"no helicopters should lower the 24 h rate: {counts} {ci}"
    assert kb / nb > kh / nh, f"half crews should lower the 24 h rate: {counts} {ci}"
    return counts


def test_ff_plan_moves_24h_rate_on_qingming_day(jiangmen):
    """Issue #3 acceptance: removing helicopters or halving crews lowers the 24 h rate (paired seeds).

    Fast version on a 100 m fire grid (the shipped scenario uses 60 m) over the first three
    seeds (measured: base 16/24, no helicopters 13/24, half crews 8/24); the slow test
    repeats it on the shipped grid with ten seeds (47/80, 44/80, 27/80).
    """
    _assert_plan_moves_24h_rate(jiangmen, 100.0, seeds=(1, 2, 3))


@pytest.mark.slow
def test_ff_plan_moves_24h_rate_on_qingming_day_full_grid(jiangmen):
    """Same as above on the shipped 60 m grid, pooled over ten paired seeds."""
    _assert_plan_moves_24h_rate(jiangmen, 60.0, seeds=tuple(range(1, 11)))


def test_ff_lookout_coverage_static_indicator(jiangmen):
    """Lookout coverage is a static row from the city inventory, not the drill's lookouts."""
    from scenarios.forestfire.plugin import inventory_lookout_coverage
    from sim.indicators.inventory import load_inventory
    from sim.indicators.static import compute_static

    scen = _load("gudoushan_dry_season.yaml")
    v = compute_static(scen, jiangmen)["lookout_coverage_key_forest"]
    assert 0.0 < v.value <= 1.0 and "古兜山" in v.detail and "ILLUSTRATIVE" in v.detail
    # the drill's own detection settings do not change the static row
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
    assert compute_static(fewer, jiangmen)["lookout_coverage_key_forest"].value == v.value
    # an inventory without lookouts or cameras sees nothing
    inv = load_inventory()
    blind = inv.model_copy(
        update={
            "cameras": inv.cameras.model_copy(update={"items": []}),
            "lookouts": inv.lookouts.model_copy(update={"from_world_facilities": False}),
        }
    )
    assert inventory_lookout_coverage(blind, jiangmen)[0] == 0.0


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


def test_ff_escalation_cap_below_first_request_is_a_clear_error(tmp_path):
    from sim.errors import ScenarioError
    from sim.scenario import load_scenario

    text = (HERE / "qingming_multi_ignition.yaml").read_text(encoding="utf-8")
    p = tmp_path / "bad.yaml"
    p.write_text(text.replace("max_ground_units: 12", "max_ground_units: 2"), encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    assert "hazard.suppression" in e.value.full_report()
    assert "escalation could never add a unit" in e.value.full_report()
