"""The drill window, headless (SDL dummy driver), driven by scripted pygame events."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"  # before pygame opens a display

import numpy as np
import pygame
import pytest

from viz.app import DrillApp
from viz.msel import commands_from_log


@pytest.fixture()
def app(drill_path, synthetic_world, tmp_path):
    a = DrillApp(
        drill_path, world=synthetic_world, size=(1100, 700), record_path=tmp_path / "d.drill.json"
    )
    yield a
    pygame.display.quit()


def _key(k):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0))


def _screen_of(app, x, y):
    u, v = app.geom.xy_to_base(np.array([x]), np.array([y]))
    sx, sy = app.view.to_screen(u, v)
    return int(sx[0]), int(sy[0])


def test_viz_app_pause_speed_inject_dispatch(app, tmp_path):
    app.frame(0.05)
    assert app.paused and app.session.now == 0.0  # drills open paused
    _key(pygame.K_SPACE)  # resume at 1x
    for _ in range(4):
        app.frame(0.25)  # frames longer than MAX_FRAME_DT_S (0.25 s) are capped
    assert app.session.now == pytest.approx(1 / 60)  # 1x: one scenario second per wall second
    _key(pygame.K_3)  # 60x
    for _ in range(20):
        app.frame(0.25)
    assert app.session.now == pytest.approx(1 / 60 + 5.0)  # 60x: 20 x 0.25 s = 5 scenario minutes
    _key(pygame.K_SPACE)  # pause
    app.frame(1.0)
    t_pause = app.session.now
    app.frame(1.0)
    assert app.session.now == t_pause
    # trainer inject at the pointer: block a road (R)
    pygame.event.post(
        pygame.event.Event(
            pygame.MOUSEMOTION, pos=_screen_of(app, 695000, 2480000), rel=(0, 0), buttons=(0, 0, 0)
        )
    )
    _key(pygame.K_r)
    app.frame(0.0)
    # trainee: turn auto dispatch off (A), run to the first open incident, click a unit then it
    _key(pygame.K_a)
    _key(pygame.K_4)
    while not app.open_incidents():
        app.frame(0.1)
    _key(pygame.K_SPACE)
    app.frame(0.0)
    inc = app.open_incidents()[0]
    unit = next(
        u
        for u in app.session.model.teams
        if u.can_serve(inc.needs) and u.status.value == "available"
    )
    pos = app.view.to_screen(*app.geom.xy_to_base(np.array([unit.xy[0]]), np.array([unit.xy[1]])))
    upos = int(pos[0][0]), int(pos[1][0])
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=upos, button=1))
    app.frame(0.0)
    assert app.selected is not None  # a click on a base selects one of its units
    app.selected = unit.uid  # several units share the base: take the capable one
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=_screen_of(app, inc.x_m, inc.y_m), button=1)
    )
    app.frame(0.0)
    log = app.session.model.log
    injects = [e.payload["inject_kind"] for e in log.of_kind("inject_applied")]
    assert "road_block" in injects and log.count("road_blocked") == 1
    cmds = commands_from_log(log)
    assert [c.kind for c in cmds] == ["set_auto_dispatch", "dispatch_unit"]
    assert cmds[1].params == {"unit_id": unit.uid, "incident_id": inc.id}
    disp = [e for e in log.of_kind("unit_dispatched") if e.incident_id == inc.id]
    assert disp and disp[0].unit_id == unit.uid
    out = app.save()
    assert out.exists()


def test_viz_app_static_layers_cached(app):
    """Frames without pan/zoom must reuse the scaled base map (acceptance: static layers cached)."""
    app.frame(0.0)
    n = app.basemap.renders
    for _ in range(10):
        app.frame(0.0)
    assert app.basemap.renders == n
    app.view.zoom_at(1.5, 300, 300)
    app.frame(0.0)
    assert app.basemap.renders == n + 1
