"""A trainee seat's pygame window: the shared picture, own units, role-limited commands.

It draws the same base map as the trainer console from the world pack, and
on it the shared picture the server sends (no MSEL): the hazard layers
(`hazard` messages, coloured like the trainer's overlay), resident groups by
state (`residents` messages), the order zones,
incidents, units (own coloured by status, others grey; co-located units as one
symbol with a count) and a plain feed. Keys give only the role's commands; a unit of another seat cannot be
selected for dispatch. Quitting asks Y/N first.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pygame

from sim.agents.units import UnitStatus
from sim.geo import to_latlon
from viz.agents import (
    UNIT_RGB,
    UnitGlyph,
    draw_incidents,
    draw_order_zones,
    draw_residents,
    draw_units,
)
from viz.basemap import PlaceSymbols, build_basemap, place_names
from viz.geometry import MapGeometry, View
from viz.hazard_view import HazardOverlay
from viz.hud import INK, PANEL_BG, TextCache, wrap_lines
from viz.labels import draw_labels
from viz.raster import RasterLayer
from viz.roster import draw_legend, legend_box
from viz.seats.client import SeatClient
from viz.seats.protocol import decode_layers, decode_residents

#: Other seats' units: grey, so a trainee sees them but knows they are not theirs.
OTHER_RGB = (150, 150, 150)

PANEL_W = 420
ZONE_RADIUS_KM = 3.0
KEYS = {
    pygame.K_e: "order_evacuation",
    pygame.K_p: "order_shelter_in_place",
    pygame.K_g: "issue_warning",
}


class SeatWindow:
    """One trainee's window on a `SeatClient`."""

    def __init__(self, client: SeatClient, size=(1280, 800), display: bool = True) -> None:
        from sim.world import World, load_jiangmen

        self.client = client
        pack = client.welcome.get("world_pack", "jiangmen")
        self.world = World.synthetic() if pack == "synthetic" else load_jiangmen()
        pygame.display.init()
        pygame.font.init()
        self.display = pygame.display.set_mode(size) if display else None
        if display:
            pygame.display.set_caption(
                f"jmsim seat: {client.role} - {client.welcome.get('title', '')}"
            )
        self.canvas = pygame.Surface(size, 0, 32)
        W, H = size
        self.view = View((0, 0, W - PANEL_W, H))
        self.geom = MapGeometry(self.world.grid)
        self.basemap = RasterLayer(
            build_basemap(self.world, self.geom), (0, 0, self.geom.width, self.geom.height)
        )
        self.view.fit(self.geom.width, self.geom.height)
        self.fit_zoom = self.view.zoom
        self.names = place_names(self.world)
        self.places = PlaceSymbols(self.world, self.geom)
        self.overlay = HazardOverlay(self.geom)
        self._hazards_seen = 0
        self._residents_seen = 0
        self.residents = None  # decoded groups (n, x, y, state)
        self.text = TextCache()
        self.pointer = (W // 3, H // 2)
        self.selected: str | None = None
        self.message = f"joined as {client.role}: {', '.join(client.welcome.get('commands', []))}"
        self.confirm_quit = False
        self.show_legend = False  # F2
        self.running = True

    def allowed(self, kind: str) -> bool:
        """Whether this seat's role may give `kind`."""
        return kind in self.client.welcome.get("commands", [])

    def pointer_ll(self) -> tuple[float, float]:
        """Pointer as lat/lon."""
        u, v = self.view.to_base(*self.pointer)
        lat, lon = self.geom.base_to_ll(u, v)
        return float(lat), float(lon)

    def send(self, kind: str, **params) -> None:
        """A command if the role allows it (the server checks again)."""
        if not self.allowed(kind):
            self.message = f"! your role may not give {kind}"
            return
        fut = self.client.command_async(kind, params)
        fut.add_done_callback(lambda f: setattr(self, "message", f.result()["text"]))

    def key(self, k: int) -> None:
        """Keyboard: E/P/G orders, A auto-dispatch off, Z hazard, HOME, +/-, F2, Q (Y/N)."""
        if self.confirm_quit:
            self.running = k not in (pygame.K_y, pygame.K_RETURN)
            self.confirm_quit = False
            self.message = "" if self.running else "bye"
            return
        if k in (pygame.K_q, pygame.K_ESCAPE):
            self.confirm_quit = True
            self.message = "? Leave the drill? [Y = yes, N = no]"
        elif k in KEYS:
            lat, lon = self.pointer_ll()
            self.send(KEYS[k], lat=lat, lon=lon, radius_km=ZONE_RADIUS_KM)
        elif k == pygame.K_z:
            self.zoom_to_hazard()
        elif k == pygame.K_HOME:
            self.view.fit(self.geom.width, self.geom.height)
        elif k == pygame.K_F2:
            self.show_legend = not self.show_legend
        elif k == pygame.K_a:
            self.send("set_auto_dispatch", on=False)
        elif k in (pygame.K_PLUS, pygame.K_EQUALS):
            self.view.zoom_at(1.25, *self.pointer)
        elif k == pygame.K_MINUS:
            self.view.zoom_at(0.8, *self.pointer)

    def zoom_to_hazard(self) -> None:
        """Z: the hazard's footprint (its layers), else the server's hazard box."""
        if self.overlay.zoom_to(self.view):
            self.message = "zoomed to the hazard"
            return
        box = self.client.state.get("hazard_box")
        if not box:
            self.message = "! no hazard footprint on the map now"
            return
        x0, x1, y0, y1 = box
        (u0, u1), (v0, v1) = self.geom.xy_to_base(np.array([x0, x1]), np.array([y0, y1]))
        _, _, w, h = self.view.rect
        zoom = min(w / max(abs(u1 - u0), 4.0), h / max(abs(v1 - v0), 4.0)) / 1.6
        self.view.center_on((u0 + u1) / 2, (v0 + v1) / 2, zoom)
        self.message = "zoomed to the hazard"

    def _screen(self, x_m, y_m):
        u, v = self.geom.xy_to_base(np.asarray(x_m, float), np.asarray(y_m, float))
        return self.view.to_screen(u, v)

    def click(self, sx: int, sy: int) -> None:
        """Select an own unit, then click an incident (or a point) to send it."""
        st = self.client.state
        best, bd = None, 12.0
        for u in st.get("units", []):
            x, y = self._screen([u["x_m"]], [u["y_m"]])
            d = float(np.hypot(x[0] - sx, y[0] - sy))
            if d < bd:
                best, bd = u, d
        if best is not None:
            if not best["own"]:
                self.message = f"! {best['id']} belongs to another seat"
            else:
                self.selected = best["id"]
            return
        if self.selected:
            inc = min(
                st.get("incidents", []),
                key=lambda i: float(
                    np.hypot(*(np.ravel(self._screen([i["x_m"]], [i["y_m"]])) - (sx, sy)))
                ),
                default=None,
            )
            if inc is not None:
                self.send("dispatch_unit", unit_id=self.selected, incident_id=inc["id"])
            else:
                lat, lon = to_latlon(*self.view_xy(sx, sy))
                self.send("dispatch_unit", unit_id=self.selected, lat=float(lat), lon=float(lon))
            self.selected = None

    def view_xy(self, sx, sy):
        """Screen pixel to UTM metres."""
        u, v = self.view.to_base(sx, sy)
        lat, lon = self.geom.base_to_ll(u, v)
        from sim.geo import to_utm

        return to_utm(float(lat), float(lon))

    def draw(self) -> None:
        """Map with units and incidents, and the seat panel."""
        c = self.canvas
        c.fill((200, 200, 200))
        self.basemap.draw(c, self.view)
        if self.client.hazards_seen != self._hazards_seen and self.client.hazard is not None:
            self._hazards_seen = self.client.hazards_seen
            self.overlay.set_layers(decode_layers(self.client.hazard))
        self.overlay.draw(c, self.view)
        if self.client.residents_seen != self._residents_seen and self.client.residents:
            self._residents_seen = self.client.residents_seen
            self.residents = decode_residents(self.client.residents)
        draw_residents(c, self.residents, self.geom, self.view)
        place_rects = self.places.draw(c, self.view)
        st = self.client.state
        zones = [(z["id"], z["kind"], z["ring"]) for z in st.get("zones", [])]
        zone_labels = draw_order_zones(c, zones, self.geom, self.view)
        hz_rects, hz_labels = self.overlay.draw_marker(c, self.view)
        incs = [SimpleNamespace(**i) for i in st.get("incidents", [])]
        inc_rects = draw_incidents(c, incs, self.geom, self.view)
        glyphs = [
            UnitGlyph(
                u["id"],
                u["group"],
                u.get("shape", "square"),
                UNIT_RGB.get(UnitStatus(u["status"]), (0, 0, 0)) if u["own"] else OTHER_RGB,
                u["x_m"],
                u["y_m"],
            )
            for u in st.get("units", [])
        ]
        labels, unit_rects = draw_units(c, glyphs, self.geom, self.view, self.selected)
        sel_first = bool(self.selected and labels and labels[0][0].startswith(self.selected))
        mx, my, mw, mh = self.view.rect
        n = sum(self.overlay.visible(lay) for lay, _ in self.overlay.layers)
        legend_rect = (mx + 8, my, mw - 16, mh - 20 * n - 16)  # above the hazard-layer legend
        panels = [legend_box(self.text, legend_rect)] if self.show_legend else []
        layer_box = self.overlay.legend_box(self.view, self.text)
        panels += [layer_box] if layer_box is not None else []
        draw_labels(
            c,
            self.text,
            self.view,
            self.geom,
            self.names,
            labels,
            unit_rects + inc_rects + place_rects + hz_rects + panels,
            self.fit_zoom,
            selected_first=sel_first,
            priority_labels=hz_labels + zone_labels,
        )
        self.overlay.draw_legend(c, self.view, self.text)
        if self.show_legend:
            draw_legend(c, self.text, legend_rect)
        W, H = c.get_size()
        x0 = W - PANEL_W
        pygame.draw.rect(c, PANEL_BG, (x0, 0, PANEL_W, H))
        y = 8
        lines = [
            (st.get("title", ""), 18),
            (f"seat: {self.client.role}", 17),
            (f"T+{int(st.get('t_min', 0)) // 60:02d}:{int(st.get('t_min', 0)) % 60:02d}", 28),
            ("you may: " + ", ".join(st.get("commands", [])), 14),
            (
                "people: "
                + ", ".join(
                    f"{'back home' if k == 'returned' else k} {v:,}"
                    for k, v in st.get("people", {}).items()
                    if v
                ),
                14,
            ),
            ("your units:", 16),
        ]
        own = [u for u in st.get("units", []) if u["own"]]
        lines += [(f"  {u['id']}  {u['status']}  {u['incident']}", 14) for u in own[:14]]
        lines += [("what happened:", 16)] + [(f, 14) for f in st.get("feed", [])]
        lines += [(self.message, 15)]
        for text, size in lines:
            for ln in wrap_lines(self.text.font(size), text, PANEL_W - 20, 3):
                img = self.text.render(ln, size, INK)
                c.blit(img, (x0 + 10, y))
                y += img.get_height() + 2

    def frame(self) -> None:
        """Handle input and draw one frame."""
        for ev in pygame.event.get():
            if ev.type == pygame.QUIT:
                self.key(pygame.K_q)
            elif ev.type == pygame.KEYDOWN:
                self.key(ev.key)
            elif ev.type == pygame.MOUSEMOTION:
                self.pointer = ev.pos
            elif ev.type == pygame.MOUSEBUTTONDOWN and ev.button == 1:
                self.click(*ev.pos)
        self.draw()
        if self.display is not None:
            self.display.blit(self.canvas, (0, 0))
            pygame.display.flip()

    def run(self) -> None:
        """Loop until the trainee leaves."""
        clock = pygame.time.Clock()
        while self.running:
            clock.tick(30)
            self.frame()
        self.client.close()
        pygame.quit()
