"""Hazard overlays: the contract between a hazard and the map (see viz/OVERLAYS.md).

A hazard may define `overlay_layers() -> list[OverlayLayer | tuple]`; each
layer is a named 2-D array with an extent and a colour-map hint. Hazards that
do not (yet) define it are adapted from their `fields()` by name: arrays on
the world grid keep the world extent, arrays on a local regular UTM grid
(`grid_x_m`/`grid_y_m` in the same dict) get that extent. No layer at all
(scripted hazards) simply draws nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pygame

from viz.geometry import MapGeometry
from viz.layers_chain import CHAIN_FIELDS, CHAIN_MASKS, CHAIN_RAMPS

Extent = Literal["world"] | tuple[float, float, float, float]

#: RGBA colours of categorical hints.
AEGL_RGBA = {1: (255, 225, 0, 150), 2: (255, 140, 0, 170), 3: (215, 0, 0, 190)}
#: Continuous ramps: list of (position 0..1, RGB).
RAMPS: dict[str, list[tuple[float, tuple[int, int, int]]]] = {
    "wind": [
        (0.0, (255, 240, 120)),
        (0.4, (255, 150, 40)),
        (0.7, (220, 30, 30)),
        (1.0, (120, 0, 140)),
    ],
    "surge": [(0.0, (190, 220, 255)), (1.0, (10, 40, 160))],
    "concentration": [(0.0, (255, 255, 150)), (0.5, (255, 120, 0)), (1.0, (160, 0, 60))],
    "fire": [(0.0, (255, 220, 60)), (0.5, (255, 90, 0)), (1.0, (200, 0, 0))],
    "heat": [(0.0, (255, 240, 160)), (1.0, (200, 0, 0))],
}
MASK_RGBA = {
    "flood": (30, 90, 255, 150),
    "burned": (45, 30, 25, 190),
    "fire_front": (255, 60, 0, 230),
    "outage": (90, 90, 90, 110),
    "mask": (200, 0, 200, 120),
}


@dataclass
class OverlayLayer:
    """One hazard layer for the map.

    Attributes:
        name: Label in the legend.
        array: 2-D values, row 0 = north (world grid) or = the largest y (UTM extent).
        extent: "world" (the array is on the world grid) or (x_min, x_max, y_min,
            y_max), the outer edges of a regular UTM-49N grid in metres.
        cmap: Hint: "aegl_tier", "wind", "surge", "concentration", "fire", "heat"
            (continuous, with vmin/vmax), or a mask: "flood", "burned",
            "fire_front", "outage", "mask" (True/non-zero cells coloured).
        vmin, vmax: Range of continuous hints; values ≤ vmin are transparent.
        visible: Shown by default (the app can toggle layers).
        log: Log-scaled ramp (concentrations).
    """

    name: str
    array: np.ndarray
    extent: Extent = "world"
    cmap: str = "heat"
    vmin: float | None = None
    vmax: float | None = None
    visible: bool = True
    log: bool = False


# -- adapting a hazard ------------------------------------------------------------------
#: Name → (cmap hint, visible by default, vmin, vmax, log). Matched as exact names first.
KNOWN_FIELDS: dict[str, tuple[str, bool, float | None, float | None, bool]] = {
    "aegl_tier": ("aegl_tier", True, None, None, False),
    "concentration_mg_m3": ("concentration", False, 1e-2, 1e3, True),
    "max_concentration_mg_m3": ("concentration", False, 1e-2, 1e3, True),
    # gale force (Beaufort 8, 17.2 m/s) up to ~Super Typhoon (51 m/s, CMA GB/T 19201-2006)
    "wind_m_s": ("wind", True, 17.2, 51.0, False),
    "peak_wind_m_s": ("wind", False, 17.2, 51.0, False),
    "surge_m": ("surge", False, 0.3, 3.0, False),
    "flooded": ("flood", True, None, None, False),
    "power_ok": ("outage", False, None, None, False),
    "mobile_ok": ("outage", False, None, None, False),
    "burned": ("burned", True, None, None, False),
    "fire_front": ("fire_front", True, None, None, False),
}
# the typhoon's rain/flood/landslide chain (viz/layers_chain.py)
KNOWN_FIELDS.update(CHAIN_FIELDS)
RAMPS.update(CHAIN_RAMPS)
MASK_RGBA.update(CHAIN_MASKS)


def _guess(name: str, arr: np.ndarray) -> tuple[str, bool, float | None, float | None, bool]:
    if name in KNOWN_FIELDS:
        return KNOWN_FIELDS[name]
    n = name.lower()
    if "burn" in n:
        return ("burned", True, None, None, False)
    if "front" in n or "burning" in n or "flame" in n:
        return ("fire_front", True, None, None, False)
    if "flood" in n:
        return ("flood", True, None, None, False)
    if "fire" in n or "intensity" in n:
        return ("fire", True, None, None, False)
    if arr.dtype == bool:
        return ("mask", False, None, None, False)
    return ("heat", False, None, None, False)


def _as_layer(item: Any) -> OverlayLayer:
    if isinstance(item, OverlayLayer):
        return item
    if isinstance(item, tuple | list) and len(item) >= 4:
        return OverlayLayer(str(item[0]), np.asarray(item[1]), item[2], str(item[3]))
    raise ValueError(
        f"overlay_layers() item {item!r}: expected OverlayLayer or (name, array, extent, cmap)"
    )


#: Minutes of recent spread drawn as the active fire front (at least one hazard tick).
FIRE_FRONT_MIN = 30.0


def forestfire_layers(hazard: Any, now: float) -> list[OverlayLayer]:
    """Burned area and active front of each fire, from its arrival-time grid.

    The forest-fire plug-in's `fields()` gives arrival-time grids without their
    extent; each fire's `grid` (a north-up square UTM grid, `bounds` = west,
    south, east, north) supplies it. Used until the plug-in defines
    `overlay_layers()` itself.
    """
    out = []
    window = max(FIRE_FRONT_MIN, float(getattr(hazard, "tick_min", 0.0)))
    for fire in getattr(hazard, "fires", {}).values():
        w, s, e, n = fire.grid.bounds
        arr = np.asarray(fire.spread.arrival_time_min, dtype=float)
        burned = arr <= now - window
        front = (arr > now - window) & (arr <= now)
        out.append(OverlayLayer(f"burned {fire.fid}", burned, (w, e, s, n), "burned"))
        out.append(OverlayLayer(f"fire front {fire.fid}", front, (w, e, s, n), "fire_front"))
    return out


#: Adapters for hazards whose `fields()` lack what the map needs, by hazard name.
ADAPTERS = {"forestfire": forestfire_layers}


def hazard_layers(hazard: Any, world: Any, now: float = 0.0) -> list[OverlayLayer]:
    """The hazard's layers: its `overlay_layers()`, else an adapter, else from `fields()`."""
    hook = getattr(hazard, "overlay_layers", None)
    if callable(hook):
        return [_as_layer(x) for x in hook()]
    adapter = ADAPTERS.get(getattr(hazard, "name", ""))
    if adapter is not None:
        return adapter(hazard, now)
    fields = hazard.fields() if hasattr(hazard, "fields") else {}
    shape = tuple(world.grid.shape)
    gx, gy = fields.get("grid_x_m"), fields.get("grid_y_m")
    local = None
    if gx is not None and gy is not None and np.ndim(gx) == 1 and np.ndim(gy) == 1 and len(gx) > 1:
        gx, gy = np.asarray(gx, float), np.asarray(gy, float)
        hx, hy = abs(gx[1] - gx[0]) / 2, abs(gy[1] - gy[0]) / 2
        local = (
            (gy.size, gx.size),
            (gx.min() - hx, gx.max() + hx, gy.min() - hy, gy.max() + hy),
            gy[0] < gy[-1],
        )
    out = []
    for name, arr in fields.items():
        if name in ("grid_x_m", "grid_y_m"):
            continue
        a = np.asarray(arr)
        if a.ndim != 2:
            continue
        cmap, vis, vmin, vmax, log = _guess(name, a)
        if name in ("power_ok", "mobile_ok"):
            a = ~a.astype(bool)  # draw the outage, not the service
        if a.shape == shape:
            ext: Extent = "world"
        elif local is not None and a.shape == local[0]:
            ext = local[1]
            if local[2]:
                a = a[::-1]  # rows given south→north; the contract is north first
        else:
            continue
        out.append(OverlayLayer(name, a, ext, cmap, vmin, vmax, vis, log))
    return out


# -- colouring ---------------------------------------------------------------------------
def shown_cells(layer: OverlayLayer) -> np.ndarray:
    """Cells a continuous layer colours: finite and above its `vmin` (0 if unset).

    The rule `colorize` draws by; map framing (drill view, AAR maps) uses it to
    box what is visible.
    """
    a = np.asarray(layer.array, dtype=float)
    return np.isfinite(a) & (a > (layer.vmin if layer.vmin is not None else 0.0))


def colorize(layer: OverlayLayer, a: np.ndarray | None = None) -> np.ndarray:
    """(ny, nx, 4) uint8 RGBA of a layer; transparent where nothing is to be shown."""
    a = np.asarray(layer.array if a is None else a)
    out = np.zeros((*a.shape, 4), dtype=np.uint8)
    hint = layer.cmap
    if hint == "aegl_tier":
        for tier, rgba in AEGL_RGBA.items():
            out[a == tier] = rgba
        return out
    if hint in MASK_RGBA:
        out[np.nan_to_num(a.astype(float)) > 0] = MASK_RGBA[hint]
        return out
    ramp = RAMPS.get(hint, RAMPS["heat"])
    v = np.nan_to_num(a.astype(float), nan=-np.inf)
    finite = v[np.isfinite(v)]
    vmin = layer.vmin if layer.vmin is not None else 0.0
    vmax = layer.vmax if layer.vmax is not None else (float(finite.max()) if finite.size else 1.0)
    show = v > vmin
    if layer.log:
        lo, hi = np.log10(max(vmin, 1e-12)), np.log10(max(vmax, vmin * 10, 1e-11))
        f = (np.log10(np.maximum(v, 1e-12)) - lo) / (hi - lo)
    else:
        f = (v - vmin) / max(vmax - vmin, 1e-12)
    f = np.clip(np.where(show, f, 0.0), 0, 1)
    pos = np.array([p for p, _ in ramp])
    for k in range(3):
        out[..., k] = np.interp(f, pos, [c[k] for _, c in ramp]).astype(np.uint8)
    out[..., 3] = np.where(show, 110 + (80 * f).astype(int), 0).astype(np.uint8)
    return out


def rgba_surface(rgba: np.ndarray) -> pygame.Surface:
    """A per-pixel-alpha surface from an (h, w, 4) array."""
    h, w = rgba.shape[:2]
    surf = pygame.Surface((w, h), pygame.SRCALPHA, 32)
    pygame.surfarray.blit_array(surf, np.ascontiguousarray(rgba[..., :3].transpose(1, 0, 2)))
    alpha = pygame.surfarray.pixels_alpha(surf)
    alpha[...] = rgba[..., 3].T
    del alpha
    return surf


class UtmResampler:
    """Maps a local regular UTM grid onto base-map pixels (nearest cell), cached per extent.

    Base pixels are equirectangular, a UTM grid is not, so each raster pixel's
    centre is projected once to UTM and the field cell it falls in is
    remembered; every refresh is then one fancy-indexing call.
    """

    def __init__(
        self, geom: MapGeometry, extent: tuple[float, float, float, float], shape, max_px: int = 600
    ) -> None:
        x0, x1, y0, y1 = extent
        cx = np.array([x0, x1, x0, x1])
        cy = np.array([y0, y0, y1, y1])
        u, v = geom.xy_to_base(cx, cy)
        self.rect = (float(u.min()), float(v.min()), float(u.max()), float(v.max()))
        ny, nx = shape
        span = max(self.rect[2] - self.rect[0], self.rect[3] - self.rect[1], 1.0)
        k = min(max_px / span, max(nx, ny) / span * 2)  # ~2 raster px per field cell, capped
        w = max(2, int(np.ceil((self.rect[2] - self.rect[0]) * k)))
        h = max(2, int(np.ceil((self.rect[3] - self.rect[1]) * k)))
        uu = self.rect[0] + (np.arange(w) + 0.5) / w * (self.rect[2] - self.rect[0])
        vv = self.rect[1] + (np.arange(h) + 0.5) / h * (self.rect[3] - self.rect[1])
        U, V = np.meshgrid(uu, vv)
        X, Y = geom.base_to_xy(U, V)
        col = np.floor((X - x0) / (x1 - x0) * nx).astype(np.int64)
        row = np.floor((y1 - Y) / (y1 - y0) * ny).astype(np.int64)  # row 0 = north
        self.inside = (col >= 0) & (col < nx) & (row >= 0) & (row < ny)
        self.row, self.col = np.clip(row, 0, ny - 1), np.clip(col, 0, nx - 1)

    def resample(self, rgba: np.ndarray) -> np.ndarray:
        """(h, w, 4) raster of a colourised field."""
        out = rgba[self.row, self.col]
        out[~self.inside] = 0
        return out
