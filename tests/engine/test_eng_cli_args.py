"""Command-line numbers: a bad value is one line naming the flag, every option says its unit."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from sim.cli import build_parser, main

DRILL = Path(__file__).parents[1] / "fixtures" / "synthetic_drill.yaml"


@pytest.mark.parametrize(
    "argv,flag,expected",
    [
        (["run", str(DRILL), "--runs", "0"], "--runs", "expected an integer 1..100000 runs"),
        (["run", str(DRILL), "--workers", "0"], "--workers", "expected an integer 1..512"),
        (["run", str(DRILL), "--seed", "-1"], "--seed", "expected an integer 0..4.6"),
        (["sweep", str(DRILL), "--samples", "0"], "--samples", "expected an integer 1..100000"),
        (["compare", str(DRILL), str(DRILL), "--seed", "x"], "--seed", "got 'x'"),
        (["calc", "erlang-check", "--arrivals-per-h", "0", "--service-per-h", "1",
          "--servers", "1"], "--arrivals-per-h", "expected a number >0..10000 calls/h"),
        (["calc", "holland", "--pc-hpa", "950", "--penv-hpa", "1010", "--lat", "22",
          "--rmax-km", "30", "--b", "1.5", "--r-km", "nan"], "--r-km", "expected a finite"),
    ],
)  # fmt: skip
def test_bad_numbers_name_the_flag_in_one_line(argv, flag, expected, capsys):
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert f"argument {flag}:" in err and expected in err


def test_fire_ros_moisture_is_percent_and_a_fraction_is_called_out(capsys):
    base = ["calc", "fire-ros", "--fuel", "FM4", "--m10h", "7", "--m100h", "8",
            "--m-live-herb", "60", "--m-live-woody", "90", "--midflame-wind-m-s", "2"]  # fmt: skip
    with pytest.raises(SystemExit):
        main([*base, "--m1h", "0.06"])
    err = capsys.readouterr().err
    assert "argument --m1h: got 0.06; expected a number 1..60 %" in err
    assert "looks like a fraction; give percent, e.g. 6" in err
    assert main([*base, "--m1h", "6", "--json"]) == 0
    assert "ros" in capsys.readouterr().out.lower()


def _options(p: argparse.ArgumentParser, prefix: str = ""):
    for act in p._actions:
        if isinstance(act, argparse._SubParsersAction):
            for name, sp in act.choices.items():
                yield from _options(sp, f"{prefix} {name}")
        elif act.option_strings and act.dest != "help":
            yield f"{prefix} {act.option_strings[0]}", act


def test_every_option_has_help_and_numbers_state_their_range():
    missing, no_range = [], []
    for name, act in _options(build_parser()):
        # --progress belongs to the progress-bar work of issue #11 (output side).
        if not act.help and not name.endswith("--progress"):
            missing.append(name)
        if act.type in (int, float) and not act.choices:
            no_range.append(name)
    assert not missing, f"options without help: {missing}"
    assert not no_range, f"numeric options without a range: {no_range}"


def test_golden_seed_hint_works(tmp_path, capsys):
    f = tmp_path / "drill.yaml"
    f.write_text(DRILL.read_text())
    assert main(["golden", str(f), "--seed", "1"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"error: {f}: no golden for seed 1 yet; create it with `jmsim golden {f} --seed 1 --update`"
    )


def test_cli_subprocess_one_line_for_runs_zero():
    r = subprocess.run(
        [sys.executable, "-m", "sim.cli", "run", str(DRILL), "--runs", "0"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "jmsim run: error: argument --runs: got 0; expected an integer 1..100000 runs "
        "(see jmsim run --help)"
    ]
