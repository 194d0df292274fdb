"""Readable map and HUD: roster, legend, plain rate-limited feed, wrapping, zoom to hazard."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"

from pathlib import Path

import numpy as np
import pygame

from sim.events import Event
from viz.feed import MAX_PER_WINDOW, PlainFeed
from viz.hud import wrap_lines
from viz.roster import legend_items, roster_rows
from viz.text import ui_font

ROOT = Path(__file__).resolve().parents[2]


def test_feed_is_plain_names_places_and_folds_repeats(synthetic_world):
    feed = PlainFeed(synthetic_world)
    t = synthetic_world.towns.iloc[0]
    ev = [Event(k, 10.0 + k, "road_closed", x_m=float(t.x_m), y_m=float(t.y_m)) for k in range(5)]
    lines = [feed.line(e) for e in ev]
    shown = [x for x in lines if x]
    assert len(shown) == MAX_PER_WINDOW
    zh = t.get("name_zh", "")
    name = zh if isinstance(zh, str) and zh.strip() else str(t["name"])
    assert shown[0] == f"00:10 road closed near {name}"
    later = feed.line(Event(9, 100.0, "road_closed", x_m=float(t.x_m), y_m=float(t.y_m)))
    assert later.endswith(f"(+{5 - MAX_PER_WINDOW} more)")
    d = feed.line(Event(10, 101.0, "unit_dispatched", incident_id="I00003", unit_id="boat-1"))
    assert d == "01:41 boat-1 sent to I00003"
    lifted = feed.line(Event(11, 180.0, "orders_lifted", payload={"groups": 19, "people": 17014}))
    assert lifted == "03:00 all-clear: orders lifted for 19 groups (17,014 people)"
    cut = feed.line(Event(12, 181.0, "route_blocked", unit_id="boat-1", x_m=float(t.x_m),
                          y_m=float(t.y_m)))  # fmt: skip
    assert cut == f"03:01 boat-1 cut off by closed roads near {name}: waiting for a way through"


def test_wrap_never_cuts_words_or_exceeds_width():
    pygame.font.init()
    font = ui_font(16)
    text = "relief_supply_first_batch_county 1.77 <=4 and a long explanation of it"
    lines = wrap_lines(font, text, 200, max_lines=10)
    assert " ".join(ln.strip() for ln in lines).split() == text.split()
    assert all(font.size(ln)[0] <= 200 or " " not in ln.strip() for ln in lines)


def test_roster_filters_and_eta(drill, synthetic_world):
    from sim.session import DrillSession

    s = DrillSession(drill, 7, synthetic_world)
    for t in range(30, 400, 10):
        s.advance_to(t)
        busy = roster_rows(s.model.teams, s.model.dispatch.incidents, s.now, "busy")
        if any(r[1] == "dispatched" and r[3] for r in busy):
            break
    allr = roster_rows(s.model.teams, s.model.dispatch.incidents, s.now, "all")
    assert len(allr) == len(s.model.teams)
    assert busy and all(r[1] not in ("available", "out of service") for r in busy)
    row = next(r for r in busy if r[1] == "dispatched" and r[3])
    assert row[3].endswith(" min") and row[2].startswith("I")  # ETA and the task's incident
    avail = roster_rows(s.model.teams, s.model.dispatch.incidents, s.now, "available")
    assert len(avail) + len(busy) + len(
        roster_rows(s.model.teams, s.model.dispatch.incidents, s.now, "out of service")
    ) == len(allr)


def test_legend_explains_every_unit_status_facility_and_resident_state():
    from sim.agents.residents import ResidentState
    from sim.agents.units import UnitStatus
    from viz.basemap import FACILITY_STYLE

    labels = {label for *_, label in legend_items()}
    assert {s.value.replace("_", " ") for s in UnitStatus} <= labels
    assert {k.replace("_", " ") for k in FACILITY_STYLE} <= labels
    assert {"unaware", "warned", "evacuating", "sheltered", "injured"} <= labels
    assert len(ResidentState) + 1 <= sum(1 for s, *_ in legend_items() if s.startswith("res"))


def test_zoom_to_hazard_brings_a_small_plume_into_view():
    from viz.screenshot import screenshot

    app = screenshot(
        ROOT / "scenarios/chemical/chlorine_zhuxi_windshift.yaml", 20, "/tmp/jmsim_z.png"
    )
    box = app.hazard_box_base()
    assert box is not None
    sx, _ = app.view.to_screen(np.array([box[0], box[2]]), np.array([box[1], box[3]]))
    small = abs(sx[1] - sx[0])
    app.key(pygame.K_z)
    sx, sy = app.view.to_screen(np.array([box[0], box[2]]), np.array([box[1], box[3]]))
    assert abs(sx[1] - sx[0]) > 5 * small
    x0, y0, w, h = app.view.rect
    assert x0 <= sx.min() and sx.max() <= x0 + w and y0 <= sy.min() and sy.max() <= y0 + h
    pygame.display.quit()
