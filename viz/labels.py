"""De-cluttering the map: co-located symbols merge into one, labels never overlap.

Forty fire engines parked at one station would be forty squares drawn on one
spot with forty labels on top of each other. Instead, symbols closer than a
few screen pixels become one cluster symbol with a count badge, and labels are
placed greedily in priority order (Imhof's rule: the most important name
first), each at the first of a few candidate positions around its anchor whose
box is free; a label with no free position is left out rather than drawn over
another. Both are pure functions of screen coordinates, so they are tested
without a window.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pygame

#: Candidate label offsets around an anchor (right, left, above, below, diagonals),
#: as multipliers of (half symbol + gap) in x and y: the cartographic preference order.
CANDIDATES = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))


def cluster_points(sx: np.ndarray, sy: np.ndarray, radius_px: float) -> list[list[int]]:
    """Indices grouped into clusters of points within `radius_px` of the cluster's first point.

    Greedy in input order (deterministic): each point joins the first cluster
    whose seed it is close to, else seeds a new cluster. Points are binned on a
    grid of `radius_px` cells so that this stays O(n) for hundreds of units.
    """
    sx, sy = np.asarray(sx, float), np.asarray(sy, float)
    r2 = radius_px * radius_px
    seeds: list[tuple[float, float]] = []
    out: list[list[int]] = []
    grid: dict[tuple[int, int], list[int]] = {}
    for i in range(len(sx)):
        x, y = float(sx[i]), float(sy[i])
        gx, gy = int(np.floor(x / radius_px)), int(np.floor(y / radius_px))
        best = None
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for c in grid.get((gx + dx, gy + dy), ()):
                    cx, cy = seeds[c]
                    if (cx - x) ** 2 + (cy - y) ** 2 <= r2 and (best is None or c < best):
                        best = c
        if best is None:
            best = len(seeds)
            seeds.append((x, y))
            out.append([])
            grid.setdefault((gx, gy), []).append(best)
        out[best].append(i)
    return out


def _first_free(ax, ay, w, h, g, centre_first, bounds, taken, obs) -> pygame.Rect | None:
    for mx, my in ((0, 0), *CANDIDATES) if centre_first else CANDIDATES:
        if mx == my == 0:
            x, y = ax - w / 2, ay - h / 2
        elif mx > 0:
            x = ax + g
        elif mx < 0:
            x = ax - g - w
        else:
            x = ax - w / 2
        if my > 0:
            y = ay + g
        elif my < 0:
            y = ay - g - h
        elif mx != 0:
            y = ay - h / 2
        r = pygame.Rect(int(round(x)), int(round(y)), int(w), int(h))
        if bounds is not None and not bounds.contains(r):
            continue
        if r.collidelist(taken) >= 0 or r.collidelist(obs) >= 0:
            continue
        return r
    return None


def place_labels(
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[int, int]],
    *,
    gap: Sequence[float] | float = 8.0,
    obstacles: Sequence[pygame.Rect] = (),
    bounds: pygame.Rect | None = None,
    placed: list[pygame.Rect] | None = None,
    centre_first: bool = False,
    retry_gap: float = 0.0,
) -> list[pygame.Rect | None]:
    """Rects for labels of `sizes` near `anchors`, in priority order; None = left out.

    A label is placed at the first candidate position (see `CANDIDATES`) whose
    rect lies inside `bounds` and intersects neither an obstacle (symbols) nor
    a label placed before. `placed` (optional) is extended in place, so several
    calls (e.g. towns, then units) share one set of collision boxes.
    `centre_first` tries the position centred on the anchor first (area names);
    `retry_gap` > 0 tries all positions again that much further out (a label
    beside a count badge or the hazard ring).
    """
    taken = placed if placed is not None else []
    gaps = [float(gap)] * len(anchors) if isinstance(gap, int | float) else list(gap)
    obs = list(obstacles)
    out: list[pygame.Rect | None] = []
    for (ax, ay), (w, h), g0 in zip(anchors, sizes, gaps, strict=True):
        got = None
        for g in (g0, g0 + retry_gap) if retry_gap else (g0,):
            got = _first_free(ax, ay, w, h, g, centre_first, bounds, taken, obs)
            if got is not None:
                break
        if got is not None:
            taken.append(got)
        out.append(got)
    return out


_HALOED: dict[tuple, pygame.Surface] = {}


def haloed(text, label: str, size: int, rgb) -> pygame.Surface:
    """`label` with a 1-px white halo so it reads on any background, rendered once and cached."""
    key = (label, size, rgb)
    img = _HALOED.get(key)
    if img is None:
        if len(_HALOED) > 2000:
            _HALOED.clear()
        fg, halo = text.render(label, size, rgb), text.render(label, size, (255, 255, 255))
        img = pygame.Surface((fg.get_width() + 2, fg.get_height() + 2), pygame.SRCALPHA)
        for dx, dy in ((0, 1), (2, 1), (1, 0), (1, 2)):
            img.blit(halo, (dx, dy))
        img.blit(fg, (1, 1))
        _HALOED[key] = img
    return img


def draw_count_badge(canvas: pygame.Surface, font, n: int, pos) -> pygame.Rect:
    """A small dark disc with the number of units in a cluster, at the symbol's top-right."""
    x, y = int(pos[0]) + 7, int(pos[1]) - 7
    img = font.render(str(n), True, (255, 255, 255))
    r = max(7, img.get_width() // 2 + 3)
    pygame.draw.circle(canvas, (30, 30, 30), (x, y), r)
    pygame.draw.circle(canvas, (255, 255, 255), (x, y), r, 1)
    canvas.blit(img, (x - img.get_width() // 2, y - img.get_height() // 2))
    return pygame.Rect(x - r, y - r, 2 * r, 2 * r)


#: Nominal font sizes (see `viz.text.ui_font`) of map labels: readable Chinese at 1440×900.
DISTRICT_SIZE, TOWN_SIZE, UNIT_SIZE = 36, 30, 18
DISTRICT_RGB, TOWN_RGB, UNIT_LABEL_RGB = (70, 70, 110), (25, 25, 25), (0, 0, 0)
#: Towns smaller than this are named only when zoomed in (×2 of the whole-map view).
TOWN_MIN_POP = 30_000


def draw_labels(
    canvas: pygame.Surface,
    text,
    view,
    geom,
    names,
    unit_labels: Sequence[tuple[str, tuple[float, float]]],
    obstacles: Sequence[pygame.Rect],
    fit_zoom: float,
    selected_first: bool = False,
    priority_labels: Sequence[tuple[str, tuple[float, float], tuple[int, int, int], float]] = (),
) -> list[pygame.Rect]:
    """Set map labels in priority order, never overlapping.

    Order: the selected unit, `priority_labels` (text, anchor, colour, gap: the
    hazard marker, order-zone ids), district and town names, unit labels.
    `names` are `viz.basemap.PlaceName`s; `unit_labels` come from
    `viz.agents.draw_units` (selected first); `obstacles` are symbol rects.
    Returns the rects placed (tests check they are disjoint).
    """
    bounds = pygame.Rect(view.rect)
    placed: list[pygame.Rect] = []
    obs = list(obstacles)
    zoomed = view.zoom >= 2 * fit_zoom

    def put(items, size, rgb, gap, centre=False, retry=0.0) -> None:
        if not items:
            return
        sizes = [text.size(t, size) for t, _ in items]
        rects = place_labels(
            [a for _, a in items],
            sizes,
            gap=gap,
            obstacles=obs,
            bounds=bounds,
            placed=placed,
            centre_first=centre,
            retry_gap=retry,
        )
        for (t, (ax, ay)), r in zip(items, rects, strict=True):
            if (
                r is not None
                and retry
                and not r.inflate(2 * gap + 4, 2 * gap + 4).collidepoint(ax, ay)
            ):  # pushed further out: a leader line says whose label it is
                nx, ny = min(max(ax, r.left), r.right), min(max(ay, r.top), r.bottom)
                pygame.draw.line(canvas, (90, 90, 90), (ax, ay), (nx, ny), 1)
            if r is not None:
                canvas.blit(haloed(text, t, size, rgb), (r.x - 1, r.y - 1))

    units = list(unit_labels)
    if selected_first and units:  # the unit the trainer is handling is always named
        put(units[:1], UNIT_SIZE, (150, 0, 150), 9.0)
        units = units[1:]
    for t, a, rgb, gap in priority_labels:
        put([(t, a)], UNIT_SIZE, rgb, gap, retry=12.0)
    if names:
        xy = np.array([(n.x_m, n.y_m) for n in names], dtype=float)
        sx, sy = view.to_screen(*geom.xy_to_base(xy[:, 0], xy[:, 1]))
        d = [
            (n.text, (float(sx[k]), float(sy[k])))
            for k, n in enumerate(names)
            if n.kind == "district"
        ]
        t = [
            (n.text, (float(sx[k]), float(sy[k])))
            for k, n in enumerate(names)
            if n.kind == "town" and (zoomed or n.population >= TOWN_MIN_POP or len(names) <= 16)
        ]
        put(d, DISTRICT_SIZE, DISTRICT_RGB, 4.0, centre=True)
        put(t, TOWN_SIZE, TOWN_RGB, 6.0, retry=10.0)
    put(units, UNIT_SIZE, UNIT_LABEL_RGB, 9.0, retry=16.0)
    return placed
