"""Map layers and HUD gauges of the typhoon's disaster chain (rain, floods, landslides, rivers).

The chain's grids come through the hazard's ``fields()`` (``rain_mm_h``, ``rain_total_mm``,
``flood_depth_m``, ``landslides``); this module gives them their colour hints, which
``viz.overlay`` merges into its tables, so the overlay contract (viz/OVERLAYS.md) is
unchanged. Rain is drawn from 2.5 mm/h, the lower bound of moderate rain in the CMA
hourly grades (GB/T 28592-2012: light < 2.5, moderate 2.6-8, heavy 8.1-15.9,
torrential >= 16 mm/h); flood depth from 5 cm to 3 m.

The gauge box lists every river gauge of the scenario with its modelled stage against its
warning (警戒) and guarantee (保证) levels, coloured by how far it has risen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pygame

#: Field name -> (cmap hint, visible by default, vmin, vmax, log) for viz.overlay.
CHAIN_FIELDS: dict[str, tuple[str, bool, float | None, float | None, bool]] = {
    "rain_mm_h": ("rain", True, 2.5, 50.0, False),
    "rain_total_mm": ("rain", False, 25.0, 400.0, False),
    "flood_depth_m": ("depth", True, 0.05, 3.0, False),
    "landslides": ("landslide", True, None, None, False),
}
CHAIN_RAMPS = {
    "rain": [(0.0, (170, 225, 255)), (0.5, (40, 120, 230)), (1.0, (90, 0, 160))],
    "depth": [(0.0, (150, 200, 255)), (0.5, (30, 80, 220)), (1.0, (0, 20, 110))],
}
CHAIN_MASKS = {"landslide": (140, 80, 20, 220)}

LEVEL_RGB = {0: (40, 150, 60), 1: (230, 130, 0), 2: (210, 0, 0)}


@dataclass(frozen=True)
class GaugeRow:
    """One gauge's stage and levels (m, gauge datum) and its level 0/1/2."""

    name: str
    stage_m: float
    normal_m: float
    warning_m: float
    guarantee_m: float

    @property
    def level(self) -> int:
        """0 below warning, 1 above warning, 2 above guarantee."""
        return 2 if self.stage_m > self.guarantee_m else 1 if self.stage_m > self.warning_m else 0


def gauge_rows(hazard: Any) -> list[GaugeRow]:
    """The scenario's river gauges now; empty for hazards without a chain or gauges."""
    chain = getattr(hazard, "chain", None)
    if chain is None:
        return []
    out = []
    for k, g in enumerate(chain.p.hydrology.gauges):
        s = chain.stage_m(k)  # channel rating, or crest + floodplain level when overbank
        out.append(GaugeRow(g.name, float(s), g.normal_m, g.warning_m, g.guarantee_m))
    return out


GAUGE_BOX_W, GAUGE_ROW_H = 300, 34


def gauge_box(hazard: Any, rect) -> pygame.Rect | None:
    """Where `draw_gauges` draws (map labels keep out of it); None without gauges."""
    rows = gauge_rows(hazard)
    if not rows:
        return None
    x0, y0, w, _ = rect
    return pygame.Rect(x0 + w - GAUGE_BOX_W - 8, y0 + 8, GAUGE_BOX_W, 22 + GAUGE_ROW_H * len(rows))


def draw_gauges(canvas: pygame.Surface, text, hazard: Any, rect) -> None:
    """Gauge box at the map's top-right: stage bar from normal to above guarantee."""
    rows = gauge_rows(hazard)
    if not rows:
        return
    x0, y0, w, _ = rect
    bw, lh = GAUGE_BOX_W, GAUGE_ROW_H
    x = x0 + w - bw - 8
    y = y0 + 8
    pygame.draw.rect(canvas, (255, 255, 255), (x, y, bw, 22 + lh * len(rows)))
    pygame.draw.rect(canvas, (120, 120, 120), (x, y, bw, 22 + lh * len(rows)), 1)
    canvas.blit(
        text.render("River gauges: stage / 警戒 warning / 保证 guarantee", 15), (x + 6, y + 4)
    )
    y += 22
    for r in rows:
        col = LEVEL_RGB[r.level]
        canvas.blit(
            text.render(
                f"{r.name}  {r.stage_m:.2f} m  ({r.warning_m:.2f} / {r.guarantee_m:.2f})", 15, col
            ),
            (x + 6, y),
        )
        # bar: normal level at the left edge, 1.25 x (guarantee - normal) above it at the right
        bx, by, bl = x + 6, y + 16, bw - 12
        top = r.normal_m + 1.25 * (r.guarantee_m - r.normal_m)

        def px(v: float, bx=bx, bl=bl, lo=r.normal_m, hi=top) -> int:
            return bx + int(bl * min(max((v - lo) / max(hi - lo, 1e-6), 0.0), 1.0))

        pygame.draw.rect(canvas, (225, 225, 225), (bx, by, bl, 9))
        pygame.draw.rect(canvas, col, (bx, by, px(r.stage_m) - bx, 9))
        for lvl, c in ((r.warning_m, LEVEL_RGB[1]), (r.guarantee_m, LEVEL_RGB[2])):
            pygame.draw.line(canvas, c, (px(lvl), by - 2), (px(lvl), by + 10), 2)
        y += lh
