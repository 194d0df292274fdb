"""Chinese text: drawn with a CJK font when one exists, never as boxes otherwise."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402
import pytest  # noqa: E402

import sim.fonts as fonts  # noqa: E402
import viz.hud as hud  # noqa: E402


def test_without_cjk_font_chinese_is_dropped_not_boxed(monkeypatch):
    monkeypatch.setattr(hud, "cjk_font_path", lambda: None)
    assert (
        hud.renderable("Chlorine leak, 珠西新材料集聚区 (新会), class F")
        == "Chlorine leak, , class F"
    )


def test_with_cjk_font_chinese_glyphs_render():
    path = fonts.cjk_font_path()
    if path is None:
        pytest.skip("no CJK font on this machine (install jmsim[cjk])")
    assert hud.renderable("珠西新材料集聚区") == "珠西新材料集聚区"
    pygame.font.init()
    f = pygame.font.Font(path, 16)
    # a real glyph is wider than the missing-glyph box and differs between characters
    w1, w2 = f.size("珠")[0], f.size("珠西新")[0]
    assert w1 > 0 and w2 > 2 * w1 * 0.9
    assert f.render("珠", True, (0, 0, 0)).get_bounding_rect().width > 3


def test_matplotlib_uses_the_cjk_family_when_found():
    import matplotlib.pyplot as plt

    if fonts.cjk_font_path() is None:
        pytest.skip("no CJK font on this machine (install jmsim[cjk])")
    assert fonts.use_cjk_in_matplotlib()
    assert plt.rcParams["font.sans-serif"][0] == fonts.matplotlib_cjk_family()
