"""SIGKILL a batch halfway, rerun with --resume: no run lost or duplicated, same bytes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

RUNS = 40


def _cmd(src, out, *extra):
    return [sys.executable, "-m", "sim.cli", "run", str(src), "--runs", str(RUNS), "--seed", "5",
            "--out", str(out), "--no-report", "--no-progress", *extra]  # fmt: skip


@pytest.mark.slow
def test_sigkill_then_resume_completes_identically(tmp_path, make_drill, output_bytes):
    src = tmp_path / "drill.yaml"
    src.write_text(make_drill())
    out = tmp_path / "batch"
    # the whole process group (parent and its worker processes) is killed, as by the OOM killer
    proc = subprocess.Popen(
        _cmd(src, out, "--workers", "2"), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    parts = out / ".parts"
    deadline = time.monotonic() + 120
    n = 0
    while time.monotonic() < deadline:
        n = len(list(parts.glob("run-*.parquet"))) if parts.exists() else 0
        if n >= RUNS // 4 or proc.poll() is not None:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "batch finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_at = len(list(parts.glob("run-*.parquet")))
    assert RUNS // 4 <= killed_at < RUNS
    assert not (out / "runs.parquet").exists()

    # without --resume the directory is refused, not overwritten
    refused = subprocess.run(_cmd(src, out), capture_output=True, text=True)
    assert refused.returncode == 2 and "--resume" in refused.stderr

    done = subprocess.run(_cmd(src, out, "--resume"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{RUNS - killed_at} runs executed, {killed_at} kept" in done.stdout
    runs = pd.read_parquet(out / "runs.parquet")
    assert list(runs["run"]) == list(range(RUNS))  # none lost, none duplicated
    assert runs["run_id"].is_unique
    ev = pd.read_parquet(out / "events.parquet")
    assert ev.groupby("run_id")["seq"].apply(lambda s: s.is_unique and s.min() == 0).all()
    assert not parts.exists()

    ref = tmp_path / "ref"
    subprocess.run(_cmd(src, ref), check=True, capture_output=True)
    for f in ("runs.parquet", "scorecard.csv", "events.parquet"):
        assert output_bytes(out / f) == output_bytes(ref / f), f


def test_resume_refuses_a_different_batch(tmp_path, make_drill):
    from sim.batch.montecarlo import run_batch
    from sim.batch.uncertainty import UncertainScenario
    from sim.errors import JmsimError

    src = tmp_path / "drill.yaml"
    src.write_text(make_drill())
    us = UncertainScenario.load(src)
    out = tmp_path / "b"
    run_batch(us, runs=2, seed=1, out=out, report=False)
    with pytest.raises(JmsimError, match="differs in runs, seed"):
        run_batch(us, runs=3, seed=2, out=out, resume=True, report=False)
    again = run_batch(us, runs=2, seed=1, out=out, resume=True, report=False)
    assert again.status == "complete"
    assert again.runs.equals(pd.read_parquet(out / "runs.parquet"))


def test_cli_resume_of_a_complete_batch_reprints_without_running(tmp_path, make_drill, capsys):
    from sim.cli import main

    src = tmp_path / "drill.yaml"
    src.write_text(make_drill())
    out = tmp_path / "b"
    args = ["run", str(src), "--runs", "2", "--seed", "1", "--out", str(out), "--no-report"]
    assert main(args) == 0
    first = capsys.readouterr().out
    before = (out / "runs.parquet").stat().st_mtime_ns
    assert main([*args, "--resume"]) == 0
    second = capsys.readouterr().out
    assert "already complete" in second
    assert (out / "runs.parquet").stat().st_mtime_ns == before
    card = lambda text: [ln for ln in text.splitlines() if "→" in ln]  # noqa: E731
    assert card(first) == card(second)
