"""The drill window's font: Chinese-capable when one is available.

pygame's built-in font has no Chinese glyphs, so scenario titles such as
“珠西新材料集聚区” would lose their characters. `ui_font` uses the CJK font
found by `sim.fonts` (system font or the optional `jmsim[cjk]` package) and
falls back to pygame's default. pygame scales its default font by 0.6875, so
the CJK font is scaled the same way to keep layouts identical.
"""

from __future__ import annotations

from functools import cache

import pygame

from sim.fonts import cjk_font_path

_DEFAULT_SCALE = 0.6875  # pygame.font.Font(None, size) renders at this fraction of `size`


@cache
def ui_font(size: int) -> pygame.font.Font:
    """A font of nominal `size` (same metrics contract as `pygame.font.Font(None, size)`)."""
    if not pygame.font.get_init():
        pygame.font.init()
    path = cjk_font_path()
    if path is None:
        return pygame.font.Font(None, size)
    return pygame.font.Font(path, max(6, round(size * _DEFAULT_SCALE)))
