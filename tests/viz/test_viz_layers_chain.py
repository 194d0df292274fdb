"""Chain layers (rain, flood depth, landslides) on the map and river gauges in the HUD."""

from __future__ import annotations

import os
from types import SimpleNamespace

import numpy as np

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402

from viz.hud import TextCache  # noqa: E402
from viz.layers_chain import LEVEL_RGB, draw_gauges, gauge_rows  # noqa: E402
from viz.overlay import colorize, hazard_layers  # noqa: E402


class _ChainHazard:
    name = "typhoon"

    def __init__(self, shape, stages):
        rain = np.zeros(shape)
        rain[0, 0] = 40.0  # torrential
        rain[0, 1] = 1.0  # light rain: below the drawn range
        depth = np.zeros(shape)
        depth[1, 1] = 2.0
        slid = np.zeros(shape, bool)
        slid[1, 0] = True
        self._f = {"rain_mm_h": rain, "flood_depth_m": depth, "landslides": slid}
        gauges = [
            SimpleNamespace(name=f"g{k}", normal_m=1.0, warning_m=3.0, guarantee_m=5.0)
            for k in range(len(stages))
        ]
        self.chain = SimpleNamespace(
            p=SimpleNamespace(hydrology=SimpleNamespace(gauges=gauges)),
            gauge_reach=list(range(len(stages))),
            stage_m=lambda k: stages[k],
        )

    def fields(self):
        return self._f


def test_chain_fields_get_rain_depth_and_landslide_layers(synthetic_world):
    hz = _ChainHazard(synthetic_world.grid.shape, [2.0])
    by = {lay.name: lay for lay in hazard_layers(hz, synthetic_world)}
    assert by["rain_mm_h"].cmap == "rain" and by["rain_mm_h"].visible
    assert by["flood_depth_m"].cmap == "depth" and by["flood_depth_m"].vmin == 0.05
    assert by["landslides"].cmap == "landslide" and by["landslides"].visible
    rain = colorize(by["rain_mm_h"])
    assert rain[0, 0, 3] > 0 and rain[0, 1, 3] == 0  # light rain is not painted
    assert colorize(by["landslides"])[1, 0, 3] > 0
    assert colorize(by["flood_depth_m"])[1, 1, 3] > 0


def test_gauges_are_coloured_by_warning_and_guarantee_level():
    hz = _ChainHazard((2, 2), [2.0, 3.5, 6.0])
    rows = gauge_rows(hz)
    assert [r.level for r in rows] == [0, 1, 2]
    assert gauge_rows(SimpleNamespace(chain=None)) == []
    pygame.font.init()
    canvas = pygame.Surface((800, 400))
    canvas.fill((0, 0, 0))
    draw_gauges(canvas, TextCache(), hz, (0, 0, 800, 400))
    # the third gauge's stage bar (above guarantee) is filled red near its left end
    x, y = 800 - 300 - 8 + 6 + 5, 8 + 22 + 2 * 34 + 16 + 4
    assert tuple(canvas.get_at((x, y)))[:3] == LEVEL_RGB[2]
    x0, y0 = 800 - 300 - 8 + 6 + 5, 8 + 22 + 16 + 4  # first gauge: below warning, green
    assert tuple(canvas.get_at((x0, y0)))[:3] == LEVEL_RGB[0]
