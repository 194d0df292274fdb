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
)
from viz.raster import RasterLayer


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
        layers = hazard_layers(hazard, world, now)
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

    def draw(self, canvas: pygame.Surface, view: View) -> None:
        """Blit the visible layers."""
        for lay, ras in self.layers:
            if self.visible(lay):
                ras.draw(canvas, view)

    def draw_legend(self, canvas: pygame.Surface, view: View, text) -> None:
        """Small legend of the visible layers at the map's bottom-left."""
        shown = [lay for lay, _ in self.layers if self.visible(lay)]
        if not shown:
            return
        x0, y0, _, h = view.rect
        y = y0 + h - 20 * len(shown) - 8
        for lay in shown:
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
            xx = x0 + 8
            for col in sw:
                pygame.draw.rect(canvas, col, (xx, y + 3, 14, 12))
                xx += 15
            img = text.render(label, 16)
            pygame.draw.rect(canvas, (255, 255, 255), (xx + 2, y, img.get_width() + 6, 18))
            canvas.blit(img, (xx + 5, y + 2))
            y += 20
