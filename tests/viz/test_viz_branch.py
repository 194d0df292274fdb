"""Undo/branch never loses data: the parent file is kept, the branch names it, Y/N first."""

from __future__ import annotations

import json
import os

os.environ["SDL_VIDEODRIVER"] = "dummy"

import pygame
import pytest

from sim.cli import main
from sim.commands import Command
from viz.app import DrillApp
from viz.record import DrillRecord, file_sha256


@pytest.fixture()
def app(drill_path, synthetic_world, tmp_path):
    a = DrillApp(
        drill_path,
        world=synthetic_world,
        size=(1100, 700),
        record_path=tmp_path / "live.drill.json",
        display=False,
    )
    yield a
    pygame.display.quit()


def _cmd(app, cid, **params):
    s = app.session
    return app.submit(
        Command(id=cid, at_min=s.now, kind="issue_warning", params=params, by="trainee")
    )


def test_live_branch_keeps_the_parent_and_names_it(app, tmp_path):
    app.session.advance_to(30)
    assert _cmd(app, "C1", all=True)
    app.session.advance_to(60)
    assert _cmd(app, "C2", districts=[1])
    app.session.advance_to(90)
    app.jump_to(45)
    # acting before C2 asks first and lists what the branch leaves out
    assert not _cmd(app, "C3", all=True)
    assert app.confirm is not None and "C2 issue_warning T+60" in app.confirm[0]
    assert [a.id for a in app.session.applied] == ["C1"]  # nothing applied yet
    app.key(pygame.K_n)  # No: nothing changes
    assert app.confirm is None and len(app.session.pending) == 1
    assert not _cmd(app, "C3", all=True)
    app.key(pygame.K_y)
    assert [a.id for a in app.session.applied] == ["C1", "C3"]
    out = app.save()
    parent = tmp_path / "live.drill.json"
    assert out != parent and parent.exists()
    par = DrillRecord.load(parent)
    assert [a.id for a in par.actions] == ["C1", "C2"]  # the original keeps C2
    assert par.ended_at_min == 90
    br = json.loads(out.read_text())["branch"]
    assert br["parent"] == str(parent) and br["parent_sha256"] == file_sha256(parent)
    assert br["parent_event_log_sha256"] == par.event_log_sha256 != ""
    assert br["dropped"] == ["C2"] and br["at_min"] == 45
    assert main(["replay", str(parent), "--verify"]) == 0  # the parent still replays exactly


def test_quit_asks_first(app):
    app.key(pygame.K_q)
    assert app.running and app.confirm is not None
    app.key(pygame.K_n)
    assert app.running
    app.key(pygame.K_q)
    app.key(pygame.K_y)
    assert not app.running


def test_replay_branch_at_out_of_range_is_an_error(app, tmp_path, capsys):
    app.session.advance_to(30)
    f = app.save()
    rc = main(["replay", str(f), "--branch-at", "999999"])
    err = capsys.readouterr().err
    assert rc == 2 and "--branch-at=999999; expected 0..720" in err


def test_branch_compare_difference_column_decisions_and_refusal(
    drill, drill_path, synthetic_world, tmp_path, capsys
):
    from sim.errors import JmsimError
    from sim.session import DrillSession
    from viz.compare import compare_drills, differing_decisions

    s = DrillSession(drill, 7, synthetic_world)
    s.advance_to(5)
    s.submit(Command(id="C1", at_min=0, kind="set_auto_dispatch", params={"on": False}))
    s.advance_to(60)
    a = DrillRecord.from_session(s, drill_path).save(tmp_path / "a.drill.json")
    b = DrillRecord.load(a).branched(5.0, [])  # the branch without C1
    b.ended_at_min = 60
    bp = b.save(tmp_path / "b.drill.json")
    df = compare_drills([a, bp], until=240, world=synthetic_world)
    col = "b.drill.json - first"
    assert col in df
    r = df.set_index("id").loc["sea_arrival_time"]
    assert r[col] == r["b.drill.json: estimate"] - r["a.drill.json: estimate"]
    assert differing_decisions([a, bp]) == [
        "a.drill.json: T+5 min C1 set_auto_dispatch {'on': False}"
    ]
    other = tmp_path / "other.yaml"
    other.write_text(drill_path.read_text().replace("Synthetic engine drill", "Other drill"))
    c = DrillRecord.load(a)
    c.scenario, c.scenario_sha256 = str(other), file_sha256(other)
    cp = c.save(tmp_path / "c.drill.json")
    with pytest.raises(JmsimError, match="branch-compare only compares branches of one drill"):
        compare_drills([a, cp], world=synthetic_world)
    assert main(["branch-compare", str(a), str(cp)]) == 2
