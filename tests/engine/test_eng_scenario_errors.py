"""Bad scenario files get one clear line: file, field path, bad value, expectation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sim.errors import ScenarioError
from sim.scenario import load_scenario

GOOD = (Path(__file__).parents[1] / "fixtures" / "synthetic_drill.yaml").read_text()


def _mutate(path: list, value) -> str:
    data = yaml.safe_load(GOOD)
    cur = data
    for p in path[:-1]:
        cur = cur[p]
    if value is _DELETE:
        del cur[path[-1]]
    else:
        cur[path[-1]] = value
    return yaml.safe_dump(data, allow_unicode=True)


_DELETE = object()

CASES = [
    # (id, mutation, expected fragments in the message)
    (
        "typo_top",
        lambda: GOOD.replace("residents:", "residnts:"),
        ["residnts", "unknown field", "residents"],
    ),
    (
        "typo_nested",
        lambda: GOOD.replace("group_size: 500", "group_sise: 500"),
        ["residents.group_sise", "group_size"],
    ),
    (
        "wrong_type",
        lambda: _mutate(["scenario", "duration_h"], "twelve"),
        ["scenario.duration_h", "'twelve'", "number"],
    ),
    (
        "negative",
        lambda: _mutate(["scenario", "duration_h"], -3),
        ["scenario.duration_h", "-3", "greater than 0"],
    ),
    (
        "reach_gt_1",
        lambda: _mutate(["plan", "warning", "channels", 0, "reach"], 1.7),
        ["plan.warning.channels[0].reach", "1.7", "less than or equal to 1"],
    ),
    (
        "bad_enum",
        lambda: _mutate(["plan", "depots", 0, "level"], "province"),
        ["plan.depots[0].level", "'province'", "city"],
    ),
    (
        "missing_required",
        lambda: _mutate(["scenario", "title"], _DELETE),
        ["scenario.title", "missing"],
    ),
    (
        "unknown_hazard",
        lambda: _mutate(["scenario", "hazard"], "volcano"),
        ["scenario.hazard", "'volcano'"],
    ),
    (
        "hazard_block",
        lambda: GOOD.replace("rate_per_h: 1.0", "rate_per_h: -1.0"),
        ["hazard.streams[0].rate_per_h", "-1.0", "greater than 0"],
    ),
    (
        "hazard_typo",
        lambda: GOOD.replace("where: sea", "wher: sea"),
        ["hazard.streams[0].wher", "unknown field"],
    ),
    ("dup_unit", lambda: GOOD.replace("id: engine,", "id: boat,"), ["plan", "unique", "boat"]),
    ("yaml_syntax", lambda: GOOD.replace("world:\n", "world: [\n"), ["line", "YAML syntax error"]),
    ("not_mapping", lambda: "- just\n- a list\n", ["(top level)", "mapping"]),
    ("bad_year", lambda: _mutate(["run", "seed"], -1), ["run.seed", "-1"]),
    ("inject_ids", lambda: GOOD.replace("id: E1", "id: W1"), ["msel", "unique", "W1"]),
    (
        "bad_time",
        lambda: _mutate(["scenario", "start_time"], "yesterday"),
        ["scenario.start_time", "'yesterday'"],
    ),
]


@pytest.mark.parametrize("case,make,frags", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named_precisely(tmp_path, case, make, frags):
    f = tmp_path / f"{case}.yaml"
    f.write_text(make())
    with pytest.raises(ScenarioError) as ei:
        load_scenario(f)
    msg = str(ei.value)
    assert msg.startswith(str(f) + ": ")
    assert "\n" not in msg
    for frag in frags:
        assert frag in msg, (frag, msg)


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")


def test_cli_error_is_one_line_no_traceback_and_no_output(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("group_size: 500", "group_size: lots"))
    out = tmp_path / "results"
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "run", str(bad), "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0
    assert "residents.group_size" in proc.stderr and "'lots'" in proc.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_validate_reports_all_problems(tmp_path):
    bad = tmp_path / "two.yaml"
    bad.write_text(
        GOOD.replace("group_size: 500", "group_size: 0").replace("tick_min: 5", "tick_min: 0")
    )
    proc = subprocess.run(
        [sys.executable, "-m", "sim.cli", "validate", str(bad)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2
    assert any("residents.group_size" in ln for ln in lines)
    assert any("run.tick_min" in ln for ln in lines)


def test_unknown_inject_kind_is_rejected(drill, synthetic_world):
    from sim.errors import JmsimError
    from sim.model import DrillModel
    from sim.scenario.schema import Inject

    with pytest.raises(JmsimError, match="unknown kind 'meteor'"):
        DrillModel(drill, synthetic_world, 1, injects=[Inject(id="x", at_min=1, kind="meteor")])


def test_incident_inject_without_a_place_is_rejected_before_the_run(drill, synthetic_world):
    from sim.errors import JmsimError
    from sim.model import DrillModel
    from sim.scenario.schema import Inject

    with pytest.raises(JmsimError, match=r"inject 'x' \(incident\).*expected lat/lon or x_m/y_m"):
        DrillModel(drill, synthetic_world, 1, injects=[Inject(id="x", at_min=1, kind="incident")])


def test_point_from_params_accepts_either_form():
    from sim.geo import point_from_params, to_utm

    assert point_from_params({"x_m": 1, "y_m": 2}) == (1.0, 2.0)
    x, y = to_utm(22.5, 113.0)
    assert point_from_params({"lat": 22.5, "lon": 113.0}) == (float(x), float(y))
    assert point_from_params({"lat": 22.5}) is None
