"""The drill window: map, hazard, agents, HUD, trainer injects and trainee commands.

`DrillApp` wraps a `DrillSession` (the engine clock) in a pygame loop. Each
frame maps wall time to scenario time at the chosen speed (1×: one scenario
second per wall second; 600×: ten scenario minutes per wall second), runs the
engine to that time, and draws: the cached base map, the hazard overlay
(re-coloured only when the field changes), residents, units and incidents,
then the HUD. Every trainer inject and trainee command goes through the
session, so it is logged and recorded for replay.

The loop is split into `handle(event)` and `frame(dt_s)` so tests can drive
it headless (SDL_VIDEODRIVER=dummy) with scripted events and a fixed dt.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pygame

from sim.commands import Command
from sim.scenario import load_scenario
from sim.scenario.schema import Inject
from sim.session import Action, DrillSession
from viz.agents import (
    draw_incidents,
    draw_order_zones,
    draw_residents,
    draw_routes,
    draw_units,
    exposed_earlier,
    glyphs_of,
    order_zones_of,
)
from viz.basemap import PlaceSymbols, build_basemap, place_names
from viz.feed import PlainFeed
from viz.geometry import MapGeometry, View
from viz.hazard_view import HazardOverlay
from viz.hud import Hud
from viz.labels import draw_labels
from viz.layers_chain import draw_gauges, gauge_box
from viz.msel import ExpectedRow, expected_rows, facts_from_log
from viz.raster import RasterLayer
from viz.record import DrillRecord, file_sha256, free_path
from viz.roster import FILTERS, draw_legend, draw_roster, legend_box, roster_box, roster_rows

SPEEDS = (1, 10, 60, 600)
#: Names the spot-fire key tries among the hazard's inject kinds.
SPOT_FIRE_KINDS = ("spot_fire", "ignite", "ignition", "spotting")
ZONE_RADIUS_KM = 3.0
WIND_STEP_DEG = 45.0
PANEL_W = 420
TIMELINE_H = 26
SCORECARD_EVERY_S = 2.0
MAX_FRAME_DT_S = 0.25


class DrillApp:
    """A drill on screen.

    Args:
        scenario_path: Scenario YAML.
        seed: Run seed (default: the scenario's).
        record: A recorded drill to replay (its actions become pending).
        record_path: Where the drill file is saved (Ctrl+S, quit).
        size: Window size in pixels.
        world: A pre-loaded world (tests, benchmarks).
        display: False renders off-screen only (screenshots), no window.
    """

    def __init__(
        self,
        scenario_path: str | Path,
        seed: int | None = None,
        *,
        record: DrillRecord | None = None,
        record_path: str | Path | None = None,
        size: tuple[int, int] = (1440, 900),
        world: Any = None,
        display: bool = True,
        scenario=None,
    ) -> None:
        self.scenario_path = Path(scenario_path)
        scen = scenario if scenario is not None else load_scenario(self.scenario_path)
        if world is None:
            from sim.run import load_world

            world = load_world(scen)
        self.world = world
        self.seed = scen.run.seed if seed is None else int(seed)
        if record is not None:
            self.seed = record.seed
        self.record = record
        self.mode = "replay" if record is not None else "live"
        self.branch: dict | None = dict(record.branch) if record and record.branch else None
        default = f"{scen.scenario.id}.seed{self.seed}.drill.json"
        self.record_path = Path(record_path) if record_path else free_path(default)
        self.session = DrillSession(scen, self.seed, world, record.actions if record else ())
        self.size = size
        pygame.display.init()  # not pygame.init(): no audio device is needed
        pygame.font.init()
        self.display = pygame.display.set_mode(size) if display else None
        if display:
            pygame.display.set_caption(f"jmsim drill: {scen.scenario.title}")
        self.canvas = pygame.Surface(size, 0, 32)
        W, H = size
        self.view = View((0, 0, W - PANEL_W, H - TIMELINE_H))
        self.timeline_rect = (0, H - TIMELINE_H, W - PANEL_W, TIMELINE_H)
        self.geom = MapGeometry(world.grid)
        t0 = time.perf_counter()
        self.basemap = RasterLayer(
            build_basemap(world, self.geom), (0, 0, self.geom.width, self.geom.height)
        )
        self.basemap_build_s = time.perf_counter() - t0
        self.view.fit(self.geom.width, self.geom.height)
        self.fit_zoom = self.view.zoom
        self.names = place_names(world)
        self.places = PlaceSymbols(world, self.geom)
        self.overlay = HazardOverlay(self.geom)
        self.hud = Hud(PANEL_W)
        self.paused = True
        self.speed = 1
        self.selected: str | None = None
        self.pointer = (W // 3, H // 2)
        self.message = ""
        self.feed: list[str] = []
        self._feed_seen = 0
        self._plain: PlainFeed | None = None
        self.card = None
        self.parent_card = None
        self._card_at = -math.inf
        self._card_t = -1.0
        self.show_help = False
        self.confirm: tuple[str, Callable[[], Any]] | None = None
        self.server = None  # viz.seats.server.SeatServer when serving trainee seats
        self.roster_filter: str | None = None  # TAB cycles viz.roster.FILTERS
        self.show_legend = False  # F2
        self._furthest: DrillRecord | None = None  # the live drill before jumping back
        self.running = True
        self.fps = 0.0
        self._drag: tuple[int, int] | None = None
        self.frames = 0
        self.overlay.refresh(self.session.model.hazard, world, self.session.now)

    # -- helpers for the HUD --------------------------------------------------------
    def pointer_text(self) -> str:
        """Pointer position as lat/lon."""
        if not self.view.contains(*self.pointer):
            return "-"
        u, v = self.view.to_base(*self.pointer)
        lat, lon = self.geom.base_to_ll(u, v)
        return f"{float(lat):.4f}N {float(lon):.4f}E"

    def wind_text(self) -> str:
        """Wind readout for hazards with a uniform wind (e.g. the chemical plume)."""
        hz = self.session.model.hazard
        w, d = getattr(hz, "wind_from_deg", None), getattr(hz, "wind_m_s", None)
        if isinstance(w, int | float) and isinstance(d, int | float):
            return f"wind from {w:.0f} deg at {d:.1f} m/s"
        return ""

    def next_injects(self, n: int) -> list[Inject]:
        """The next `n` MSEL injects after now."""
        now = self.session.now
        return [i for i in self.session.model.injects if i.at_min > now][:n]

    def expected(self) -> list[ExpectedRow]:
        """Expected player actions of the MSEL injects fired so far."""
        log = self.session.model.log
        key = (id(log), len(log))
        if getattr(self, "_facts_key", None) != key:  # the log only grows: recompute on change
            self._facts_key, self._facts = key, facts_from_log(log)
        facts = self._facts
        hazard = self.session.scenario.scenario.hazard
        return [
            r
            for r in expected_rows(self.session.scenario.msel, facts, self.session.now, hazard)
            if r.status != "not fired"
        ]

    def hazard_box_base(self) -> tuple[float, float, float, float] | None:
        """Base-map box (u0, v0, u1, v1) of where the hazard is now (first visible layer)."""
        return self.overlay.box_base()

    def hazard_box_xy(self) -> list[float] | None:
        """The hazard box in UTM metres [x0, x1, y0, y1] (for trainee seats)."""
        box = self.hazard_box_base()
        if box is None:
            return None
        x, y = self.geom.base_to_xy(np.array([box[0], box[2]]), np.array([box[1], box[3]]))
        return [
            round(float(min(x)), 1),
            round(float(max(x)), 1),
            round(float(min(y)), 1),
            round(float(max(y)), 1),
        ]

    def zoom_to_hazard(self) -> None:
        """Z: centre and zoom the map on the hazard's current footprint."""
        if self.overlay.zoom_to(self.view):
            self._say("zoomed to the hazard")
        else:
            self._say("! no hazard footprint on the map now")

    def draw_hazard_marker(self) -> tuple[list, list]:
        """A ring (small hazard) or an edge arrow (hazard off the map) at any zoom."""
        return self.overlay.draw_marker(self.canvas, self.view)

    def order_zones(self) -> list[tuple[str, str, list]]:
        """Zones of the orders and warnings given so far: (command id, kind, UTM outline)."""
        log = self.session.model.log
        key = (id(log), len(log))
        if getattr(self, "_zones_key", None) != key:
            self._zones_key, self._zones = key, order_zones_of(log)
        return self._zones

    def _say(self, text: str) -> None:
        self.message = text

    # -- actions -----------------------------------------------------------------
    def ask(self, question: str, on_yes: Callable[[], Any]) -> None:
        """Ask Y/N before something that cannot be undone (quit, branch); nothing happens till Y."""
        self.confirm = (question, on_yes)
        self._say(f"? {question}  [Y = yes, N = no]")

    def answer(self, yes: bool) -> Any:
        """Answer the open question (Y/N keys); returns what the action returned."""
        if self.confirm is None:
            return None
        _, on_yes = self.confirm
        self.confirm = None
        if not yes:
            self._say("cancelled")
            return None
        return on_yes()

    def dropped_if_branched(self) -> list[Action]:
        """Recorded actions after now, which a branch here would leave out (they stay in the parent)."""
        return list(self.session.pending)

    def submit(self, a: Action) -> bool:
        """Apply a new inject/command now; on error show it and change nothing.

        Acting before the end of the recorded actions starts a branch: the drill
        asks first, listing what the branch leaves out (the parent file keeps it).
        """
        if self.session.pending:
            drop = self.dropped_if_branched()
            listed = ", ".join(f"{x.id} {x.kind} T+{x.at_min:.0f}" for x in drop[:5])
            more = f" and {len(drop) - 5} more" if len(drop) > 5 else ""
            self.ask(
                f"Acting here starts a branch at T+{self.session.now:.0f} min without "
                f"{len(drop)} later actions ({listed}{more}); the original stays in "
                f"{self.parent_path_for_branch()}. Branch?",
                lambda: self.branch_here() or self._submit_now(a),
            )
            return False
        return self._submit_now(a)

    def _submit_now(self, a: Action) -> bool:
        try:
            done = self.session.submit(a)
        except ValueError as e:
            self._say(f"! {e}")
            return False
        self._say(self.session.last_result or f"{done.id} {done.kind} applied")
        self.overlay.refresh(self.session.model.hazard, self.world, self.session.now, force=True)
        self._card_at = -math.inf
        return True

    def command(self, kind: str, **params) -> bool:
        """A trainee command now."""
        s = self.session
        return self.submit(
            Command(id=s.next_id("CMD"), at_min=s.now, kind=kind, params=params, by="trainee")
        )

    def inject(self, kind: str, description: str = "", **params) -> bool:
        """An ad-hoc trainer inject now."""
        s = self.session
        return self.submit(
            Inject(
                id=s.next_id("ADHOC"),
                at_min=s.now,
                kind=kind,
                params=params,
                description=description,
            )
        )

    def pointer_xy(self) -> tuple[float, float]:
        """UTM of the pointer."""
        u, v = self.view.to_base(*self.pointer)
        x, y = self.geom.base_to_xy(u, v)
        return float(x), float(y)

    def pointer_ll(self) -> tuple[float, float]:
        """Lat/lon of the pointer."""
        u, v = self.view.to_base(*self.pointer)
        lat, lon = self.geom.base_to_ll(u, v)
        return round(float(lat), 6), round(float(lon), 6)

    def unit_at(self, sx: float, sy: float, r: float = 10.0) -> str | None:
        """Id of the unit drawn nearest to a screen point (within r px)."""
        teams = self.session.model.teams
        if not teams:
            return None
        now = self.session.now
        pos = np.array([t.position_at(now) for t in teams], dtype=float)
        px, py = self.view.to_screen(*self.geom.xy_to_base(pos[:, 0], pos[:, 1]))
        d = np.hypot(px - sx, py - sy)
        k = int(np.argmin(d))
        return teams[k].uid if d[k] <= r else None

    def incident_at(self, sx: float, sy: float, r: float = 10.0) -> str | None:
        """Id of the open incident nearest to a screen point (within r px)."""
        incs = self.open_incidents()
        if not incs:
            return None
        xy = np.array([(i.x_m, i.y_m) for i in incs], dtype=float)
        px, py = self.view.to_screen(*self.geom.xy_to_base(xy[:, 0], xy[:, 1]))
        d = np.hypot(px - sx, py - sy)
        k = int(np.argmin(d))
        return incs[k].id if d[k] <= r else None

    def open_incidents(self) -> list:
        """Incidents not yet resolved."""
        return [i for i in self.session.model.dispatch.incidents.values() if not i.resolved]

    def click(self, sx: int, sy: int) -> None:
        """Left click: select a unit, or send the selected unit to an incident or a point."""
        x0, y0, w, h = self.timeline_rect
        if x0 <= sx < x0 + w and y0 <= sy < y0 + h:
            self.jump_to((sx - x0) / w * self.session.end)
            return
        if not self.view.contains(sx, sy):
            return
        uid = self.unit_at(sx, sy)
        if uid is not None and uid != self.selected:
            self.selected = uid
            self._say(f"selected {uid}: click an incident or a point to send it")
            return
        if self.selected is None:
            return
        self.pointer = (sx, sy)
        inc = self.incident_at(sx, sy)
        if inc is not None:
            self.command("dispatch_unit", unit_id=self.selected, incident_id=inc)
        else:
            x, y = self.pointer_xy()
            self.command("dispatch_unit", unit_id=self.selected, x_m=round(x, 1), y_m=round(y, 1))

    def key(self, k: int, mods: int = 0) -> None:
        """Keyboard: clock, map, injects, commands, record (see `Hud.draw_help`)."""
        if self.confirm is not None:  # a question is open: only Y/N (Enter/Esc) answer it
            if k in (pygame.K_y, pygame.K_RETURN):
                self.answer(True)
            elif k in (pygame.K_n, pygame.K_ESCAPE):
                self.answer(False)
            return
        lat, lon = self.pointer_ll()
        hz = self.session.model.hazard
        if k == pygame.K_SPACE:
            self.paused = not self.paused
        elif k in (pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_4):
            self.speed = SPEEDS[k - pygame.K_1]
            self.paused = False
        elif k == pygame.K_s and mods & pygame.KMOD_CTRL:
            self.save()
        elif k in (pygame.K_q, pygame.K_ESCAPE) and not (k == pygame.K_ESCAPE and self.selected):
            self.ask_quit()
        elif k == pygame.K_ESCAPE:
            self.selected = None
        elif k == pygame.K_F1:
            self.show_help = not self.show_help
        elif k == pygame.K_F2:
            self.show_legend = not self.show_legend
        elif k == pygame.K_TAB:
            i = FILTERS.index(self.roster_filter)
            self.roster_filter = FILTERS[(i + 1) % len(FILTERS)]
        elif k == pygame.K_z:
            self.zoom_to_hazard()
        elif k == pygame.K_HOME:
            self.view.fit(self.geom.width, self.geom.height)
        elif k in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.view.zoom_at(1.25, *self.pointer)
        elif k in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.view.zoom_at(0.8, *self.pointer)
        elif k in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN):
            d = {
                pygame.K_LEFT: (60, 0),
                pygame.K_RIGHT: (-60, 0),
                pygame.K_UP: (0, 60),
                pygame.K_DOWN: (0, -60),
            }[k]
            self.view.pan(*d)
        elif k == pygame.K_LEFTBRACKET:
            self.jump_to(self.session.now - 60)
        elif k == pygame.K_RIGHTBRACKET:
            self.jump_to(self.session.now + 60)
        elif k == pygame.K_l:
            self._say(self.overlay.cycle())
        elif k == pygame.K_k:
            n = len(self.dropped_if_branched())
            self.ask(
                f"Branch at T+{self.session.now:.0f} min, leaving out {n} later actions "
                f"(kept in {self.parent_path_for_branch()})?",
                self.branch_here,
            )
        # trainer injects
        elif k == pygame.K_f:
            kinds = set(getattr(hz, "inject_kinds", ()))
            kind = next((n for n in SPOT_FIRE_KINDS if n in kinds), None)
            if kind is None:
                self._say(
                    f"! spot fire: hazard {hz.name!r} has no ignition inject (kinds: {sorted(kinds)})"
                )
            else:
                self.inject(kind, "trainer spot fire", lat=lat, lon=lon)
        elif k == pygame.K_r:
            self.inject("road_block", "trainer road block", lat=lat, lon=lon)
        elif k == pygame.K_u:
            self.inject("road_reopen", "trainer road reopened", lat=lat, lon=lon)
        elif k == pygame.K_w:
            self.wind_shift()
        elif k == pygame.K_s:
            self.inject(
                "incident",
                "trainer sea incident",
                lat=lat,
                lon=lon,
                domain="sea",
                incident_kind="vessel_distress",
                needs="sea_rescue",
                priority=1,
                work_min=60,
            )
        elif k == pygame.K_i:
            self.inject(
                "incident",
                "trainer incident",
                lat=lat,
                lon=lon,
                domain="land",
                incident_kind="rescue",
                needs="general",
                priority=3,
                work_min=60,
            )
        elif k == pygame.K_x:
            uid = self.selected or self.unit_at(*self.pointer, r=40)
            if uid is None:
                self._say("! break down: select a unit first (or point at one)")
            else:
                self.inject("unit_breakdown", f"{uid} breaks down", unit_id=uid)
        elif k == pygame.K_y and self.selected:
            self.inject("unit_restored", f"{self.selected} back in service", unit_id=self.selected)
        elif k == pygame.K_n:
            self.inject("note", "trainer note", lat=lat, lon=lon)
        # trainee commands
        elif k == pygame.K_e:
            self.command("order_evacuation", lat=lat, lon=lon, radius_km=ZONE_RADIUS_KM)
        elif k == pygame.K_p:
            self.command("order_shelter_in_place", lat=lat, lon=lon, radius_km=ZONE_RADIUS_KM)
        elif k == pygame.K_g:
            self.command("issue_warning", lat=lat, lon=lon, radius_km=ZONE_RADIUS_KM)
        elif k == pygame.K_o:
            self.open_nearest_shelter()
        elif k == pygame.K_m:
            self.mutual_aid()
        elif k == pygame.K_a:
            self.command("set_auto_dispatch", on=not self.session.model.dispatch.auto)

    def wind_shift(self) -> None:
        """Veer the wind by 45 degrees (hazards with a `wind_shift` inject)."""
        hz = self.session.model.hazard
        if "wind_shift" not in set(getattr(hz, "inject_kinds", ())):
            self._say(f"! wind shift: hazard {hz.name!r} has no wind_shift inject")
            return
        cur = getattr(hz, "wind_from_deg", 0.0)
        self.inject(
            "wind_shift",
            "trainer wind shift",
            wind_from_deg=round((float(cur) + WIND_STEP_DEG) % 360, 1),
        )

    def open_nearest_shelter(self) -> None:
        """Open the world shelter facility nearest the pointer."""
        f = self.world.facilities
        sh = f[f["kind"] == "shelter"]
        if sh.empty:
            self._say("! no shelter facilities in this world")
            return
        x, y = self.pointer_xy()
        k = int(np.argmin(np.hypot(sh["x_m"].to_numpy() - x, sh["y_m"].to_numpy() - y)))
        self.command("open_shelter", facility=str(sh["facility_id"].iloc[k]))

    def mutual_aid(self) -> None:
        """Request two units like the selected one (or the first plan unit)."""
        units = self.session.scenario.plan.units
        if not units:
            self._say("! mutual aid: the plan has no units to take as a template")
            return
        tmpl = units[0].id
        if self.selected:
            t = self.session.model.team(self.selected)
            tmpl = t.group if any(u.id == t.group for u in units) else tmpl
        self.command("request_mutual_aid", template=tmpl, count=2)

    # -- timeline -----------------------------------------------------------------
    def jump_to(self, t: float) -> None:
        """Re-run the drill from the start to `t` with all recorded actions (deterministic)."""
        t = float(np.clip(t, 0.0, self.session.end))
        if t < self.session.now and not self.session.pending:  # leaving the furthest point
            self._furthest = DrillRecord.from_session(
                self.session, self.scenario_path, branch=self.branch
            )
        actions = [*self.session.applied, *self.session.pending]
        self.session = DrillSession(self.session.scenario, self.seed, self.world, actions)
        self.session.advance_to(t)
        self.feed, self._feed_seen, self._plain = [], 0, None
        self._card_at = -math.inf
        self.overlay.refresh(self.session.model.hazard, self.world, self.session.now, force=True)
        self._say(f"jumped to T+{int(t) // 60:02d}:{int(t) % 60:02d}")

    def parent_path_for_branch(self) -> Path:
        """The file that keeps the actions a branch leaves out."""
        return self.record_path

    def branch_here(self) -> None:
        """Start a new branch at now: later recorded actions are left out of it, never lost.

        The parent is kept as a file (a live drill is saved first, with every
        action so far); the branch gets its own file, whose `branch` names the
        parent file, its SHA-256, its event-log digest and the dropped actions.
        """
        at = self.session.now
        dropped = self.dropped_if_branched()
        parent_path = self.record_path
        if self.mode != "replay" or not parent_path.exists():
            rec = self._furthest or DrillRecord.from_session(
                self.session, self.scenario_path, branch=self.branch
            )
            rec.save(parent_path)  # the parent as it stands: every action so far
            parent_log = rec.event_log_sha256
        else:
            parent_log = self.record.event_log_sha256 if self.record else ""
        self.session.pending.clear()
        self.branch = {
            "at_min": at,
            "parent": str(parent_path),
            "parent_sha256": file_sha256(parent_path),
            "parent_event_log_sha256": parent_log,
            "dropped": [x.id for x in dropped],
        }
        stem = parent_path.name.removesuffix(".drill.json")
        self.record_path = free_path(parent_path.with_name(f"{stem}.branch{int(at)}.drill.json"))
        self.mode = "branch"
        self._furthest = None
        self._say(
            f"branched at T+{int(at) // 60:02d}:{int(at) % 60:02d}: {len(dropped)} later actions "
            f"left out (kept in {parent_path.name}); this branch saves to {self.record_path.name}"
        )

    def save(self) -> Path:
        """Write the drill file."""
        rec = DrillRecord.from_session(self.session, self.scenario_path, branch=self.branch)
        out = rec.save(self.record_path)
        self._say(f"saved {out}")
        return out

    def ask_quit(self) -> None:
        """Quit only after Y: the drill is saved on the way out."""

        def stop() -> None:
            self.running = False

        self.ask(f"Quit the drill (it is saved to {self.record_path})?", stop)

    # -- loop -------------------------------------------------------------------------
    def handle(self, ev: pygame.event.Event) -> None:
        """One pygame event."""
        if ev.type == pygame.QUIT:
            self.ask_quit()
        elif ev.type == pygame.KEYDOWN:
            self.key(ev.key, getattr(ev, "mod", 0))
        elif ev.type == pygame.MOUSEMOTION:
            if self._drag is not None:
                self.view.pan(ev.pos[0] - self._drag[0], ev.pos[1] - self._drag[1])
                self._drag = ev.pos
            self.pointer = ev.pos
        elif ev.type == pygame.MOUSEBUTTONDOWN:
            self.pointer = ev.pos
            if ev.button == 1:
                self.click(*ev.pos)
            elif ev.button in (2, 3):
                self._drag = ev.pos
        elif ev.type == pygame.MOUSEBUTTONUP and ev.button in (2, 3):
            self._drag = None
        elif ev.type == pygame.MOUSEWHEEL:
            self.view.zoom_at(1.2 if ev.y > 0 else 1 / 1.2, *self.pointer)

    def advance(self, dt_s: float) -> None:
        """Move the scenario clock by `dt_s` wall seconds at the current speed."""
        if self.paused or self.session.finished:
            return
        s = self.session
        s.advance_to(s.now + min(dt_s, MAX_FRAME_DT_S) * self.speed / 60.0)
        if s.finished:
            self.paused = True
            self._say("drill ended: CTRL+S to save, then `jmsim aar`")

    def _update_feed(self) -> None:
        log = self.session.model.log
        n = len(log)
        if self._feed_seen > n or self._plain is None:
            self._plain, self._feed_seen, self.feed = PlainFeed(self.world), 0, []
        for i in range(self._feed_seen, n):
            line = self._plain.line(log[i])
            if line is not None:
                self.feed.append(line)
        self._feed_seen = n
        del self.feed[:-200]

    def _update_card(self) -> None:
        now = time.perf_counter()
        if now - self._card_at < SCORECARD_EVERY_S or self.session.now == self._card_t:
            return
        from sim.indicators.scorecard import build_scorecard

        s = self.session
        ev = s.model.log.to_frame()
        ev.insert(0, "run_id", f"{s.scenario.scenario.id}#s{s.seed}")
        self.card = build_scorecard(s.scenario, ev, self.world)
        self._card_at, self._card_t = time.perf_counter(), s.now

    def draw(self) -> None:
        """Compose one frame on the canvas."""
        c = self.canvas
        c.fill((200, 200, 200))
        self.basemap.draw(c, self.view)
        self.overlay.draw(c, self.view)
        m = self.session.model
        draw_residents(c, m.residents, self.geom, self.view, exposed_earlier(m.residents, m.hazard))
        place_rects = self.places.draw(c, self.view)
        zone_labels = draw_order_zones(c, self.order_zones(), self.geom, self.view)
        hz_rects, hz_labels = self.draw_hazard_marker()
        inc_rects = draw_incidents(c, self.open_incidents(), self.geom, self.view)
        draw_routes(c, m.teams, self.geom, self.view)
        glyphs = glyphs_of(m.teams, self.session.now)
        labels, unit_rects = draw_units(c, glyphs, self.geom, self.view, self.selected)
        sel_first = bool(self.selected and labels and labels[0][0].startswith(self.selected))
        # panels over the map: roster, symbol legend, hazard-layer legend (labels keep out)
        x0, y0, w, h = self.view.rect
        panels = []
        rows = roster_rect = legend_rect = None
        if self.roster_filter is not None:
            rows = roster_rows(m.teams, m.dispatch.incidents, self.session.now, self.roster_filter)
            roster_rect = (x0 + 8, y0 + 8, w - 16, h // 2)
            panels.append(roster_box(self.hud.text, rows, roster_rect))
        if self.show_legend:
            n_layers = sum(self.overlay.visible(lay) for lay, _ in self.overlay.layers)
            legend_rect = (x0 + 8, y0, w - 16, h - 20 * n_layers - 16)  # above the layer legend
            panels.append(legend_box(self.hud.text, legend_rect))
        layer_box = self.overlay.legend_box(self.view, self.hud.text)
        panels += [layer_box] if layer_box is not None else []
        gauges_rect = gauge_box(m.hazard, self.view.rect)
        panels += [gauges_rect] if gauges_rect is not None else []
        draw_labels(
            c,
            self.hud.text,
            self.view,
            self.geom,
            self.names,
            labels,
            unit_rects + inc_rects + place_rects + hz_rects + panels,
            self.fit_zoom,
            selected_first=sel_first,
            priority_labels=hz_labels + zone_labels,
        )
        self.overlay.draw_legend(c, self.view, self.hud.text)
        draw_gauges(c, self.hud.text, m.hazard, self.view.rect)
        if roster_rect is not None:
            draw_roster(c, self.hud.text, rows, self.roster_filter, roster_rect)
        if legend_rect is not None:
            draw_legend(c, self.hud.text, legend_rect)
        self.hud.draw_timeline(c, self)
        self.hud.draw_panel(c, self)
        if self.show_help:
            self.hud.draw_help(c, self.view.rect)

    def frame(self, dt_s: float) -> None:
        """Handle queued events, advance the clock, refresh and draw one frame."""
        for ev in pygame.event.get():
            self.handle(ev)
        self.advance(dt_s)
        self.overlay.refresh(self.session.model.hazard, self.world, self.session.now)
        if self.server is not None:  # trainee seats: their commands, attributed to their role
            for line in self.server.pump(self.session, self.hazard_box_xy(), self.overlay):
                self._say(line)
        self._update_feed()
        self._update_card()
        self.draw()
        if self.display is not None:
            self.display.blit(self.canvas, (0, 0))
            pygame.display.flip()
        self.frames += 1

    def run(self, max_fps: int = 60) -> Path:
        """Interactive loop until quit; saves the drill file and returns its path."""
        clock = pygame.time.Clock()
        while self.running:
            dt = clock.tick(max_fps) / 1000.0
            self.frame(dt)
            self.fps = clock.get_fps()
        out = self.save()
        pygame.quit()
        return out

    def screenshot(self, path: str | Path) -> Path:
        """Save the current frame as PNG."""
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(self.canvas, str(out))
        return out


def headless() -> None:
    """Use SDL's dummy video driver (no window), e.g. for screenshots and tests."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
