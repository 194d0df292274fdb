"""Static overview map of a World (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import LightSource, ListedColormap  # noqa: E402

from sim.world.world import World  # noqa: E402

_ROAD_STYLE = {
    "expressway": ("#c0392b", 1.8),
    "trunk": ("#e67e22", 1.2),
    "county": ("#7f6a4f", 0.6),
    "local": ("#7f6a4f", 0.4),
    "island": ("#7f6a4f", 0.6),
}
_FAC_STYLE = {
    "fire_station": ("^", "#d62728"),
    "depot": ("s", "#8c564b"),
    "shelter": ("P", "#2ca02c"),
    "hospital": ("h", "#e377c2"),
    "sea_rescue": ("D", "#1f77b4"),
    "air_base": ("*", "#9467bd"),
    "lookout": ("v", "#17becf"),
    "port": ("o", "#000080"),
}
_ISLANDS = [("Shangchuan Dao", "上川岛", 21.70, 112.80), ("Xiachuan Dao", "下川岛", 21.64, 112.60)]


def draw_world(world: World, out_path, dpi: int = 150) -> Path:
    """Render hillshaded terrain, boundaries, towns, roads, rivers, ports and facilities.

    Chinese names are used only when a CJK font is installed; otherwise English/pinyin,
    so the map never shows missing-glyph boxes.
    """
    from sim.fonts import use_cjk_in_matplotlib

    cjk = use_cjk_in_matplotlib()

    def label(en: str, zh: str) -> str:
        return zh if (cjk and isinstance(zh, str) and zh) else en

    g = world.grid
    w, s, e, n = g.bounds
    fig, ax = plt.subplots(
        figsize=(11, 11 * (n - s) / (e - w) / np.cos(np.radians((n + s) / 2)) * 0.95)
    )
    ext = (w, e, s, n)
    z = world.elevation_m.astype(float)
    ls = LightSource(azdeg=315, altdeg=45)
    terrain = plt.get_cmap("terrain")
    land_cmap = ListedColormap(terrain(np.linspace(0.25, 1.0, 256)))
    rgb = ls.shade(
        z,
        cmap=land_cmap,
        vert_exag=0.05,
        blend_mode="soft",
        vmin=0,
        vmax=max(600.0, float(z.max())),
    )
    rgb[~world.is_land] = (0.74, 0.86, 0.95, 1.0)
    ax.imshow(rgb, extent=ext, origin="upper", interpolation="nearest", zorder=0)
    # district boundaries + names
    for rings in world.boundaries.values():
        for r in rings:
            ax.plot(r[:, 0], r[:, 1], color="#444444", lw=0.8, zorder=2)
    for d in world.districts.itertuples():
        rr, cc = np.nonzero(world.district == d.adcode)
        if rr.size:
            ax.text(g.lon[cc].mean(), g.lat[rr].mean(), label(d.name_en, d.name_zh), fontsize=11, weight="bold",
                    color="#222222", alpha=0.55, ha="center", va="center", zorder=6)  # fmt: skip
    # roads
    for cls, (col, lw) in _ROAD_STYLE.items():
        segs = [
            (
                (world.roads.nodes[a]["lon"], world.roads.nodes[b]["lon"]),
                (world.roads.nodes[a]["lat"], world.roads.nodes[b]["lat"]),
            )
            for a, b, dd in world.roads.edges(data=True)
            if dd.get("road_class") == cls
        ]
        for i, (xs, ys) in enumerate(segs):
            ax.plot(xs, ys, color=col, lw=lw, zorder=3, label=f"road: {cls}" if i == 0 else None)
    for i, (a, b) in enumerate(world.rivers.edges()):
        na, nb = world.rivers.nodes[a], world.rivers.nodes[b]
        ax.plot(
            (na["lon"], nb["lon"]),
            (na["lat"], nb["lat"]),
            color="#1f5fbf",
            lw=1.6,
            zorder=3,
            label="navigable river" if i == 0 else None,
        )
    # towns
    t = world.towns
    ax.scatter(
        t["lon"],
        t["lat"],
        s=np.clip(t["population"] / 4000, 4, 60),
        c="#333333",
        zorder=5,
        label="town seat",
    )
    for r in t[t["population"] >= 60_000].itertuples():
        ax.annotate(
            label(r.name, r.name_zh),
            (r.lon, r.lat),
            xytext=(3, 3),
            textcoords="offset points",
            fontsize=7,
            zorder=7,
        )
    # facilities by kind
    f = world.facilities
    for kind, (mk, col) in _FAC_STYLE.items():
        sub = f[f["kind"] == kind]
        if len(sub):
            ax.scatter(
                sub["lon"],
                sub["lat"],
                marker=mk,
                c=col,
                s=30,
                zorder=8,
                label=kind.replace("_", " "),
                edgecolors="white",
                linewidths=0.4,
            )
    p = world.ports
    for r in p.itertuples():
        ax.annotate(
            label(r.name, r.name_zh),
            (r.lon, r.lat),
            xytext=(4, -8),
            textcoords="offset points",
            fontsize=6.5,
            color="#000080",
            zorder=9,
        )
    if world.name == "jiangmen":
        for en, zh, la, lo in _ISLANDS:
            ax.text(
                lo,
                la,
                label(en, zh),
                fontsize=9,
                style="normal" if cjk else "italic",  # CJK fonts have no italic face
                color="#003366",
                ha="center",
                zorder=9,
            )
    ax.set_xlim(w, e)
    ax.set_ylim(s, n)
    ax.set_aspect(1 / np.cos(np.radians((n + s) / 2)))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(f"jmsim world: {world.name}  (elevation hillshade, WGS84; routing in {g.crs})")
    ax.legend(loc="lower left", fontsize=7, framealpha=0.85, ncol=2)
    out = Path(out_path)
    fig.savefig(out, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return out
