"""A recording names its engine; a replay that differs says in one line whether the engine changed.

Recordings made by an older engine replay to another event log. The trainer must see that this
is expected (engine changed, or a recording from before fingerprints), not a silent DIFFER, and
be able to re-record the same actions with this engine while the old file is kept.
"""

from __future__ import annotations

import json

import pytest

from sim.cli import main
from sim.commands import Command
from sim.session import DrillSession
from viz.record import DrillRecord, engine_sha256


@pytest.fixture
def recording(drill, synthetic_world, drill_path, tmp_path):
    s = DrillSession(drill, 7, synthetic_world)
    s.advance_to(70.0)
    s.submit(Command(id="C1", at_min=0, kind="open_shelter", params={"facility": "F2"}))
    s.advance_to(120.0)
    return DrillRecord.from_session(s, drill_path).save(tmp_path / "d.drill.json")


def _edit(path, **changes) -> None:
    d = json.loads(path.read_text())
    for k, v in changes.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    path.write_text(json.dumps(d))


def _verify(path, capsys) -> tuple[int, str]:
    rc = main(["replay", str(path), "--verify"])
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return rc, out.out


def test_recording_names_engine_and_verifies(recording, capsys):
    d = json.loads(recording.read_text())
    assert d["engine_sha256"] == engine_sha256() and len(d["engine_sha256"]) == 64
    rc, out = _verify(recording, capsys)
    assert rc == 0 and "IDENTICAL to the recorded log" in out
    assert f"engine {engine_sha256()[:12]}" in out.splitlines()[0]  # what it was recorded with


@pytest.mark.parametrize(
    ("engine", "says"),
    [
        ("0" * 64, "because the engine changed since the recording (engine 000000000000 then"),
        (None, "the recording predates engine fingerprints"),
        ("SAME", "with the same engine"),
    ],
)
def test_a_differing_replay_says_why_in_one_line(recording, capsys, engine, says):
    _edit(recording, engine_sha256=engine_sha256() if engine == "SAME" else engine,
          event_log_sha256="f" * 64)  # fmt: skip
    rc, out = _verify(recording, capsys)
    lines = out.strip().splitlines()
    assert rc == 1 and len(lines) == 2 and says in lines[1]
    if engine != "SAME":
        assert "expected" in lines[1] and "--rerecord" in lines[1]
    else:
        assert "determinism bug" in lines[1]


def test_rerecord_keeps_the_old_file_and_verifies(recording, capsys, tmp_path):
    _edit(recording, engine_sha256=None, event_log_sha256="f" * 64)
    before = recording.read_bytes()
    assert main(["replay", str(recording), "--rerecord"]) == 0
    new = tmp_path / "d.rerecorded.drill.json"
    assert recording.read_bytes() == before and new.is_file()
    rec = DrillRecord.load(new)
    assert rec.rerecorded_from["event_log_sha256"] == "f" * 64
    assert rec.engine_sha256 == engine_sha256() and len(rec.actions) == 1
    capsys.readouterr()
    rc, out = _verify(new, capsys)
    assert rc == 0 and "IDENTICAL" in out
    # never over the recording itself
    assert main(["replay", str(recording), "--rerecord", str(recording)]) == 2
    assert "is the recording itself" in capsys.readouterr().err
