"""Seats: a trainer server and two trainee clients on loopback, headless (SDL dummy driver)."""

from __future__ import annotations

import json
import os

os.environ["SDL_VIDEODRIVER"] = "dummy"

import pygame
import pytest

from sim.errors import JmsimError
from sim.scenario.schema import RoleSpec
from viz.app import DrillApp
from viz.msel import trainee_actions
from viz.record import DrillRecord
from viz.seats.client import SeatClient
from viz.seats.server import SeatServer, parse_address
from viz.seats.window import SeatWindow

ROLES = {
    "operations": RoleSpec(commands=["dispatch_unit", "set_auto_dispatch"], units=["boat"]),
    "public_info": RoleSpec(commands=["issue_warning", "order_evacuation", "open_shelter"]),
}


@pytest.fixture()
def served(drill, drill_path, synthetic_world, tmp_path):
    scen = drill.model_copy(update={"roles": ROLES})
    app = DrillApp(
        drill_path,
        world=synthetic_world,
        size=(1000, 650),
        record_path=tmp_path / "seats.drill.json",
        display=False,
        scenario=scen,
    )
    app.server = SeatServer(scen)  # default: 127.0.0.1, a free port
    host, port = app.server.start()
    assert host == "127.0.0.1"
    yield app, host, port
    app.server.stop()
    pygame.display.quit()


def _do(app, client, kind, params):
    fut = client.command_async(kind, params)
    for _ in range(2000):
        if fut.done():
            return fut.result()
        app.frame(0.0)  # the trainer's loop pumps the seats
    raise AssertionError("no reply")


def test_two_seats_role_limits_attribution_and_no_msel(served, tmp_path):
    app, host, port = served
    with pytest.raises(JmsimError, match="bad token"):
        SeatClient(host, port, "wrong", "operations")
    with pytest.raises(JmsimError, match="unknown role"):
        SeatClient(host, port, app.server.token, "mayor")
    ops = SeatClient(host, port, app.server.token, "operations")
    pub = SeatClient(host, port, app.server.token, "public_info")
    try:
        app.session.advance_to(70)  # past the MSEL's W1 (T+10) and E1 (T+60)
        r = _do(app, pub, "issue_warning", {"all": True})
        assert r["ok"] and r["text"].startswith("Warning public_info-")
        r = _do(app, pub, "dispatch_unit", {"unit_id": "boat-1", "lat": 22.5, "lon": 113.0})
        assert not r["ok"] and "may not give 'dispatch_unit'" in r["text"]
        r = _do(app, ops, "dispatch_unit", {"unit_id": "engine-1", "lat": 22.5, "lon": 113.0})
        assert not r["ok"] and "belongs to another seat" in r["text"]
        r = _do(app, ops, "set_auto_dispatch", {"on": False})
        assert r["ok"]
        assert any(
            line.startswith("[operations] Automatic dispatch OFF") for line in app.server.log
        )
        # the trainee view state: shared picture, own units flagged, nothing of the MSEL
        for _ in range(50):
            app.frame(0.0)
            if pub.states_seen and ops.states_seen:
                break
        st = ops.state
        assert st["type"] == "state" and st["t_min"] == 70 and st["role"] == "operations"
        own = {u["id"] for u in st["units"] if u["own"]}
        assert own == {u.uid for u in app.session.model.teams if u.group == "boat"}
        text = json.dumps(pub.state, ensure_ascii=False)
        for inj in app.session.scenario.msel:
            assert inj.description == "" or inj.description not in text
            for ea in inj.expected_actions:
                assert ea.action not in text
        assert "msel" not in text.lower() and "expected" not in text.lower()
        # a trainee window on the same picture; keys outside the role are refused locally
        win = SeatWindow(ops, size=(900, 600), display=False)
        win.frame()
        px = pygame.surfarray.array3d(win.canvas)
        assert px.reshape(-1, 3).std(axis=0).mean() > 10  # a drawn map, not blank
        win.key(pygame.K_e)
        assert "may not give order_evacuation" in win.message
        win.key(pygame.K_q)
        assert win.running and win.confirm_quit  # asks first
        win.key(pygame.K_y)
        assert not win.running
    finally:
        ops.close()
        pub.close()
    # attribution by role in the recording and the AAR table
    rec = DrillRecord.load(app.save())
    assert [(a.by, a.kind) for a in rec.actions] == [
        ("public_info", "issue_warning"),
        ("operations", "set_auto_dispatch"),
    ]
    roles = [a.role for a in trainee_actions(app.session.model.log)]
    assert roles == ["public_info", "operations"]


def test_serve_address_is_loopback_unless_given():
    assert parse_address(None) == ("127.0.0.1", 8765)
    assert parse_address(":9000") == ("127.0.0.1", 9000)
    assert parse_address("0.0.0.0:9000") == ("0.0.0.0", 9000)
    with pytest.raises(JmsimError, match="not a number"):
        parse_address("host:abc")


def test_seat_sees_the_hazard_layers_and_order_zones(served):
    """The trainee's map gets the trainer's hazard overlay and the zones ordered so far."""
    import numpy as np

    from viz.overlay import OverlayLayer, colorize

    app, host, port = served
    pub = SeatClient(host, port, app.server.token, "public_info")
    try:
        x0, y0 = (float(v) for v in app.session.model.teams[0].xy)
        plume = np.zeros((40, 60), dtype=float)
        plume[10:20, 20:40] = 50.0  # a block of 50 mg/m3 in the middle of a 6 x 4 km grid
        ext = (x0 - 3000.0, x0 + 3000.0, y0 - 2000.0, y0 + 2000.0)
        app.overlay.set_layers([OverlayLayer("plume", plume, ext, "concentration", 0.01, 1e3)])
        r = _do(
            app,
            pub,
            "order_evacuation",
            {"lat": 22.5, "lon": 113.0, "radius_km": 3.0},
        )
        assert r["ok"], r
        app.server.residents_every_s = 0.0
        for _ in range(200):
            app.frame(0.0)
            if pub.hazards_seen and pub.state.get("zones") and pub.residents_seen:
                break
        (zone,) = pub.state["zones"]
        assert zone["kind"] == "order_evacuation" and len(zone["ring"]) >= 8
        win = SeatWindow(pub, size=(900, 600), display=False)
        win.frame()
        res = app.session.model.residents  # resident groups by state, as the trainer has them
        assert win.residents.n == res.n and np.array_equal(win.residents.state, res.state)
        assert np.allclose(win.residents.x, res.x, atol=1.0)  # float32 metres
        (lay,) = [lay for lay, _ in win.overlay.layers]
        assert lay.name == "plume" and np.array_equal(lay.array, plume) and lay.extent == ext
        # Z zooms on the plume's 2 x 1 km footprint; the plume is drawn in its colours there
        win.key(pygame.K_z)
        assert win.message == "zoomed to the hazard"
        win.frame()
        cx, cy = win.view.rect[2] // 2, win.view.rect[3] // 2
        px = pygame.surfarray.array3d(win.canvas)[cx - 5 : cx + 5, cy - 5 : cy + 5]
        base = pygame.Surface(win.canvas.get_size())
        win.basemap.draw(base, win.view)
        under = pygame.surfarray.array3d(base)[cx - 5 : cx + 5, cy - 5 : cy + 5]
        rgba = colorize(lay)[15, 30].astype(float)  # a cell inside the plume block
        want = under * (1 - rgba[3] / 255) + rgba[:3] * rgba[3] / 255  # alpha blend
        assert np.abs(px - want).max() <= 3  # the plume's colour over the base map
        assert np.abs(px.astype(int) - under.astype(int)).max() > 25
    finally:
        pub.close()
