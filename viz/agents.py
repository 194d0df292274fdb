"""Moving things on the map: resident groups, units with routes, incidents.

Resident groups are drawn in one vectorised write into the frame's pixel
array (no per-group Python call), so 10 k groups cost about as much as one
blit. Units and incidents are few (tens to hundreds) and drawn as symbols.
"""

from __future__ import annotations

import numpy as np
import pygame

from sim.agents.residents import ResidentState
from sim.agents.units import UnitStatus
from viz.basemap import draw_marker
from viz.geometry import MapGeometry, View

STATE_RGB: dict[ResidentState, tuple[int, int, int]] = {
    ResidentState.UNAWARE: (110, 110, 110),
    ResidentState.WARNED: (235, 190, 0),
    ResidentState.EVACUATING: (20, 110, 255),
    ResidentState.SHELTERED: (0, 160, 60),
    ResidentState.EXPOSED: (230, 0, 0),
    ResidentState.INJURED: (150, 0, 160),
}
UNIT_RGB: dict[UnitStatus, tuple[int, int, int]] = {
    UnitStatus.AVAILABLE: (0, 150, 0),
    UnitStatus.DISPATCHED: (255, 130, 0),
    UnitStatus.ON_SCENE: (220, 0, 0),
    UnitStatus.RETURNING: (30, 90, 220),
    UnitStatus.OUT_OF_SERVICE: (120, 120, 120),
}


def unit_shape(team) -> str:
    """Icon by how the unit travels: aircraft ▲, boat ◆, road vehicle ■."""
    sp = team.vehicle.speed_kmh
    if sp.get("air") and not sp.get("road"):
        return "triangle"
    if (sp.get("sea") or sp.get("river")) and not sp.get("road"):
        return "diamond"
    return "square"


#: Colour of a group the hazard reached earlier but that is clear of it now.
EXPOSED_EARLIER_RGB = (190, 120, 120)


def exposed_earlier(res, hazard) -> np.ndarray | None:
    """Mask of EXPOSED groups where the hazard has gone (so the map is not red for days)."""
    if res is None or res.n == 0:
        return None
    exp = res.state == ResidentState.EXPOSED
    if not exp.any():
        return None
    thr = float(getattr(hazard, "exposure_threshold", 0.0))
    now = np.zeros(res.n)
    idx = np.flatnonzero(exp)
    now[idx] = np.asarray(hazard.intensity_at(res.x[idx], res.y[idx]), dtype=float)
    return exp & ~(now > thr)


def draw_residents(
    canvas: pygame.Surface, res, geom: MapGeometry, view: View, faded: np.ndarray | None = None
) -> int:
    """Dots coloured by current state (`faded`: exposed earlier, hazard gone); returns groups drawn."""
    if res is None or res.n == 0:
        return 0
    u, v = geom.xy_to_base(res.x, res.y)
    sx, sy = view.to_screen(u, v)
    x0, y0, w, h = view.rect
    sx = sx.astype(np.int64)
    sy = sy.astype(np.int64)
    ok = (sx >= x0) & (sx < x0 + w - 2) & (sy >= y0) & (sy < y0 + h - 2)
    sx, sy = sx[ok], sy[ok]
    palette = np.array([canvas.map_rgb(STATE_RGB[s]) for s in ResidentState], dtype=np.int64)
    col = palette[res.state[ok]].astype(np.uint32)
    if faded is not None:
        col[faded[ok]] = canvas.map_rgb(EXPOSED_EARLIER_RGB)
    r = 2 if view.zoom < 2 else 3
    px = pygame.surfarray.pixels2d(canvas)
    for dx in range(r):
        for dy in range(r):
            px[sx + dx, sy + dy] = col
    del px
    return int(ok.sum())


def draw_units(
    canvas, teams, now: float, geom: MapGeometry, view: View, font, selected: str | None
) -> None:
    """Unit icons coloured by status, with their current route and id labels when zoomed in."""
    if not teams:
        return
    old = canvas.get_clip()
    canvas.set_clip(pygame.Rect(view.rect))
    pos = np.array([t.position_at(now) for t in teams], dtype=float)
    u, v = geom.xy_to_base(pos[:, 0], pos[:, 1])
    sx, sy = view.to_screen(u, v)
    for k, t in enumerate(teams):
        if t.route_xy is not None and len(t.route_xy) >= 2:
            ru, rv = geom.xy_to_base(t.route_xy[:, 0], t.route_xy[:, 1])
            rx, ry = view.to_screen(ru, rv)
            pygame.draw.lines(canvas, (60, 60, 60), False, np.column_stack([rx, ry]).tolist(), 1)
        col = UNIT_RGB.get(t.status, (0, 0, 0))
        draw_marker(canvas, unit_shape(t), (sx[k], sy[k]), col, 6)
        if t.uid == selected:
            pygame.draw.circle(canvas, (255, 0, 255), (int(sx[k]), int(sy[k])), 11, 2)
        if view.zoom >= 2.5 or t.uid == selected:
            canvas.blit(font.render(t.uid, True, (0, 0, 0)), (sx[k] + 8, sy[k] - 6))
    canvas.set_clip(old)


def draw_incidents(canvas, incidents, geom: MapGeometry, view: View) -> None:
    """Open incidents: red ✕ waiting for a unit, orange ✕ with units assigned or on scene."""
    if not incidents:
        return
    old = canvas.get_clip()
    canvas.set_clip(pygame.Rect(view.rect))
    xy = np.array([(i.x_m, i.y_m) for i in incidents], dtype=float)
    u, v = geom.xy_to_base(xy[:, 0], xy[:, 1])
    sx, sy = view.to_screen(u, v)
    for k, inc in enumerate(incidents):
        x, y = int(sx[k]), int(sy[k])
        col = (255, 140, 0) if inc.assigned else (220, 0, 0)
        pygame.draw.circle(canvas, (255, 255, 255), (x, y), 7)
        pygame.draw.line(canvas, col, (x - 5, y - 5), (x + 5, y + 5), 3)
        pygame.draw.line(canvas, col, (x - 5, y + 5), (x + 5, y - 5), 3)
    canvas.set_clip(old)


#: Outline colour of an ordered zone by command kind.
ORDER_RGB = {
    "order_evacuation": (20, 110, 255),
    "order_shelter_in_place": (0, 150, 60),
    "issue_warning": (200, 150, 0),
}


def draw_order_zones(canvas, zones, geom: MapGeometry, view: View, font) -> None:
    """Ordered zones (evacuation blue, shelter-in-place green, warning amber) with their command id.

    `zones` holds (command id, command kind, outline as UTM [[x, y], ...]).
    """
    if not zones:
        return
    old = canvas.get_clip()
    canvas.set_clip(pygame.Rect(view.rect))
    for cid, kind, ring in zones:
        if len(ring) < 3:
            continue
        a = np.asarray(ring, dtype=float)
        u, v = geom.xy_to_base(a[:, 0], a[:, 1])
        sx, sy = view.to_screen(u, v)
        pts = np.column_stack([sx, sy]).tolist()
        col = ORDER_RGB.get(kind, (80, 80, 80))
        pygame.draw.polygon(canvas, col, pts, 2)
        top = int(np.argmin(sy))
        canvas.blit(font.render(cid, True, col), (sx[top] + 4, sy[top] - 16))
    canvas.set_clip(old)
