"""After-action report and luck-vs-skill rerun from a recorded drill (synthetic world)."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"

import re

from sim.commands import Command
from sim.session import DrillSession
from viz.aar import build_aar
from viz.record import DrillRecord
from viz.rerun import rerun_decisions


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
    assert "CMD-001 at T+01:15 (+15 min)" in e1[0] and "<td>on time</td>" in e1[0]
    assert "Strengths" in text and "Areas for improvement" in text
    assert text.count("data:image/png;base64,") >= 2  # a plot and a map snapshot


def test_viz_rerun_decisions_counts_runs(drill, synthetic_world, drill_path, tmp_path):
    f = _recorded(drill, synthetic_world, drill_path, tmp_path)
    table, info = rerun_decisions(f, 3, world=synthetic_world)
    assert info["runs"] == 3 and info["commands"] == 1
    assert (table["runs_scored"] <= 3).all() and (table["met"] <= table["runs_scored"]).all()
    assert set(table["id"]) >= {"warning_public_coverage", "sea_arrival_time"}


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
    assert data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 3
