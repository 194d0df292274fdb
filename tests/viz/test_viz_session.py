"""Drill sessions: replay identity, branching, command checks (synthetic world)."""

from __future__ import annotations

import pytest

from sim.commands import Command
from sim.run import run
from sim.scenario.schema import Inject
from sim.session import DrillSession, replay
from viz.record import DrillRecord


def _live(drill, world) -> DrillSession:
    """A scripted 'live' drill: uneven frame steps with commands between them."""
    s = DrillSession(drill, 7, world)
    s.advance_to(33.3)
    s.submit(Command(id="C1", at_min=0, kind="set_auto_dispatch", params={"on": False}))
    s.advance_to(50.0)
    inc = next(i for i in s.model.dispatch.incidents.values() if not i.resolved)
    unit = next(
        u for u in s.model.teams if u.status.value == "available" and u.can_serve(inc.needs)
    )
    s.submit(
        Command(
            id="C2",
            at_min=0,
            kind="dispatch_unit",
            params={"unit_id": unit.uid, "incident_id": inc.id},
        )
    )
    s.submit(
        Inject(id="X1", at_min=0, kind="road_block", params={"x_m": 695000.0, "y_m": 2480000.0})
    )
    for t in (61.7, 62.05, 90.0):
        s.advance_to(t)
    s.submit(Command(id="C3", at_min=0, kind="set_auto_dispatch", params={"on": True}))
    s.submit(Command(id="C4", at_min=0, kind="open_shelter", params={"facility": "F2"}))
    s.finish()
    return s


def test_viz_session_without_actions_equals_run(drill, synthetic_world):
    """Stepping the clock in frames must not change the run (sim.run.run is the reference)."""
    ref = run(drill, 7, world=synthetic_world).log.digest()
    s = DrillSession(drill, 7, synthetic_world)
    t = 0.0
    while not s.finished:
        t += 7.3
        s.advance_to(t)
    assert s.model.log.digest() == ref


def test_viz_replay_gives_identical_event_log(drill, synthetic_world, tmp_path, drill_path):
    live = _live(drill, synthetic_world)
    kinds = [e.payload.get("command_kind") for e in live.model.log.of_kind("trainee_command")]
    assert kinds == ["set_auto_dispatch", "dispatch_unit", "set_auto_dispatch", "open_shelter"]
    assert live.model.log.count("road_blocked") == 1
    rec = DrillRecord.from_session(live, drill_path)
    path = rec.save(tmp_path / "d.drill.json")
    back = DrillRecord.load(path)
    again = replay(drill, back.seed, back.actions, synthetic_world)
    assert again.model.log.to_jsonl() == live.model.log.to_jsonl()
    assert again.model.log.digest() == back.event_log_sha256


def test_viz_branch_diverges_only_after_branch_time(drill, synthetic_world, drill_path):
    live = _live(drill, synthetic_world)
    rec = DrillRecord.from_session(live, drill_path)
    t_b = 61.7  # C3/C4 were given at 61.7 min and are replaced by other commands
    new = [Command(id="B1", at_min=t_b, kind="order_evacuation", params={"all": True})]
    br = rec.branched(t_b, new)
    assert [a.id for a in br.actions] == ["C1", "C2", "X1", "B1"]
    b = replay(drill, br.seed, br.actions, synthetic_world)
    a_ev = [e.as_row() for e in live.model.log]
    b_ev = [e.as_row() for e in b.model.log]
    before_a = [r for r in a_ev if r[1] < t_b]
    before_b = [r for r in b_ev if r[1] < t_b]
    assert before_a == before_b and len(before_a) > 50
    after_a = [r[1:] for r in a_ev if r[1] >= t_b]
    after_b = [r[1:] for r in b_ev if r[1] >= t_b]
    assert after_a != after_b


def test_viz_bad_commands_are_clear_errors(drill, synthetic_world):
    s = DrillSession(drill, 7, synthetic_world)
    n = len(s.model.log)
    with pytest.raises(ValueError, match=r"params.unit_id='nope'"):
        s.submit(
            Command(
                id="C1",
                at_min=0,
                kind="dispatch_unit",
                params={"unit_id": "nope", "x_m": 0, "y_m": 0},
            )
        )
    with pytest.raises(ValueError, match="expected a zone"):
        s.submit(Command(id="C2", at_min=0, kind="order_evacuation", params={}))
    with pytest.raises(ValueError, match="kind='spot_fire' is not available"):
        s.submit(Inject(id="X1", at_min=0, kind="spot_fire", params={"lat": 22.4, "lon": 112.9}))
    assert len(s.model.log) == n  # nothing logged, nothing recorded
    assert s.applied == []


def test_viz_rerun_skips_commands_that_do_not_apply(drill, synthetic_world):
    """Another seed has other incidents: a dispatch to a missing incident is skipped, not fatal."""
    cmd = Command(
        id="C1", at_min=5, kind="dispatch_unit", params={"unit_id": "heli", "incident_id": "I09999"}
    )
    s = replay(drill, 8, [cmd], synthetic_world, strict=False)
    assert len(s.skipped) == 1 and s.model.log.count("trainee_command_skipped") == 1
