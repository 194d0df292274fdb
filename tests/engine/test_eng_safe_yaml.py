"""Bounded YAML reading: bombs, deep nesting, big files and repeated keys end as one line, fast."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.scenario import load_scenario, parse_scenario
from sim.scenario.safe_yaml import MAX_DEPTH, MAX_FILE_MB_ENV, MAX_NODES, load_yaml

DRILL = Path(__file__).parents[1] / "fixtures" / "synthetic_drill.yaml"


def _laughs(levels: int = 9) -> str:
    text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(1, levels + 1):
        text += f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n"
    return text


def _one_problem(text: str) -> str:
    with pytest.raises(ScenarioError) as e:
        parse_scenario(text, "bad.yaml")
    assert len(e.value.problems) == 1
    line = e.value.full_report()
    assert "\n" not in line and line.startswith("bad.yaml: ")
    return line


def test_billion_laughs_is_refused_within_a_second_and_little_memory():
    tracemalloc.start()
    t0 = time.perf_counter()
    line = _one_problem(_laughs())  # 9**10 ≈ 3.5e9 values if expanded
    wall = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert wall < 1.0
    assert peak < 50 * 2**20
    assert f"more than {MAX_NODES:,} values with aliases expanded" in line
    assert "line " in line  # says where


def test_alias_inside_its_own_anchor_is_refused():
    line = _one_problem("loop: &loop [*loop]\n")
    assert "alias inside its own anchor" in line


def test_small_anchors_and_merge_keys_still_work():
    text = DRILL.read_text()
    data = load_yaml("base: &b {a: 1, b: 2}\nother: {<<: *b, b: 3}\nlist: [*b, *b]\n")
    assert data["other"] == {"a": 1, "b": 3}
    assert data["list"] == [{"a": 1, "b": 2}] * 2
    assert parse_scenario(text, "ok.yaml").scenario.id


@pytest.mark.parametrize("text", ["[" * 60 + "]" * 60, "a:\n" + "".join(
    "  " * i + f"k{i}:\n" for i in range(1, 200)) + "  " * 200 + "v: 1\n"])  # fmt: skip
def test_deep_nesting_is_refused_without_recursion_error(text):
    t0 = time.perf_counter()
    line = _one_problem(text)
    assert time.perf_counter() - t0 < 1.0
    assert f"nesting deeper than {MAX_DEPTH} levels" in line


def test_ten_thousand_deep_list_is_one_line_within_a_second():
    t0 = time.perf_counter()
    line = _one_problem("[" * 10_000 + "]" * 10_000)
    assert time.perf_counter() - t0 < 1.0
    # libyaml stops flow nesting at 1000 levels itself; the pure-Python reader at 50.
    assert "nesting" in line and "line 1" in line


@pytest.mark.parametrize("loader", ["PyBoundedLoader", "CBoundedLoader"])
def test_both_readers_apply_the_same_limits(loader):
    import sim.scenario.safe_yaml as sy

    cls = getattr(sy, loader, None)
    if cls is None:
        pytest.skip("PyYAML without libyaml")
    for text, words in [
        (_laughs(), "aliases expanded"),
        ("[" * 60 + "]" * 60, "nesting deeper than 50"),
        ("a: 1\na: 2\n", "a second time"),
        ("loop: &l [*l]\n", "alias inside its own anchor"),
    ]:
        with pytest.raises(sy.YamlLimitError, match=words):
            load_yaml(text, cls)
    assert load_yaml("b: &b {a: 1}\nc: {<<: *b, d: 2}\n", cls) == {
        "b": {"a": 1},
        "c": {"a": 1, "d": 2},
    }


def test_duplicate_key_names_both_lines():
    line = _one_problem("scenario:\n  id: a\n  id: b\n")
    assert "got key 'id' a second time (first at line 2, column 3)" in line
    assert line.startswith("bad.yaml: line 3, column 3:")


def test_big_file_is_refused_before_reading_and_the_limit_can_be_raised(tmp_path, monkeypatch):
    big = tmp_path / "big.yaml"
    big.write_text(DRILL.read_text() + ("# " + "x" * 98 + "\n") * 31_000)  # ~3 MB
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as e:
        load_scenario(big)
    assert time.perf_counter() - t0 < 1.0
    assert e.value.problems == [
        f"(file): got 3.0 MB; expected at most 2 MB (set {MAX_FILE_MB_ENV} to allow larger files)"
    ]
    monkeypatch.setenv(MAX_FILE_MB_ENV, "5")
    assert load_scenario(big).scenario.id  # same file, larger limit: accepted


def test_bad_limit_override_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv(MAX_FILE_MB_ENV, "lots")
    with pytest.raises(ScenarioError) as e:
        load_scenario(DRILL)
    assert e.value.problems == [
        f"environment {MAX_FILE_MB_ENV}: got 'lots'; expected a size in MB, e.g. 10"
    ]
