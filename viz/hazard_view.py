"""The hazard overlay on the map: layers from `viz.overlay`, refreshed per hazard tick.

A hazard field only changes when the hazard advances (its `tick_min`) or an
inject hits it, so the overlay is re-coloured then and not every frame; in
between, the scaled image is reused by `RasterLayer`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pygame

from viz.geometry import MapGeometry, View
from viz.overlay import (
    AEGL_RGBA,
    MASK_RGBA,
    RAMPS,
    OverlayLayer,
    UtmResampler,
    colorize,
    hazard_layers,
    rgba_surface,
    shown_cells,
)
from viz.raster import RasterLayer

#: Colour of the hazard ring / edge arrow, and of its label.
MARKER_RGB, MARKER_INK = (200, 0, 200), (150, 0, 150)


class HazardOverlay:
    """All overlay layers of the current hazard, with visibility modes."""

    def __init__(self, geom: MapGeometry) -> None:
        self.geom = geom
        self.layers: list[tuple[OverlayLayer, RasterLayer]] = []
        self._resamplers: dict[tuple, UtmResampler] = {}
        self._t = -np.inf
        self.mode = "default"  # "default", "all", "none" or a layer name
        self.refreshes = 0

    def visible(self, layer: OverlayLayer) -> bool:
        """Whether a layer is drawn in the current mode."""
        if self.mode == "default":
            return layer.visible
        if self.mode == "all":
            return True
        if self.mode == "none":
            return False
        return layer.name == self.mode

    def cycle(self) -> str:
        """Next visibility mode: default → all → each layer alone → none → default."""
        names = [lay.name for lay, _ in self.layers]
        order = ["default", "all", *names, "none"]
        i = order.index(self.mode) if self.mode in order else 0
        self.mode = order[(i + 1) % len(order)]
        return f"hazard layers: {self.mode}"

    def _raster(self, layer: OverlayLayer) -> tuple[pygame.Surface, tuple]:
        g = self.geom
        rgba = colorize(layer)
        if layer.extent == "world":
            return rgba_surface(rgba), (0.0, 0.0, float(g.width), float(g.height))
        key = (tuple(round(float(e), 1) for e in layer.extent), layer.array.shape)
        rs = self._resamplers.get(key)
        if rs is None:
            rs = self._resamplers[key] = UtmResampler(g, layer.extent, layer.array.shape)
        return rgba_surface(rs.resample(rgba)), rs.rect

    def refresh(self, hazard: Any, world: Any, now: float, force: bool = False) -> None:
        """Re-read the hazard's layers if its field may have changed since the last refresh."""
        tick = float(getattr(hazard, "tick_min", 0.0) or 0.0)
        if not force and now - self._t < tick:
            return
        self._t = now
        self.set_layers(hazard_layers(hazard, world, now))

    def set_layers(self, layers: list[OverlayLayer]) -> None:
        """Colour and rasterise `layers` (a trainee seat gets them over the wire, not a hazard)."""
        old = {lay.name: ras for lay, ras in self.layers}
        new = []
        for lay in layers:
            surf, rect = self._raster(lay)
            ras = old.get(lay.name)
            if ras is None:
                ras = RasterLayer(surf, rect, smooth=False)
            else:
                ras.replace(surf, rect)
            new.append((lay, ras))
        self.layers = new
        self.refreshes += 1

    def box_base(self) -> tuple[float, float, float, float] | None:
        """Base-map box (u0, v0, u1, v1) of where the hazard is now (first visible layer)."""
        if getattr(self, "_box_key", None) == (self.refreshes, self.mode):
            return self._box
        box = None
        for lay, _ in self.layers:
            if not self.visible(lay):
                continue
            mask = shown_cells(lay)
            if not mask.any():
                continue
            rr, cc = np.nonzero(mask)
            if lay.extent == "world":
                g = self.geom.grid
                u, v = self.geom.ll_to_base(
                    g.lat[[rr.min(), rr.max()]], g.lon[[cc.min(), cc.max()]]
                )
            else:
                x0, x1, y0, y1 = lay.extent
                ny, nx = mask.shape
                xs = x0 + np.array([cc.min(), cc.max() + 1]) * (x1 - x0) / nx
                ys = y1 - np.array([rr.min(), rr.max() + 1]) * (y1 - y0) / ny
                u, v = self.geom.xy_to_base(xs, ys)
            box = (float(min(u)), float(min(v)), float(max(u)), float(max(v)))
            break
        self._box_key, self._box = (self.refreshes, self.mode), box
        return box

    def zoom_to(self, view: View) -> bool:
        """Centre and zoom `view` on the hazard's footprint; False if there is none."""
        box = self.box_base()
        if box is None:
            return False
        u0, v0, u1, v1 = box
        _, _, w, h = view.rect
        zoom = min(w / max(u1 - u0, 4.0), h / max(v1 - v0, 4.0)) / 1.6
        view.center_on((u0 + u1) / 2, (v0 + v1) / 2, zoom)
        return True

    def draw_marker(
        self, canvas: pygame.Surface, view: View
    ) -> tuple[
        list[pygame.Rect], list[tuple[str, tuple[float, float], tuple[int, int, int], float]]
    ]:
        """A ring that keeps a hazard smaller than 24 px visible at any zoom.

        Wholly off the map area, an arrow at the edge points to it instead, so a
        trainee zoomed in elsewhere still knows where it is. Returns the symbol
        rects and the label request for `viz.labels.draw_labels`.
        """
        box = self.box_base()
        if box is None:
            return [], []
        u0, v0, u1, v1 = box
        sx, sy = view.to_screen(np.array([u0, u1]), np.array([v0, v1]))
        size = max(abs(sx[1] - sx[0]), abs(sy[1] - sy[0]))
        cx, cy = float(sx[0] + sx[1]) / 2, float(sy[0] + sy[1]) / 2
        x0, y0, w, h = view.rect
        label = "hazard (Z: zoom)"
        if not (sx.max() >= x0 and sx.min() < x0 + w and sy.max() >= y0 and sy.min() < y0 + h):
            mx, my = x0 + w / 2, y0 + h / 2
            dx, dy = cx - mx, cy - my
            k = min((w / 2 - 30) / max(abs(dx), 1e-9), (h / 2 - 30) / max(abs(dy), 1e-9))
            ex, ey = mx + dx * k, my + dy * k
            n = float(np.hypot(dx, dy)) or 1.0
            ux, uy = dx / n, dy / n
            pts = [
                (ex + ux * 14, ey + uy * 14),
                (ex - uy * 8, ey + ux * 8),
                (ex + uy * 8, ey - ux * 8),
            ]
            pygame.draw.polygon(canvas, MARKER_RGB, pts)
            rect = pygame.Rect(int(ex) - 10, int(ey) - 10, 21, 21)
            return [rect], [(label, (ex, ey), MARKER_INK, 12.0)]
        if size >= 24:
            return [], []
        pygame.draw.circle(canvas, MARKER_RGB, (int(cx), int(cy)), 16, 3)
        rect = pygame.Rect(int(cx) - 17, int(cy) - 17, 35, 35)
        return [rect], [(label, (cx, cy), MARKER_INK, 19.0)]

    def draw(self, canvas: pygame.Surface, view: View) -> None:
        """Blit the visible layers."""
        for lay, ras in self.layers:
            if self.visible(lay):
                ras.draw(canvas, view)

    def _legend_rows(self) -> list[tuple[list, str]]:
        rows = []
        for lay in (lay for lay, _ in self.layers if self.visible(lay)):
            if lay.cmap == "aegl_tier":
                sw = [AEGL_RGBA[t][:3] for t in (1, 2, 3)]
                label = f"{lay.name}: AEGL-1 / 2 / 3"
            elif lay.cmap in MASK_RGBA:
                sw = [MASK_RGBA[lay.cmap][:3]]
                label = lay.name
            else:
                ramp = RAMPS.get(lay.cmap, RAMPS["heat"])
                sw = [c for _, c in ramp]
                rng = "" if lay.vmin is None else f" {lay.vmin:g}-{lay.vmax:g}"
                label = f"{lay.name}{rng}"
            rows.append((sw, label))
        return rows

    def legend_box(self, view: View, text) -> pygame.Rect | None:
        """Where `draw_legend` draws (map labels keep out of it)."""
        rows = self._legend_rows()
        if not rows:
            return None
        x0, y0, _, h = view.rect
        w = max(15 * len(sw) + text.font(16).size(label)[0] for sw, label in rows) + 20
        return pygame.Rect(x0 + 8, y0 + h - 20 * len(rows) - 8, w, 20 * len(rows))

    def draw_legend(self, canvas: pygame.Surface, view: View, text) -> None:
        """Small legend of the visible layers at the map's bottom-left."""
        rows = self._legend_rows()
        if not rows:
            return
        x0, y0, _, h = view.rect
        y = y0 + h - 20 * len(rows) - 8
        for sw, label in rows:
            xx = x0 + 8
            for col in sw:
                pygame.draw.rect(canvas, col, (xx, y + 3, 14, 12))
                xx += 15
            img = text.render(label, 16)
            pygame.draw.rect(canvas, (255, 255, 255), (xx + 2, y, img.get_width() + 6, 18))
            canvas.blit(img, (xx + 5, y + 2))
            y += 20
