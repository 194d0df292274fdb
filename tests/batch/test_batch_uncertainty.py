"""Distribution nodes in scenario YAML: validation at load, nominal values, Latin hypercube."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from sim.batch.uncertainty import UncertainScenario, lhs_unit
from sim.errors import ScenarioError
from sim.scenario import load_scenario


def _write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_nominal_values_are_used_for_a_single_run(uncertain_path):
    s = load_scenario(uncertain_path)
    assert s.plan.units[0].count == 2  # uniform 1..3 → midpoint, an int because count is int
    assert s.hazard.streams[0].rate_per_h == 1.0  # triangular → mode
    assert s.plan.warning.channels[0].delay_min == 10.0  # normal → mean


def test_paths_use_element_ids(uncertain_path):
    us = UncertainScenario.load(uncertain_path)
    assert us.space.paths == [
        "hazard.streams[boat_distress].rate_per_h",
        "plan.units[boat].count",
        "plan.warning.channels[cell_broadcast].delay_min",
    ]


def test_lhs_is_stratified_in_every_dimension():
    # McKay, Beckman & Conover (1979): each of the n equal strata of each input holds one point.
    u = lhs_unit(50, 4, seed=3)
    for j in range(4):
        assert sorted(np.floor(u[:, j] * 50).astype(int)) == list(range(50))


def test_samples_follow_the_distributions(uncertain_path):
    us = UncertainScenario.load(uncertain_path)
    df = us.space.sample(30, seed=1)
    counts = df["plan.units[boat].count"].value_counts().to_dict()
    # integer uniform 1..3 over 30 strata: strata 0-9 → 1, 10-19 → 2, 20-29 → 3, exactly.
    assert counts == {1: 10, 2: 10, 3: 10}
    rate = df["hazard.streams[boat_distress].rate_per_h"]
    assert rate.between(0.5, 2.0).all()
    delay = df["plan.warning.channels[cell_broadcast].delay_min"]
    assert (delay >= 0).all() and (delay <= 10 + 4 * 3).all()  # truncated at low and mean+4sd
    node = us.space.nodes[0].dist
    # triangular(0.5, 1, 2) median = b − sqrt((b−a)(b−c)/2) = 2 − sqrt(0.75) (mode left of centre)
    assert node.ppf(np.array([0.5]))[0] == pytest.approx(2 - np.sqrt(0.75), rel=1e-9)


def test_same_seed_same_design_other_seed_differs(uncertain_path):
    us = UncertainScenario.load(uncertain_path)
    a, b, c = us.space.sample(10, 4), us.space.sample(10, 4), us.space.sample(10, 5)
    assert a.equals(b) and not a.equals(c)


def test_realised_scenario_is_validated_copy(uncertain_path):
    us = UncertainScenario.load(uncertain_path)
    s = us.realise({"plan.units[boat].count": 3, "hazard.streams[boat_distress].rate_per_h": 1.7})
    assert s.plan.units[0].count == 3 and s.hazard.streams[0].rate_per_h == 1.7
    assert us.nominal().plan.units[0].count == 2  # nominal data untouched


BAD = [
    (
        "count: {dist: uniform, low: 1, high: 3}",
        "count: {dist: uniform, low: 3, high: 1}",
        ["plan.units[boat].count", "low < high", "3..1"],
    ),
    (
        "count: {dist: uniform, low: 1, high: 3}",
        "count: {dist: gamma, k: 2}",
        ["plan.units[boat].count", "'gamma'", "uniform, normal, triangular, choice"],
    ),
    (
        "count: {dist: uniform, low: 1, high: 3}",
        "count: {dist: uniform, low: 1}",
        ["plan.units[boat].count", "needs high"],
    ),
    (
        "count: {dist: uniform, low: 1, high: 3}",
        "count: {dist: uniform, low: 0, high: 3}",
        [
            "plan.units[0].count",
            "got 0",
            "greater than or equal to 1",
            "lowest value of dist uniform",
        ],
    ),
    (
        "sd: 3, low: 0}",
        "sd: 3}",
        [
            "plan.warning.channels[0].delay_min",
            "greater than or equal to 0",
            "lowest value of dist normal",
        ],
    ),
    (
        "tick_min: 5",
        "tick_min: {dist: uniform, low: 1, high: 5}",
        ["run.tick_min", "allowed only under hazard, plan, msel"],
    ),
    (
        "count: {dist: uniform, low: 1, high: 3}",
        "count: {dist: choice, values: [1, 2], weights: [1]}",
        ["plan.units[boat].count", "weights", "as long as values"],
    ),
]


@pytest.mark.parametrize("old,new,frags", BAD, ids=[f"bad{k}" for k in range(len(BAD))])
def test_bad_distribution_is_named_precisely(tmp_path, make_drill, old, new, frags):
    text = make_drill()
    assert old in text
    p = _write(tmp_path, text.replace(old, new))
    with pytest.raises(ScenarioError) as ei:
        load_scenario(p)
    msg = str(ei.value)
    assert msg.startswith(f"{p}: ") and "\n" not in msg
    for f in frags:
        assert f in msg, (f, msg)


def test_bad_vary_ranges_are_named(uncertain_path):
    with pytest.raises(ValueError, match=r"no element \[nope\]"):
        UncertainScenario.load(uncertain_path, vary=["plan.units[nope].count=1..3"])
    with pytest.raises(ValueError, match="LOW..HIGH must be numbers"):
        UncertainScenario.load(uncertain_path, vary=["plan.units[boat].crew=a..3"])
    with pytest.raises(ScenarioError, match=r"plan.units\[0\].crew.*highest value"):
        UncertainScenario.load(uncertain_path, vary=["plan.units[boat].crew=2..5000"])


def test_cli_bad_distribution_one_line_exit_2_no_output(tmp_path, drill_path):
    p = _write(
        tmp_path,
        drill_path.read_text().replace("count: 2,", "count: {dist: uniform, low: 5, high: 2},"),
    )
    out = tmp_path / "res"
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "run", str(p), "--runs", "3", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.strip().count("\n") == 0
    assert "plan.units[boat].count" in proc.stderr and "low < high" in proc.stderr
    assert not out.exists()


def test_distribution_parameters_keep_the_files_order_in_every_process():
    """The report lists a distribution's parameters; their order must not depend on
    the process's string-hash seed (it came from a set, so report.html differed)."""
    import subprocess
    import sys

    code = (
        "from sim.batch.uncertainty import Dist;"
        "d = Dist.parse({'dist': 'normal', 'mean': 0, 'sd': 57, 'low': -170, 'high': 170},"
        " 'x', 'float'); print(list(d.params))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)},
        ).stdout.strip()
        for seed in range(6)
    }  # fmt: skip
    assert outs == {"['mean', 'sd', 'low', 'high']"}
