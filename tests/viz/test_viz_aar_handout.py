"""Hand-out text of the AAR: Chinese cells wrap inside their PDF column; trainee table names places."""

from __future__ import annotations

from sim.events import EventLog
from viz.aar_pdf import _widths, display_width, wrap
from viz.msel import trainee_actions


def test_pdf_cells_with_chinese_wrap_to_their_width():
    """Chinese has no spaces: a 14-character plan wording used to print as one 28-cell line
    over the next column (seen in the Mangkhut AAR PDF)."""
    text = "亿元地区生产总值生产安全事故死亡率"
    lines = wrap(text, 10)
    assert "".join(lines) == text and all(display_width(s) <= 10 for s in lines)
    assert display_width("台山 Taishan") == 12
    w = _widths(["Wording", "Status"], [[text, "out_of_scope"]], total=30)
    assert all(display_width(s) <= w[0] for s in wrap(text, w[0]))


def test_trainee_table_names_districts_facilities_and_places():
    from sim.world import load_jiangmen

    log = EventLog()
    log.emit(60, "trainee_command", subject_id="C1", command_kind="issue_warning",
             params={"districts": [440781]}, by="public_info")  # fmt: skip
    log.emit(540, "trainee_command", subject_id="C3", command_kind="order_evacuation",
             params={"lat": 21.85, "lon": 112.55, "radius_km": 12, "x_m": 1.0, "y_m": 2.0},
             by="public_info")  # fmt: skip
    log.emit(760, "trainee_command", subject_id="C4", command_kind="open_shelter",
             params={"facility": "SHE08"}, by="public_info")  # fmt: skip
    log.emit(760, "command_result", subject_id="C4", summary="Shelter SHE08 open: 10/3,000")
    c1, c3, c4 = trainee_actions(log, load_jiangmen())
    assert "台山" in c1.command and "440781" not in c1.command
    assert "near " in c3.command and "x_m" not in c3.command and "21.850N 112.550E" in c3.command
    assert "SHE08 " in c4.command and "SHE08 " in c4.effect and len(c4.effect) > 30
