"""Moving things on the map: resident groups, units with routes, incidents.

Resident groups are drawn in one vectorised write into the frame's pixel
array (no per-group Python call), so 10 k groups cost about as much as one
blit. Units and incidents are few (tens to hundreds) and drawn as symbols.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from sim.agents.residents import ResidentState
from sim.agents.units import UnitStatus
from viz.basemap import draw_marker
from viz.geometry import MapGeometry, View
from viz.text import ui_font

STATE_RGB: dict[ResidentState, tuple[int, int, int]] = {
    ResidentState.UNAWARE: (110, 110, 110),
    ResidentState.WARNED: (235, 190, 0),
    ResidentState.EVACUATING: (20, 110, 255),
    ResidentState.SHELTERED: (0, 160, 60),
    ResidentState.EXPOSED: (230, 0, 0),
    ResidentState.INJURED: (150, 0, 160),
    ResidentState.RETURNED: (0, 190, 200),
}


def state_label(st: ResidentState) -> str:
    """Plain name of a resident state ('back home' for RETURNED)."""
    return "back home" if st is ResidentState.RETURNED else st.name.lower()


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


#: Units drawn closer than this (screen px) share one symbol with a count badge.
CLUSTER_PX = 9.0


@dataclass(frozen=True)
class UnitGlyph:
    """What the map needs of a unit (from a `Team`, or from a seat's view state)."""

    uid: str
    group: str
    shape: str
    rgb: tuple[int, int, int]
    x_m: float
    y_m: float


def glyphs_of(teams, now: float) -> list[UnitGlyph]:
    """Map glyphs of the model's teams at `now`, coloured by status."""
    out = []
    for t in teams:
        x, y = t.position_at(now)
        rgb = UNIT_RGB.get(t.status, (0, 0, 0))
        out.append(UnitGlyph(t.uid, t.group, unit_shape(t), rgb, float(x), float(y)))
    return out


def cluster_label(members: list[UnitGlyph]) -> str:
    """'fire_xh' for one unit; 'engine ×43' for a cluster of one plan unit; '12 units' else."""
    if len(members) == 1:
        return members[0].uid
    groups = {g.group for g in members}
    if len(groups) == 1:
        return f"{next(iter(groups))} ×{len(members)}"
    return f"{len(members)} units"


def draw_routes(canvas, teams, geom: MapGeometry, view: View) -> None:
    """Current routes of moving units, thin grey lines."""
    old = canvas.get_clip()
    canvas.set_clip(pygame.Rect(view.rect))
    for t in teams:
        if t.route_xy is not None and len(t.route_xy) >= 2:
            ru, rv = geom.xy_to_base(t.route_xy[:, 0], t.route_xy[:, 1])
            rx, ry = view.to_screen(ru, rv)
            pygame.draw.lines(canvas, (60, 60, 60), False, np.column_stack([rx, ry]).tolist(), 1)
    canvas.set_clip(old)


def draw_units(
    canvas, glyphs: list[UnitGlyph], geom: MapGeometry, view: View, selected: str | None
) -> tuple[list[tuple[str, tuple[float, float]]], list[pygame.Rect]]:
    """Unit symbols; units closer than `CLUSTER_PX` share one symbol with a count badge.

    A cluster symbol takes its members' most common colour (status). Returns
    the label requests (text, screen anchor), selected unit first, and the
    symbol rects, for `viz.labels.place_labels` to keep labels off symbols.
    """
    from viz.labels import cluster_points, draw_count_badge

    if not glyphs:
        return [], []
    old = canvas.get_clip()
    canvas.set_clip(pygame.Rect(view.rect))
    xy = np.array([(g.x_m, g.y_m) for g in glyphs], dtype=float)
    sx, sy = view.to_screen(*geom.xy_to_base(xy[:, 0], xy[:, 1]))
    x0, y0, w, h = view.rect
    inside = (sx >= x0 - 20) & (sx < x0 + w + 20) & (sy >= y0 - 20) & (sy < y0 + h + 20)
    idx = np.flatnonzero(inside)
    labels: list[tuple[str, tuple[float, float]]] = []
    rects: list[pygame.Rect] = []
    font = ui_font(15)
    for cl in cluster_points(sx[idx], sy[idx], CLUSTER_PX):
        members = [glyphs[int(idx[k])] for k in cl]
        cx, cy = float(sx[idx[cl[0]]]), float(sy[idx[cl[0]]])
        cols = [g.rgb for g in members]
        col = max(dict.fromkeys(cols), key=cols.count)  # most common; ties: first seen
        n = len(members)
        draw_marker(canvas, members[0].shape, (cx, cy), col, 7 if n > 1 else 6)
        rects.append(pygame.Rect(int(cx) - 7, int(cy) - 7, 15, 15))
        if n > 1:
            rects.append(draw_count_badge(canvas, font, n, (cx, cy)))
        if any(g.uid == selected for g in members):
            pygame.draw.circle(canvas, (255, 0, 255), (int(cx), int(cy)), 12, 2)
            text = f"{selected} (+{n - 1} here)" if n > 1 else str(selected)
            labels.insert(0, (text, (cx, cy)))
        else:
            labels.append((cluster_label(members), (cx, cy)))
    canvas.set_clip(old)
    return labels, rects


def draw_incidents(canvas, incidents, geom: MapGeometry, view: View) -> list[pygame.Rect]:
    """Open incidents: red ✕ waiting for a unit, orange ✕ with units assigned or on scene.

    `incidents` have `x_m`, `y_m` and `assigned` (model incidents or a seat's
    view-state records); returns the symbol rects (label obstacles).
    """
    if not incidents:
        return []
    old = canvas.get_clip()
    canvas.set_clip(pygame.Rect(view.rect))
    xy = np.array([(i.x_m, i.y_m) for i in incidents], dtype=float)
    u, v = geom.xy_to_base(xy[:, 0], xy[:, 1])
    sx, sy = view.to_screen(u, v)
    rects = []
    for k, inc in enumerate(incidents):
        x, y = int(sx[k]), int(sy[k])
        col = (255, 140, 0) if inc.assigned else (220, 0, 0)
        pygame.draw.circle(canvas, (255, 255, 255), (x, y), 7)
        pygame.draw.line(canvas, col, (x - 5, y - 5), (x + 5, y + 5), 3)
        pygame.draw.line(canvas, col, (x - 5, y + 5), (x + 5, y - 5), 3)
        rects.append(pygame.Rect(x - 7, y - 7, 15, 15))
    canvas.set_clip(old)
    return rects


#: Outline colour of an ordered zone by command kind.
ORDER_RGB = {
    "order_evacuation": (20, 110, 255),
    "order_shelter_in_place": (0, 150, 60),
    "issue_warning": (200, 150, 0),
}


def order_zones_of(log) -> list[tuple[str, str, list]]:
    """Orders and warnings given so far, from the event log: (command id, kind, UTM outline).

    Orders are public (the population hears them), so trainee seats get them too.
    """
    kinds = {
        e.subject_id: e.payload.get("command_kind", "") for e in log.of_kind("trainee_command")
    }
    return [
        (e.subject_id, kinds.get(e.subject_id, ""), e.payload["zone_xy"])
        for e in log.of_kind("command_result")
        if e.payload.get("zone_xy")
    ]


def draw_order_zones(
    canvas, zones, geom: MapGeometry, view: View
) -> list[tuple[str, tuple[float, float], tuple[int, int, int], float]]:
    """Ordered zones (evacuation blue, shelter-in-place green, warning amber) with their command id.

    `zones` holds (command id, command kind, outline as UTM [[x, y], ...]).
    Returns label requests (command id, anchor at the zone's top, colour, gap) for
    `viz.labels.draw_labels`, so ids do not land on town names or units.
    """
    if not zones:
        return []
    labels = []
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
        labels.append((cid, (float(sx[top]), float(sy[top])), col, 4.0))
    canvas.set_clip(old)
    return labels
