"""The static base map: hillshade, coast, districts, rivers, roads, towns, facilities.

Town dots, facility symbols and place names are not burnt into it (they would
blur and grow or shrink with the zoom): `PlaceSymbols` draws the symbols and
`viz.labels.draw_labels` sets the names (`place_names`) at screen size each
frame, names in Chinese when a CJK font is available.

Drawn once per drill into one surface in base-map pixels (see
`viz.geometry`); the app then only blits scaled views of it (`RasterLayer`).
Everything here is static for the whole drill, which is what makes ≥ 30 FPS
possible with a detailed map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pygame
from scipy.ndimage import zoom as nd_zoom

from viz.geometry import MapGeometry

SEA_RGB = np.array([168, 204, 232], dtype=float)
#: Elevation colour ramp (m → RGB), a muted hypsometric tint.
ELEV_STOPS = np.array([0, 50, 200, 500, 1000], dtype=float)
ELEV_RGB = np.array(
    [[196, 218, 168], [176, 206, 146], [164, 188, 128], [186, 168, 126], [222, 214, 204]],
    dtype=float,
)
ROAD_STYLE: dict[str, tuple[tuple[int, int, int], int]] = {
    "expressway": ((200, 50, 40), 3),
    "trunk": ((230, 130, 30), 2),
    "county": ((120, 100, 75), 1),
    "local": ((120, 100, 75), 1),
    "island": ((120, 100, 75), 1),
}
FACILITY_STYLE: dict[str, tuple[str, tuple[int, int, int]]] = {
    "fire_station": ("triangle", (214, 39, 40)),
    "depot": ("square", (140, 86, 75)),
    "shelter": ("plus", (30, 150, 30)),
    "hospital": ("plus", (227, 119, 194)),
    "sea_rescue": ("diamond", (31, 119, 180)),
    "air_base": ("star", (148, 103, 189)),
    "lookout": ("triangle", (23, 190, 207)),
    "port": ("circle", (0, 0, 128)),
}


def hillshade(
    z: np.ndarray, px_m: float, az_deg: float = 315.0, alt_deg: float = 45.0
) -> np.ndarray:
    """Lambertian hillshade in [0, 1] (light from the north-west, the cartographic default)."""
    gy, gx = np.gradient(z, px_m)
    slope = np.arctan(np.hypot(gx, gy) * 2.0)  # ×2 vertical exaggeration for a 1 km DEM
    aspect = np.arctan2(-gx, gy)
    az, alt = np.radians(az_deg), np.radians(alt_deg)
    s = np.sin(alt) * np.cos(slope) + np.cos(alt) * np.sin(slope) * np.cos(az - aspect)
    return np.clip(s, 0.0, 1.0)


def terrain_rgb(world, geom: MapGeometry) -> np.ndarray:
    """(H, W, 3) uint8 hillshaded terrain with sea, at base-map resolution."""
    ny, nx = world.grid.shape
    fy, fx = geom.height / ny, geom.width / nx
    z = nd_zoom(np.asarray(world.elevation_m, float), (fy, fx), order=1, mode="nearest")
    land = nd_zoom(np.asarray(world.is_land, float), (fy, fx), order=1, mode="nearest") > 0.5
    z, land = z[: geom.height, : geom.width], land[: geom.height, : geom.width]
    shade = hillshade(np.where(land, z, 0.0), geom.metres_per_base_px())
    rgb = np.stack([np.interp(z, ELEV_STOPS, ELEV_RGB[:, k]) for k in range(3)], axis=-1)
    rgb *= (0.55 + 0.6 * shade)[..., None]
    rgb[~land] = SEA_RGB
    return np.clip(rgb, 0, 255).astype(np.uint8)


def draw_marker(surf: pygame.Surface, shape: str, pos, color, r: int = 5) -> None:
    """A small map symbol (also used for units)."""
    x, y = int(pos[0]), int(pos[1])
    if shape == "triangle":
        pts = [(x, y - r), (x - r, y + r - 1), (x + r, y + r - 1)]
    elif shape == "square":
        pts = [
            (x - r + 1, y - r + 1),
            (x + r - 1, y - r + 1),
            (x + r - 1, y + r - 1),
            (x - r + 1, y + r - 1),
        ]
    elif shape == "diamond":
        pts = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    elif shape == "star":
        ang = np.linspace(-np.pi / 2, 1.5 * np.pi, 11)[:-1]
        rad = np.where(np.arange(10) % 2 == 0, r + 1, r / 2.2)
        pts = [(x + rr * np.cos(a), y + rr * np.sin(a)) for a, rr in zip(ang, rad, strict=True)]
    elif shape == "plus":
        pygame.draw.rect(surf, (255, 255, 255), (x - r, y - r, 2 * r + 1, 2 * r + 1))
        pygame.draw.rect(surf, color, (x - r, y - 1, 2 * r + 1, 3))
        pygame.draw.rect(surf, color, (x - 1, y - r, 3, 2 * r + 1))
        return
    else:
        pygame.draw.circle(surf, (255, 255, 255), (x, y), r + 1)
        pygame.draw.circle(surf, color, (x, y), r)
        return
    pygame.draw.polygon(surf, color, pts)
    pygame.draw.polygon(surf, (255, 255, 255), pts, 1)


@dataclass(frozen=True)
class PlaceName:
    """A district or town name to set on the map (UTM anchor, label priority by population)."""

    text: str
    x_m: float
    y_m: float
    kind: str  # "district" | "town"
    population: float


class PlaceSymbols:
    """Town dots and facility symbols, drawn at a fixed screen size over the base map."""

    def __init__(self, world, geom: MapGeometry) -> None:
        t, f = world.towns, world.facilities
        self.tu, self.tv = geom.xy_to_base(t["x_m"].to_numpy(float), t["y_m"].to_numpy(float))
        self.tr = np.clip(t["population"].to_numpy(float) / 40000, 3, 6).astype(int)
        self.fu, self.fv = geom.xy_to_base(f["x_m"].to_numpy(float), f["y_m"].to_numpy(float))
        self.fstyle = [FACILITY_STYLE.get(str(k), ("circle", (80, 80, 80))) for k in f["kind"]]

    def draw(self, canvas: pygame.Surface, view) -> list[pygame.Rect]:
        """Draw the symbols in view; their rects (label obstacles)."""
        x0, y0, w, h = view.rect
        area = pygame.Rect(view.rect)
        old = canvas.get_clip()
        canvas.set_clip(area)
        rects = []
        sx, sy = view.to_screen(self.tu, self.tv)
        for x, y, r in zip(sx.tolist(), sy.tolist(), self.tr.tolist(), strict=True):
            if area.collidepoint(x, y):
                pygame.draw.circle(canvas, (255, 255, 255), (int(x), int(y)), r + 1)
                pygame.draw.circle(canvas, (40, 40, 40), (int(x), int(y)), r)
                rects.append(pygame.Rect(int(x) - r - 1, int(y) - r - 1, 2 * r + 3, 2 * r + 3))
        sx, sy = view.to_screen(self.fu, self.fv)
        for x, y, (shape, col) in zip(sx.tolist(), sy.tolist(), self.fstyle, strict=True):
            if area.collidepoint(x, y):
                draw_marker(canvas, shape, (x, y), col, 5)
                rects.append(pygame.Rect(int(x) - 6, int(y) - 6, 13, 13))
        canvas.set_clip(old)
        return rects


def place_names(world) -> list[PlaceName]:
    """District names (at their cells' centroid), then towns by population, largest first.

    Names are Chinese (`name_zh`) when a CJK font can draw them, else pinyin.
    """
    from sim.fonts import cjk_font_path
    from sim.geo import to_utm

    zh = cjk_font_path() is not None
    out = []
    for d in world.districts.itertuples():
        rr, cc = np.nonzero(world.district == d.adcode)
        if rr.size:
            lat = world.grid.lat[int(rr.mean())]
            lon = world.grid.lon[int(cc.mean())]
            x, y = to_utm(float(lat), float(lon))
            name = str(getattr(d, "name_zh", "") or d.name_en) if zh else str(d.name_en)
            out.append(PlaceName(name, float(x), float(y), "district", math.inf))
    t = world.towns
    for k in np.argsort(-t["population"].to_numpy(float), kind="stable").tolist():
        r = t.iloc[k]
        name = str(r.get("name_zh", "") or r["name"]) if zh else str(r["name"])
        out.append(PlaceName(name, float(r["x_m"]), float(r["y_m"]), "town", float(r.population)))
    return out


def build_basemap(world, geom: MapGeometry) -> pygame.Surface:
    """Render every static layer of `world` into one surface (base-map pixels)."""
    if not pygame.font.get_init():
        pygame.font.init()
    rgb = terrain_rgb(world, geom)
    surf = pygame.surfarray.make_surface(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
    scale = max(1, int(round(geom.width / 1600 * 1.0))) if geom.width > 1600 else 1
    # district boundaries
    for rings in world.boundaries.values():
        for ring in rings:
            if len(ring) < 2:
                continue
            u, v = geom.ll_to_base(ring[:, 1], ring[:, 0])
            pygame.draw.lines(
                surf, (70, 70, 90), False, np.column_stack([u, v]).tolist(), 1 * scale
            )
    # rivers
    rv = world.rivers
    if rv.number_of_edges():
        for a, b in rv.edges():
            na, nb = rv.nodes[a], rv.nodes[b]
            (ua, ub), (va, vb) = geom.xy_to_base(
                np.array([na["x_m"], nb["x_m"]]), np.array([na["y_m"], nb["y_m"]])
            )
            pygame.draw.line(surf, (40, 100, 200), (ua, va), (ub, vb), 2 * scale)
    # roads, minor first so major roads draw on top
    rd = world.roads
    if rd.number_of_edges():
        nodes = list(rd.nodes)
        pos = {n: i for i, n in enumerate(nodes)}
        xs = np.array([rd.nodes[n]["x_m"] for n in nodes])
        ys = np.array([rd.nodes[n]["y_m"] for n in nodes])
        U, V = geom.xy_to_base(xs, ys)
        for cls in ("local", "island", "county", "trunk", "expressway"):
            col, w = ROAD_STYLE[cls]
            for a, b, d in rd.edges(data=True):
                if d.get("road_class", "local") == cls:
                    i, j = pos[a], pos[b]
                    pygame.draw.line(surf, col, (U[i], V[i]), (U[j], V[j]), w * scale)
    return surf
