"""Fuzz: malformed scenario files from every hazard's shipped scenarios (issue #11).

Each corpus file is either rejected by `validate` and `run --runs 1` with one
line per problem naming the file, exit code 2, fast, in bounded memory and
without leaving an output directory, or is an intended-accept case that both
commands accept. Property: whenever `validate` accepts a file, `run` completes.
The whole corpus is slow; a subset (one file per class) runs by default.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
# The harness forks a warm pytest process (some imported libraries hold helper threads);
# children only run the CLI and are killed at the time limit, so the warning is noise here.
pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded")


def _module(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # harness imports `corpus` by name
    spec.loader.exec_module(mod)
    return mod


corpus = _module("corpus")
harness = _module("harness")


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    harness.warm_up()
    return corpus.generate(tmp_path_factory.mktemp("fuzz") / "corpus")


def test_corpus_covers_every_hazard_and_class(cases):
    assert len(cases) >= 150
    assert {c.cls for c in cases} == set(corpus.CLASSES)
    hazards = {c.name.split("__")[0] for c in cases}
    assert hazards == {"chemical", "forestfire", "scripted", "typhoon"}
    assert {c.expect for c in cases if c.cls != "intended_accept"} == {"reject"}


def _fast(cases):
    """One file per FAST name; accepted files only from the quickest hazard (typhoon)."""
    out = []
    for name in corpus.FAST:
        pool = [c for c in cases if c.name.endswith("__" + name)]
        if pool and pool[0].expect == "accept":
            pool = [c for c in pool if c.name.startswith("typhoon")] or pool
        out += pool[:1]
    return out


def _check(case, tmp_path):
    vd = harness.check(case, tmp_path)
    assert not vd.problems, (
        case.name,
        vd.problems,
        vd.validate.stderr[-500:],
        vd.run.stderr[-500:],
    )
    if vd.validate.rc == 0:  # property: validate accepts ⇒ run completes
        assert vd.run.rc == 0
    if case.expect == "reject":
        assert vd.validate.wall_s < harness.TIME_LIMIT_S
        assert not (tmp_path / f"out_{case.name}").exists()
    return vd


def test_fast_subset(cases, tmp_path):
    fast = _fast(cases)
    assert {c.cls for c in fast} >= set(corpus.CLASSES) - {"out_of_range_number"}
    for case in fast:
        _check(case, tmp_path)


@pytest.mark.parametrize("suffix", ["bomb_billion_laughs", "deep_list_10000", "seed_huge"])
def test_real_cli_subprocess(cases, suffix):
    case = next(c for c in cases if c.name.endswith("__" + suffix))
    r = subprocess.run(
        [sys.executable, "-m", "sim.cli", "validate", str(case.path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{case.path}: ")
    assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_whole_corpus(cases, tmp_path):
    bad = []
    for case in cases:
        vd = harness.check(case, tmp_path)
        if vd.problems or (vd.validate.rc == 0 and vd.run.rc != 0):
            bad.append((case.name, vd.problems))
    assert not bad
