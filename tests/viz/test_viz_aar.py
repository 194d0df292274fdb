"""After-action report and luck-vs-skill rerun from a recorded drill (synthetic world)."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"

import re

from sim.commands import Command
from sim.session import DrillSession
from viz.aar import build_aar
from viz.record import DrillRecord
from viz.rerun import format_rerun, rerun_decisions


def _recorded(drill, world, drill_path, tmp_path):
    s = DrillSession(drill, 7, world)
    s.advance_to(75.0)  # E1 (evacuation order, expects open_shelters within 30 min) fires at 60
    s.submit(Command(id="CMD-001", at_min=0, kind="open_shelter", params={"facility": "F2"}))
    s.advance_to(240.0)
    return DrillRecord.from_session(s, drill_path).save(tmp_path / "d.drill.json")


def test_viz_aar_msel_expected_vs_actual(drill, synthetic_world, drill_path, tmp_path):
    f = _recorded(drill, synthetic_world, drill_path, tmp_path)
    out = build_aar(f, tmp_path / "aar.html", snapshots=1, world=synthetic_world)
    text = out.read_text()
    assert "event log identical to the recorded drill" in text
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", text, flags=re.S)
    e1 = [r for r in rows if "<td>E1</td>" in r and "open_shelters" in r]
    assert len(e1) == 1
    # fired at T+01:00, command at T+01:15 = 15 min after, allowed 30 (fixture MSEL)
    assert (
        "CMD-001 (open_shelter) by trainee at T+01:15 (+15 min)" in e1[0]
        and "<td>on time</td>" in e1[0]
    )
    assert "Strengths" in text and "Areas for improvement" in text
    assert text.count("data:image/png;base64,") >= 2  # a plot and a map snapshot


def test_viz_rerun_decisions_counts_runs(drill, synthetic_world, drill_path, tmp_path):
    f = _recorded(drill, synthetic_world, drill_path, tmp_path)
    table, info = rerun_decisions(f, 3, world=synthetic_world)
    assert info["runs"] == 3 and info["commands"] == 1
    assert (table["runs_scored"] <= 3).all() and (table["met"] <= table["runs_scored"]).all()
    assert set(table["id"]) >= {"warning_public_coverage", "sea_arrival_time"}


def test_rerun_paired_differences_and_percentile(drill, synthetic_world, drill_path, tmp_path):
    """Three extra boats at T+1 min shorten mean sea and river arrival times (paired on common
    random numbers); relief, which boats cannot change, differs by exactly 0 on every seed;
    the actual drill is placed among the reruns; 2 workers give the same table as 1."""
    s = DrillSession(drill, 7, synthetic_world)
    s.advance_to(1.0)
    s.submit(
        Command(
            id="C1",
            at_min=0,
            kind="request_mutual_aid",
            params={"template": "boat", "count": 3, "delay_min": 0},
        )
    )
    s.advance_to(240.0)
    f = DrillRecord.from_session(s, drill_path).save(tmp_path / "w.drill.json")
    table, info = rerun_decisions(f, 4, world=synthetic_world)
    t = table.set_index("id")
    for ind in ("sea_arrival_time", "inland_river_arrival_time"):
        r = t.loc[ind]
        assert r.est_diff < 0 and r.mean_with < r.mean_without
        assert r.est_diff_lo <= r.est_diff <= r.est_diff_hi
        assert 0 <= r.actual_percentile <= 100
    relief = t.loc["initial_relief_time"]
    assert (relief.est_diff, relief.est_diff_lo, relief.est_diff_hi) == (0.0, 0.0, 0.0)
    assert -1 <= t.loc["sea_arrival_time"].met_diff_lo <= t.loc["sea_arrival_time"].met_diff_hi <= 1
    t2, _ = rerun_decisions(f, 4, workers=2)
    cols = ["id", "met", "est_diff", "actual_percentile"]
    assert t2[cols].round(9).equals(table[cols].round(9))
    text = format_rerun(table, info)
    assert "paired diff in estimate [95% CI]" in text
    assert re.search(r"\| \d+(st|nd|rd|th) \|", text)  # the actual drill's percentile


def test_aar_pdf_and_state_maps(drill, synthetic_world, drill_path, tmp_path):
    """The AAR also exports a PDF (pages of tables + hazard-area maps drawn from the state)."""
    f = _recorded(drill, synthetic_world, drill_path, tmp_path)
    pdf = tmp_path / "aar.pdf"
    out = build_aar(f, tmp_path / "aar.html", snapshots=2, world=synthetic_world, pdf=pdf)
    text = out.read_text()
    assert "Hazard area at key moments (drawn from the drill state)" in text
    assert "E1 deadline" in text and "end of drill" in text  # key moments: inject deadline, end
    assert "2a. Core capabilities (HSEEP ratings)" in text and "2b. What the trainees did" in text
    data = pdf.read_bytes()
    assert (
        data.startswith(b"%PDF") and data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 3
    )
