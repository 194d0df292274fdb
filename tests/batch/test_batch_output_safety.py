"""The batch output directory: --force safety, complete-only outputs, faults and --resume.

Faults are injected at the writer (`ENOSPC`, `EROFS`), as a full disk or a
read-only mount would raise them; as root a chmod'ed directory stays writable.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.batch import store as store_mod
from sim.batch.store import MARKER, PARTS
from sim.cli import main

FINAL = ("scorecard.csv", "scorecard.json", "runs.parquet", "events.parquet", "manifest.json")


def _args(src, out, runs=6, *extra):
    return ["run", str(src), "--runs", str(runs), "--seed", "3", "--out", str(out),
            "--no-report", "--no-progress", *extra]  # fmt: skip


@pytest.fixture()
def src(tmp_path, make_drill) -> Path:
    p = tmp_path / "in" / "drill.yaml"
    p.parent.mkdir()
    p.write_text(make_drill(hours=2))
    return p


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in err, err
    return err


def _fail_writes_after(monkeypatch, n: int, err: int) -> None:
    """Let the first `n` run parts be written, then raise `err` like the OS would."""
    real = store_mod.BatchStore.write
    count = {"k": 0}

    def write(self, out):
        count["k"] += 1
        if count["k"] > n:
            raise OSError(err, os.strerror(err), str(self.part_path(out.index)))
        return real(self, out)

    monkeypatch.setattr(store_mod.BatchStore, "write", write)


# -- --force --------------------------------------------------------------------------------
def test_force_refuses_a_foreign_directory_and_deletes_nothing(tmp_path, src, capsys):
    foreign = tmp_path / "thesis"
    foreign.mkdir()
    doc = foreign / "chapter1.docx"
    doc.write_bytes(b"years of work")
    assert main(_args(src, foreign, 2, "--force")) == 2
    err = _one_line_error(capsys)
    assert "--force refused" in err and "not created by jmsim" in err
    assert sorted(p.name for p in foreign.iterdir()) == ["chapter1.docx"]
    assert doc.read_bytes() == b"years of work"


def test_force_refuses_the_scenarios_own_folder(src, capsys):
    notes = src.parent / "notes.txt"
    notes.write_text("field notes")
    text = src.read_text()
    for out in (src.parent, src.parent.parent):  # the folder and any folder containing it
        assert main(_args(src, out, 2, "--force")) == 2
        assert "contains the input" in _one_line_error(capsys)
    assert src.read_text() == text and notes.read_text() == "field notes"


def test_force_refuses_scenario_folder_even_if_it_carries_a_marker(src, capsys):
    (src.parent / MARKER).write_text(json.dumps({"tool": "jmsim", "status": "complete"}))
    assert main(_args(src, src.parent, 2, "--force")) == 2
    assert "contains the input" in _one_line_error(capsys)
    assert src.exists()


def test_force_replaces_a_jmsim_batch_directory(tmp_path, src, capsys):
    out = tmp_path / "b"
    assert main(_args(src, out, 2)) == 0
    (out / "stale.txt").write_text("left by an older batch")
    assert main(_args(src, out, 3, "--force")) == 0
    assert not (out / "stale.txt").exists()
    assert len(pd.read_parquet(out / "runs.parquet")) == 3


def test_out_is_an_existing_file(tmp_path, src, capsys):
    f = tmp_path / "results.csv"
    f.write_text("a,b\n")
    assert main(_args(src, f, 2)) == 2
    assert "is an existing file" in _one_line_error(capsys)
    assert f.read_text() == "a,b\n"


# -- complete-only outputs, faults and --resume --------------------------------------------
def test_manifest_says_complete_and_marker_too(tmp_path, src):
    out = tmp_path / "b"
    assert main(_args(src, out, 2)) == 0
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
    assert json.loads((out / MARKER).read_text())["status"] == "complete"
    assert not (out / PARTS).exists()


@pytest.mark.parametrize(
    ("err", "words"), [(errno.ENOSPC, "No space left"), (errno.EROFS, "Read-only file system")]
)
def test_disk_full_or_read_only_marks_incomplete_then_resume_finishes(
    tmp_path, src, capsys, monkeypatch, err, words, output_bytes
):
    out, ref = tmp_path / "b", tmp_path / "ref"
    assert main(_args(src, ref)) == 0
    with monkeypatch.context() as m:
        _fail_writes_after(m, 3, err)
        assert main(_args(src, out)) == 2
    msg = _one_line_error(capsys)
    assert words in msg and "marked incomplete" in msg and "--resume" in msg
    marker = json.loads((out / MARKER).read_text())
    assert marker["status"] == "incomplete" and words in marker["reason"]
    assert not any((out / f).exists() for f in FINAL)  # nothing that looks complete
    assert len(list((out / PARTS).glob("run-*.parquet"))) == 3

    assert main(_args(src, out, 6, "--resume")) == 0
    assert "3 runs executed, 3 kept" in capsys.readouterr().out
    for f in ("runs.parquet", "scorecard.csv", "events.parquet"):
        assert output_bytes(out / f) == output_bytes(ref / f), f
    assert json.loads((out / MARKER).read_text())["status"] == "complete"


def test_disk_full_while_writing_final_outputs_leaves_none(tmp_path, src, capsys, monkeypatch):
    from sim.batch import montecarlo

    out = tmp_path / "b"
    real = montecarlo.write_table

    def write_table(df, path):
        if path.name == "runs.parquet":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real(df, path)

    with monkeypatch.context() as m:
        m.setattr(montecarlo, "write_table", write_table)
        assert main(_args(src, out, 3)) == 2
    _one_line_error(capsys)
    left = sorted(p.name for p in out.iterdir())
    assert left == sorted([MARKER, PARTS]), left  # scorecard/runs were staged, then removed
    assert json.loads((out / MARKER).read_text())["status"] == "incomplete"
    assert main(_args(src, out, 3, "--resume")) == 0
    assert "0 runs executed, 3 kept" in capsys.readouterr().out
    assert all((out / f).exists() for f in FINAL)


def test_truncated_part_is_reported_by_name_and_rerun(
    tmp_path, src, capsys, monkeypatch, output_bytes
):
    out, ref = tmp_path / "b", tmp_path / "ref"
    assert main(_args(src, ref)) == 0
    with monkeypatch.context() as m:
        _fail_writes_after(m, 4, errno.ENOSPC)
        assert main(_args(src, out)) == 2
    capsys.readouterr()
    part = out / PARTS / "run-000001.parquet"
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2])  # as a crash of the disk, not of jmsim, leaves it
    assert main(_args(src, out, 6, "--resume")) == 0
    cap = capsys.readouterr()
    assert "run-000001.parquet: corrupt part" in cap.err
    assert "3 runs executed, 3 kept" in cap.out  # runs 1, 4 and 5
    for f in ("runs.parquet", "scorecard.csv", "events.parquet"):
        assert output_bytes(out / f) == output_bytes(ref / f), f


def test_corrupt_batch_json_names_the_file_and_the_way_out(tmp_path, src, capsys, monkeypatch):
    out = tmp_path / "b"
    with monkeypatch.context() as m:
        _fail_writes_after(m, 2, errno.ENOSPC)
        assert main(_args(src, out)) == 2
    capsys.readouterr()
    (out / PARTS / "batch.json").write_text('{"runs": 6, "se')
    assert main(_args(src, out, 6, "--resume")) == 2
    err = _one_line_error(capsys)
    assert "batch.json: corrupt" in err and "--force" in err
    assert main(_args(src, out, 6, "--force")) == 0  # its own directory: replaced
    assert len(pd.read_parquet(out / "runs.parquet")) == 6


def test_failure_before_any_run_leaves_a_users_empty_folder_in_place(
    tmp_path, src, capsys, monkeypatch
):
    out = tmp_path / "empty"
    out.mkdir()
    with monkeypatch.context() as m:
        _fail_writes_after(m, 0, errno.ENOSPC)
        assert main(_args(src, out, 2)) == 2
    _one_line_error(capsys)
    assert out.is_dir() and not any(out.iterdir())


# -- killed batches -----------------------------------------------------------------------
def _group_members(pgid: int) -> list[int]:
    found = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append(int(d.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("target", ["group", "parent"])
def test_sigkill_leaves_no_worker_processes(tmp_path, src, target):
    """SIGKILL of the process group, or of the batch process alone (as the OOM killer does)."""
    out = tmp_path / "b"
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim.cli", *_args(src, out, 200, "--workers", "2")],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / PARTS).exists() and any((out / PARTS).glob("run-*.parquet")):
            break
        time.sleep(0.05)
    assert proc.poll() is None, "batch ended before it could be killed"
    workers = [p for p in _group_members(proc.pid) if p != proc.pid]
    assert len(workers) >= 2  # the fork server and the worker processes exist
    if target == "group":
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while _group_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group_members(proc.pid) == []


# -- other entry points -----------------------------------------------------------------------
@pytest.mark.parametrize("command", ["drill", "replay"])
def test_drill_and_replay_without_display_fail_fast(tmp_path, src, capsys, monkeypatch, command):
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(var, raising=False)
    target = src
    if command == "replay":
        target = tmp_path / "x.drill.json"
        target.write_text("{}")
        monkeypatch.setattr("viz.record.DrillRecord.load", lambda f: _FakeRecord(src))
    t0 = time.monotonic()
    assert main([command, str(target)]) == 2
    assert time.monotonic() - t0 < 5
    assert "no display" in _one_line_error(capsys)


class _FakeRecord:
    def __init__(self, scen: Path) -> None:
        self.scen = scen

    def scenario_path(self, _f):
        return self.scen


def test_world_show_into_a_missing_folder(tmp_path, capsys):
    assert main(["world", "show", "--out", str(tmp_path / "missing" / "map.png")]) == 2
    assert "does not exist" in _one_line_error(capsys)
    assert not (tmp_path / "missing").exists()


def test_progress_bar_default_off_when_not_a_terminal_and_flags(tmp_path, src, capsys, monkeypatch):
    from sim.batch.executor import show_progress

    assert main(["run", str(src), "--runs", "2"]) == 0  # capsys: not a terminal
    assert "2/2" not in capsys.readouterr().err
    assert main(["run", str(src), "--runs", "2", "--progress"]) == 0
    assert "2/2" in capsys.readouterr().err
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert show_progress(None) is True and show_progress(False) is False
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    assert show_progress(None) is False  # output piped to a file: no bar
