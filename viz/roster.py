"""Unit roster and map legend, drawn over the map (TAB cycles the roster filter).

The roster answers "who is busy, where is it going, when does it get there,
what can it do": one row per unit with status, task, ETA and capabilities.
The legend explains every symbol on the map.
"""

from __future__ import annotations

import pygame

from sim.agents.residents import ResidentState
from sim.agents.units import UnitStatus
from viz.agents import EXPOSED_EARLIER_RGB, ORDER_RGB, STATE_RGB, UNIT_RGB
from viz.basemap import FACILITY_STYLE, ROAD_STYLE, draw_marker
from viz.labels import draw_count_badge

#: Roster filters, cycled by TAB (None: roster hidden).
FILTERS: tuple[str | None, ...] = (None, "all", "busy", "available", "out of service")


def roster_rows(teams, incidents: dict, now: float, flt: str = "all") -> list[tuple[str, ...]]:
    """(unit, status, task, ETA, capabilities) rows, busy units first."""
    rows = []
    for t in teams:
        st = t.status
        if flt == "busy" and st in (UnitStatus.AVAILABLE, UnitStatus.OUT_OF_SERVICE):
            continue
        if flt == "available" and st is not UnitStatus.AVAILABLE:
            continue
        if flt == "out of service" and st is not UnitStatus.OUT_OF_SERVICE:
            continue
        inc = incidents.get(t.incident_id) if t.incident_id else None
        task = f"{inc.id} {inc.kind}".replace("_", " ") if inc is not None else ""
        if st is UnitStatus.RETURNING:
            task = "to base"
        eta = ""
        if t.route_xy is not None and t.route_t[1] > now:
            eta = f"{t.route_t[1] - now:.0f} min"
        caps = ", ".join(sorted(t.capabilities))
        rows.append((t.uid, st.value.replace("_", " "), task, eta, caps))
    order = {"on scene": 0, "dispatched": 1, "returning": 2, "out of service": 3, "available": 4}
    rows.sort(key=lambda r: (order.get(r[1], 5), r[0]))
    return rows


def _box(canvas, rect) -> None:
    box = pygame.Surface(rect.size, pygame.SRCALPHA)
    box.fill((255, 255, 255, 232))
    canvas.blit(box, rect.topleft)
    pygame.draw.rect(canvas, (120, 120, 120), rect, 1)


HEAD = ("unit", "status", "task", "ETA", "capabilities")


def _roster_layout(text, rows, rect) -> tuple[list[int], int, int, pygame.Rect]:
    x, y, w, h = rect
    font = text.font(15)
    widths = [
        max([font.size(r[k])[0] for r in rows] + [font.size(HEAD[k])[0]]) + 12 for k in range(5)
    ]
    lh = font.get_linesize() + 1
    n = min(len(rows), max(0, (h - 2 * lh - 12) // lh))
    width = min(w, sum(widths) + 16)
    return widths, lh, n, pygame.Rect(x, y, width, (n + 2) * lh + 12)


def roster_box(text, rows, rect) -> pygame.Rect:
    """Where `draw_roster` will draw (map labels keep out of it)."""
    return _roster_layout(text, rows, rect)[3]


def draw_roster(canvas, text, rows: list[tuple[str, ...]], flt: str, rect) -> None:
    """The roster table in `rect` (x, y, w, h); columns sized to their widths."""
    x, y, w, h = rect
    head = HEAD
    widths, lh, n, box = _roster_layout(text, rows, rect)
    _box(canvas, box)
    canvas.blit(
        text.render(
            f"Units ({flt}; TAB: next filter) {len(rows)} shown"
            + ("" if n == len(rows) else f", first {n}"),
            16,
        ),
        (x + 8, y + 4),
    )
    yy = y + 4 + lh
    cx = x + 8
    for k, hd in enumerate(head):
        canvas.blit(text.render(hd, 15, (90, 90, 90)), (cx, yy))
        cx += widths[k]
    for r in rows[:n]:
        yy += lh
        cx = x + 8
        col = UNIT_RGB.get(UnitStatus(r[1].replace(" ", "_")), (0, 0, 0))
        for k, cell in enumerate(r):
            canvas.blit(text.render(cell, 15, col if k == 1 else (25, 25, 25)), (cx, yy))
            cx += widths[k]


def legend_items() -> list[tuple[str, str, tuple[int, int, int], str]]:
    """(section, shape, colour, label) of every map symbol."""
    out = []
    for st, col in UNIT_RGB.items():
        out.append(("units (colour = status)", "square", col, st.value.replace("_", " ")))
    out += [
        ("units (shape = vehicle)", "square", (60, 60, 60), "road vehicle"),
        ("units (shape = vehicle)", "diamond", (60, 60, 60), "boat"),
        ("units (shape = vehicle)", "triangle", (60, 60, 60), "aircraft"),
        ("units (shape = vehicle)", "cluster", (60, 60, 60), "units at one place (count)"),
        ("incidents", "cross", (220, 0, 0), "waiting for a unit"),
        ("incidents", "cross", (255, 140, 0), "unit assigned / on scene"),
    ]
    for st, col in STATE_RGB.items():
        label = {
            ResidentState.EXPOSED: "exposed (hazard here now)",
            ResidentState.RETURNED: "back home (after the all-clear)",
        }.get(st, st.name.lower())
        out.append(("residents (dots)", "dot", col, label))
    out.append(("residents (dots)", "dot", EXPOSED_EARLIER_RGB, "exposed earlier, hazard gone"))
    for kind, col in ORDER_RGB.items():
        out.append(("ordered zones (outline)", "ring", col, kind.replace("_", " ")))
    for kind, (shape, col) in FACILITY_STYLE.items():
        out.append(("facilities", shape, col, kind.replace("_", " ")))
    for cls in ("expressway", "trunk", "county"):
        out.append(("roads", "line", ROAD_STYLE[cls][0], cls))
    out.append(("other", "line", (40, 100, 200), "river"))
    out.append(("other", "line", (70, 70, 90), "district boundary"))
    return out


def _legend_layout(text, rect) -> tuple[list, int, int, int, pygame.Rect]:
    x, y, w, h = rect
    items = legend_items()
    lh = text.font(15).get_linesize() + 2
    sections = list(dict.fromkeys(sec for sec, *_ in items))
    per_col = (len(items) + len(sections) + 1) // 2
    colw = min(w // 2, 260)
    y = y + h - (per_col * lh + 34)  # sit on the bottom of `rect`
    return items, lh, per_col, colw, pygame.Rect(x, y, 2 * colw + 16, per_col * lh + 34)


def legend_box(text, rect) -> pygame.Rect:
    """Where `draw_legend` will draw (map labels keep out of it)."""
    return _legend_layout(text, rect)[4]


def draw_legend(canvas, text, rect) -> None:
    """Every map symbol with its meaning, in two columns at the bottom of `rect`."""
    x = rect[0]
    items, lh, per_col, colw, box = _legend_layout(text, rect)
    y = box.y
    _box(canvas, box)
    canvas.blit(text.render("Legend", 17), (x + 8, y + 4))
    k, col_x, yy = 0, x + 8, y + 26
    last = None
    for sec, shape, colr, label in items:
        if sec != last:
            if k >= per_col:
                k, col_x, yy = 0, x + 8 + colw, y + 26
            canvas.blit(text.render(sec, 15, (90, 90, 90)), (col_x, yy))
            yy += lh
            k += 1
            last = sec
        if k >= per_col:
            k, col_x, yy = 0, x + 8 + colw, y + 26
        cx, cy = col_x + 10, yy + lh // 2
        if shape == "dot":
            pygame.draw.rect(canvas, colr, (cx - 2, cy - 2, 5, 5))
        elif shape == "ring":
            pygame.draw.circle(canvas, colr, (cx, cy), 6, 2)
        elif shape == "line":
            pygame.draw.line(canvas, colr, (cx - 8, cy), (cx + 8, cy), 3)
        elif shape == "cluster":
            draw_marker(canvas, "square", (cx - 3, cy + 2), colr, 6)
            draw_count_badge(canvas, text.font(13), 3, (cx - 4, cy + 3))
        elif shape == "cross":
            pygame.draw.line(canvas, colr, (cx - 5, cy - 5), (cx + 5, cy + 5), 3)
            pygame.draw.line(canvas, colr, (cx - 5, cy + 5), (cx + 5, cy - 5), 3)
        else:
            draw_marker(canvas, shape, (cx, cy), colr, 6)
        canvas.blit(text.render(label, 15), (col_x + 24, yy))
        yy += lh
        k += 1
