"""Blit an image placed in base-map pixels onto the screen, cached per view.

Scaling a large surface every frame is what makes map viewers stutter. A
`RasterLayer` scales only the visible part of its image, once per view
(zoom/pan) and content version, and then re-blits the cached result: a frame
with nothing moved costs one blit.
"""

from __future__ import annotations

import math

import pygame

from viz.geometry import View


class RasterLayer:
    """An image covering the base-pixel rectangle `rect_base` = (u0, v0, u1, v1)."""

    def __init__(
        self,
        surface: pygame.Surface,
        rect_base: tuple[float, float, float, float],
        smooth: bool = False,
    ) -> None:
        self.surface = surface
        self.rect_base = rect_base
        self.smooth = smooth
        self.version = 0
        self._key: tuple | None = None
        self._cached: tuple[pygame.Surface, tuple[int, int]] | None = None
        self.renders = 0  # how many times the scaled image was rebuilt (tests, benchmark)

    def replace(self, surface: pygame.Surface, rect_base=None) -> None:
        """New content (e.g. the hazard field moved on)."""
        self.surface = surface
        if rect_base is not None:
            self.rect_base = rect_base
        self.version += 1

    def _scaled(self, view: View) -> tuple[pygame.Surface, tuple[int, int]] | None:
        u0, v0, u1, v1 = self.rect_base
        sw, sh = self.surface.get_size()
        if sw == 0 or sh == 0 or u1 <= u0 or v1 <= v0:
            return None
        kx, ky = sw / (u1 - u0), sh / (v1 - v0)
        _, _, w, h = view.rect
        bu0, bv0 = view.ox, view.oy
        bu1, bv1 = bu0 + w / view.zoom, bv0 + h / view.zoom
        iu0, iu1 = max(u0, bu0), min(u1, bu1)
        iv0, iv1 = max(v0, bv0), min(v1, bv1)
        if iu0 >= iu1 or iv0 >= iv1:
            return None
        s0 = max(0, math.floor((iu0 - u0) * kx))
        s1 = min(sw, math.ceil((iu1 - u0) * kx))
        t0 = max(0, math.floor((iv0 - v0) * ky))
        t1 = min(sh, math.ceil((iv1 - v0) * ky))
        if s1 <= s0 or t1 <= t0:
            return None
        X0, Y0 = view.to_screen(u0 + s0 / kx, v0 + t0 / ky)
        X1, Y1 = view.to_screen(u0 + s1 / kx, v0 + t1 / ky)
        x0, y0 = int(round(float(X0))), int(round(float(Y0)))
        size = (max(1, int(round(float(X1))) - x0), max(1, int(round(float(Y1))) - y0))
        sub = self.surface.subsurface((s0, t0, s1 - s0, t1 - t0))
        if self.smooth and sub.get_bitsize() >= 24:
            img = pygame.transform.smoothscale(sub, size)
        else:
            img = pygame.transform.scale(sub, size)
        self.renders += 1
        return img, (x0, y0)

    def draw(self, target: pygame.Surface, view: View) -> None:
        """Blit onto `target`, clipped to the map area; rescale only on view/content change."""
        key = (view.key, self.version)
        if key != self._key:
            self._cached = self._scaled(view)
            self._key = key
        if self._cached is None:
            return
        img, pos = self._cached
        old = target.get_clip()
        target.set_clip(pygame.Rect(view.rect))
        target.blit(img, pos)
        target.set_clip(old)
