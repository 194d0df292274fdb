"""Every shipped scenario's golden seeded scorecard still comes out of the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import golden

ROOT = Path(__file__).resolve().parents[2]
GOLDENS = golden.golden_files(ROOT)
_WORLDS: dict = {}


def test_every_shipped_scenario_has_a_golden():
    have = {golden.scenario_of(g)[0].resolve() for g in GOLDENS}
    shipped = {p.resolve() for p in ROOT.glob("scenarios/*/*.yaml")}
    assert shipped and shipped <= have, sorted(str(p) for p in shipped - have)


@pytest.mark.parametrize("path", GOLDENS, ids=[f"{g.parent.parent.name}/{g.name}" for g in GOLDENS])
def test_golden_scorecard(path):
    from sim.run import load_world
    from sim.scenario import load_scenario

    scenario_file, seed = golden.scenario_of(path)
    pack = load_scenario(scenario_file).world.pack
    world = _WORLDS.setdefault(pack, load_world(load_scenario(scenario_file)))
    diffs = golden.differences(golden.read(path), golden.compute(scenario_file, seed, world))
    assert not diffs, "\n".join(
        [f"{path} (regenerate with `jmsim golden --update` if intended):", *diffs]
    )


def test_differences_name_what_changed(tmp_path):
    f = ROOT / "scenarios/readiness/jiangmen_water_rescue.yaml"
    want = golden.read(golden.golden_path(f, 2025))
    got = want.copy()
    a, b = want.index[want["estimate"].notna()][:2]  # two rows with values (not out of scope)
    got.loc[a, "verdict"] = "pass" if want.loc[a, "verdict"] != "pass" else "fail"
    got.loc[b, "estimate"] = float(want.loc[b, "estimate"]) * 1.01 + 1.0
    d = golden.differences(want, got)
    assert len(d) == 2 and "verdict" in d[0] and "estimate" in d[1]
