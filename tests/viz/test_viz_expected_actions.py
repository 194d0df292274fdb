"""Creditable expected actions: vocabulary, crediting (trainee, tag, auto-dispatch), validation."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.cli import main
from sim.commands import Command
from sim.errors import ScenarioError
from sim.expected_actions import vocabulary
from sim.geo import to_latlon
from sim.scenario import load_scenario, parse_scenario
from sim.scenario.schema import Inject
from sim.session import DrillSession
from viz.msel import expected_rows, facts_from_log
from viz.script import load_actions, run_script

ROOT = Path(__file__).resolve().parents[2]
WINDSHIFT = ROOT / "scenarios/chemical/chlorine_zhuxi_windshift.yaml"
DRILLS = ROOT / "tests/fixtures/drills"


def _ws1_row(html: str) -> str:
    m = re.search(r"<tr[^>]*><td>WS1</td>.*?</tr>", html)
    assert m, "WS1 row missing from the AAR"
    return m.group(0)


@pytest.mark.parametrize(
    ("commands", "met"),
    [("chlorine_ws1_reissue.yaml", "met"), ("chlorine_no_order.yaml", "not met")],
)
def test_windshift_ws1_credited_only_by_an_order_over_the_new_zone(tmp_path, commands, met):
    """Acceptance: order over the new zone at T+00:31 -> WS1 met in the AAR; no order -> not met."""
    rec = tmp_path / "d.drill.json"
    out = tmp_path / "aar.html"
    assert (
        main(
            [
                "drill",
                str(WINDSHIFT),
                "--headless",
                "--commands",
                str(DRILLS / commands),
                "--out",
                str(rec),
            ]
        )
        == 0
    )
    assert main(["aar", str(rec), "--out", str(out), "--snapshots", "0"]) == 0
    row = _ws1_row(out.read_text(encoding="utf-8"))
    assert f"<td>{met}</td>" in row
    if met == "met":
        assert "C1 (order_shelter_in_place) by chemical_officer at T+00:31" in row


def _session_at(t: float) -> DrillSession:
    s = DrillSession(load_scenario(WINDSHIFT), 1)
    s.advance_to(t)
    return s


def test_order_over_the_old_zone_does_not_credit_reissue():
    """Same time, same command kind, but a circle around the *pre-shift* zone: not credited."""
    s = _session_at(29)
    m = s.model
    old = m.hazard.zone_groups(m, "aegl2")
    s.advance_to(31)
    new = m.hazard.zone_groups(m, "aegl2")
    only_old = np.setdiff1d(old, new)
    assert only_old.size > 0  # precondition: the shift moved the zone
    lat, lon = to_latlon(m.residents.home_x[only_old].mean(), m.residents.home_y[only_old].mean())
    c = Command(
        id="C1",
        at_min=0,
        kind="order_shelter_in_place",
        params={"lat": float(lat), "lon": float(lon), "radius_km": 1.0},
    )
    s.submit(c)
    ev = m.log.of_kind("trainee_command")[-1]
    assert "reissue_zone_order" not in ev.payload["meets"]
    assert "shelter_in_place" in ev.payload["meets"]  # it is still a shelter order
    s.advance_to(60)
    rows = expected_rows(s.scenario.msel, facts_from_log(m.log), s.now, "chemical")
    assert [r.status for r in rows if r.inject_id == "WS1"] == ["overdue"]


def test_tag_restricts_credit_to_the_named_inject(drill, synthetic_world):
    """A command tagged with another inject is not credited here; an unknown tag is refused."""
    scen = drill.model_copy(
        update={
            "msel": [
                *drill.msel,
                Inject(
                    id="E2",
                    at_min=61,
                    kind="note",
                    expected_actions=[{"action": "open_shelters", "within_min": 60}],
                ),
            ]
        }
    )
    s = DrillSession(scen, 7, synthetic_world)
    s.advance_to(70)
    with pytest.raises(ValueError, match="answers='NOPE' is not an MSEL inject"):
        s.submit(
            Command(
                id="C0", at_min=0, kind="open_shelter", params={"facility": "F2"}, answers="NOPE"
            )
        )
    s.submit(
        Command(id="C1", at_min=0, kind="open_shelter", params={"facility": "F2"}, answers="E2")
    )
    rows = {
        r.inject_id: r
        for r in expected_rows(scen.msel, facts_from_log(s.model.log), s.now, "scripted")
    }
    assert rows["E2"].done_by == "C1"
    assert rows["E1"].done_by == ""  # tagged for E2 only


def test_auto_dispatch_is_credited_and_marked(drill, synthetic_world):
    """An incident inject expecting dispatch_rescue is met by the unit auto-dispatch sends."""
    x1 = Inject(
        id="X1",
        at_min=30,
        kind="incident",
        params={"x_m": 695000.0, "y_m": 2480000.0, "needs": "general", "priority": 1},
        expected_actions=[{"action": "dispatch_rescue", "within_min": 30}],
    )
    scen = drill.model_copy(update={"msel": [*drill.msel, x1]})
    on = DrillSession(scen, 7, synthetic_world)
    on.advance_to(120)
    row = next(
        r
        for r in expected_rows(scen.msel, facts_from_log(on.model.log), on.now, "scripted")
        if r.inject_id == "X1"
    )
    assert row.done_by == "auto-dispatch" and row.status in ("on time", "late")
    assert row.how.startswith("auto-dispatch: unit ")
    off = DrillSession(scen, 7, synthetic_world)
    off.submit(Command(id="C1", at_min=0, kind="set_auto_dispatch", params={"on": False}))
    off.advance_to(120)
    row = next(
        r
        for r in expected_rows(scen.msel, facts_from_log(off.model.log), off.now, "scripted")
        if r.inject_id == "X1"
    )
    assert row.status == "overdue"  # nobody sent anyone


def test_every_shipped_expected_action_is_in_its_hazard_vocabulary():
    for f in sorted(ROOT.glob("scenarios/*/*.yaml")):
        scen = load_scenario(f)
        vocab = vocabulary(scen.scenario.hazard)
        for inj in scen.msel:
            for ea in inj.expected_actions:
                assert ea.action in vocab, (f.name, inj.id, ea.action)


def test_validate_rejects_an_unknown_expected_action_kind(tmp_path, capsys):
    data = yaml.safe_load(WINDSHIFT.read_text(encoding="utf-8"))
    ws1 = next(i for i in data["msel"] if i["id"] == "WS1")
    ws1["expected_actions"][0]["action"] = "reissue_zone_oder"
    with pytest.raises(ScenarioError) as e:
        parse_scenario(yaml.safe_dump(data, allow_unicode=True), "x.yaml")
    assert "msel[2].expected_actions[0].action: got 'reissue_zone_oder'" in str(e.value)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr()
    assert "reissue_zone_oder" in err.out + err.err
    assert "Traceback" not in err.err


def test_headless_bad_command_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys):
    cmds = tmp_path / "c.yaml"
    cmds.write_text(
        "- {id: C1, at_min: 31, kind: order_shelter_in_place, params: {}}\n", encoding="utf-8"
    )
    out = tmp_path / "d.drill.json"
    rc = main(["drill", str(WINDSHIFT), "--headless", "--commands", str(cmds), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and not out.exists()
    assert len(err.splitlines()) == 1 and str(cmds) in err and "expected a zone" in err
    cmds.write_text("- {id: C1, at_min: 31, kind: fly_to_moon}\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"actions\[0\]\.kind: got 'fly_to_moon'"):
        load_actions(cmds)


def test_headless_drill_replays_identically(tmp_path):
    """The scripted drill's recording verifies like a live one (same records)."""
    rec = tmp_path / "d.drill.json"
    s = run_script(WINDSHIFT, load_actions(DRILLS / "chlorine_ws1_reissue.yaml"))
    from viz.record import DrillRecord

    DrillRecord.from_session(s, WINDSHIFT).save(rec)
    assert main(["replay", str(rec), "--verify"]) == 0
    assert [a.by for a in DrillRecord.load(rec).actions] == ["chemical_officer"]


def test_command_feedback_in_numbers_and_exposed_groups_can_leave(drill, synthetic_world):
    """An evacuation order reports groups ordered/leaving/full in numbers; a group the hazard
    reached at home (EXPOSED) still leaves when ordered (paired: same session, same seed)."""
    from sim.agents.residents import ResidentState

    s = DrillSession(drill, 7, synthetic_world)
    s.advance_to(5)
    res = s.model.residents
    g = np.arange(3)
    res.t_warned[g] = 1.0  # warned, and the hazard reached them at home
    res.state[g] = ResidentState.EXPOSED
    s.submit(Command(id="C1", at_min=0, kind="order_evacuation", params={"all": True}))
    assert (res.state[g] == ResidentState.EVACUATING).all()
    ev = s.model.log.of_kind("command_result")[-1]
    assert ev.subject_id == "C1" and ev.payload["groups"] == res.n
    assert ev.payload["leaving"] >= 3
    assert ev.payload["leaving"] + ev.payload["awaiting_warning"] + ev.payload["no_room"] == res.n
    assert s.last_result.startswith(f"Evacuation C1: {res.n} groups (")
    # a full shelter is named with its occupancy
    s2 = DrillSession(drill, 7, synthetic_world)
    s2.advance_to(5)
    sh = s2.model.protective_actions.shelters[0]
    sh.occupants = sh.capacity
    r2 = s2.model.residents
    r2.t_warned[:] = 1.0
    s2.submit(Command(id="C2", at_min=0, kind="order_evacuation", params={"all": True}))
    assert (
        f"{r2.n} cannot leave: shelters {sh.id} ({sh.capacity:,}/{sh.capacity:,}) full"
        in s2.last_result
    )
    assert s2.model.log.of_kind("command_result")[-1].payload["leaving"] == 0


def test_chemical_zone_order_targets_the_forecast_zone():
    s = _session_at(31)
    m = s.model
    zone = m.hazard.zone_groups(m, "aegl2")
    s.submit(Command(id="C1", at_min=0, kind="order_shelter_in_place", params={"zone": "aegl2"}))
    ev = m.log.of_kind("command_result")[-1]
    assert ev.payload["groups"] == zone.size > 0
    assert "reissue_zone_order" in m.log.of_kind("trainee_command")[-1].payload["meets"]


@pytest.mark.parametrize("path", sorted(ROOT.glob("scenarios/*/*.yaml")), ids=lambda p: p.stem)
def test_shipped_msel_is_full(path):
    """>= 5 injects with expected actions and deadlines, each naming its HSEEP core capability,
    spread over at least three quarters of the exercise."""
    from sim.hseep import CORE_CAPABILITIES

    scen = load_scenario(path)
    with_actions = [i for i in scen.msel if i.expected_actions]
    assert len(with_actions) >= 5
    for inj in with_actions:
        assert inj.capability in CORE_CAPABILITIES, inj.id
        assert all(ea.within_min > 0 for ea in inj.expected_actions)
    quarters = {min(3, int(4 * i.at_min / scen.duration_min)) for i in scen.msel}
    assert len(quarters) >= 3


def test_mangkhut_msel_starts_before_landfall():
    """Landfall 2018-09-16 17:00 BJT (CMA, scenario header) is T+32 h of the drill."""
    scen = load_scenario(ROOT / "scenarios/typhoon/mangkhut_2018.yaml")
    landfall_min = 32 * 60
    before = [i for i in scen.msel if i.at_min < landfall_min and i.expected_actions]
    assert len(before) >= 4 and min(i.at_min for i in before) <= 60


def test_validate_rejects_an_unknown_capability():
    data = yaml.safe_load(WINDSHIFT.read_text(encoding="utf-8"))
    data["msel"][0]["capability"] = "Dancing"
    with pytest.raises(ScenarioError, match=r"msel\[0\]\.capability: got 'Dancing'"):
        parse_scenario(yaml.safe_dump(data, allow_unicode=True), "x.yaml")


def test_capability_ratings_follow_the_expected_actions():
    from viz.capabilities import rate_capabilities
    from viz.msel import ExpectedRow

    def row(iid, cap, status, done=math.nan):
        return ExpectedRow(iid, "note", 0.0, "", "a", 10.0, 10.0, done, "C", status, cap, "C1")

    rows = [
        row("A", "Planning", "on time", 5.0),
        row("B", "Housing", "on time", 5.0),
        row("C", "Housing", "late", 15.0),
        row("D", "Cybersecurity", "on time", 5.0),
        row("E", "Cybersecurity", "overdue"),
        row("F", "Community Resilience", "overdue"),
        row("G", "Critical Transportation", "no incident"),
    ]
    got = {c.capability: c.rating for c in rate_capabilities(rows)}
    assert got == {
        "Planning": "P",
        "Housing": "S",
        "Cybersecurity": "M",
        "Community Resilience": "U",
    }
