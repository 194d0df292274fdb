"""Report figures of a typhoon run: the peak-wind swath map with track, flooding and closed roads."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

if TYPE_CHECKING:
    from scenarios.typhoon.hazard import TyphoonHazard


def swath_map(hz: TyphoonHazard, out_path: Path, dpi: int = 130) -> Path:
    """Peak 1-min surface wind over the run, coast, storm track, flooded cells and blocked roads."""
    w = hz.world
    lat, lon = w.grid.lat, w.grid.lon
    fig, ax = plt.subplots(figsize=(8, 7.5))
    levels = [0, 17.2, 24.5, 32.7, 41.5, 51.0, 70.0]
    cs = ax.contourf(lon, lat, hz.peak, levels=levels, cmap="YlOrRd", extend="max")
    cb = fig.colorbar(cs, ax=ax, shrink=0.8)
    cb.set_label("peak 1-min wind (m/s); bands: GB/T 19201-2006 grades")
    ax.contour(lon, lat, hz.is_land.astype(float), levels=[0.5], colors="k", linewidths=0.6)
    fl = hz.flood.ever_flooded
    if fl.any():
        ax.contourf(lon, lat, fl.astype(float), levels=[0.5, 1.5], colors=["#1f77b4"], alpha=0.6)
    tr = hz.timeline.track
    ax.plot(tr.lon, tr.lat, "b.-", lw=1.2, ms=4, label=f"track: {tr.name}")
    if tr.landfall_time is not None:
        k = int(np.argmin(np.abs(tr.time.astype("datetime64[s]") - tr.landfall_time)))
        ax.plot(tr.lon[k], tr.lat[k], "b*", ms=14, label="reported landfall")
    if hz.router is not None and hz.roads is not None:
        mid = hz.router.edge_midpoints()
        ever = hz.roads.closed | hz.roads.done
        if ever.any():
            la, lo = w.grid.to_latlon(mid[ever, 0], mid[ever, 1])
            ax.plot(lo, la, "kx", ms=4, label=f"road blockages ({int(ever.sum())})")
    ax.set_xlim(lon.min(), lon.max())
    ax.set_ylim(lat.min(), lat.max())
    ax.set_aspect(1 / np.cos(np.radians(lat.mean())))
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    ax.set_title(f"Peak wind swath — {tr.name} (max on land {hz.peak[hz.is_land].max():.1f} m/s)")
    ax.legend(loc="lower right", fontsize=8)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return out_path


def rain_map(hz: TyphoonHazard, out_path: Path, dpi: int = 130) -> Path:
    """Storm rain total (mm) with the track, river flood extent, landslides and gauges."""
    ch = hz.chain
    w = hz.world
    lat, lon = w.grid.lat, w.grid.lon
    fig, ax = plt.subplots(figsize=(8, 7.5))
    levels = [0, 10, 25, 50, 100, 150, 250, 400, 600]
    cs = ax.contourf(lon, lat, ch.rain.total, levels=levels, cmap="Blues", extend="max")
    fig.colorbar(cs, ax=ax, shrink=0.8).set_label("storm rain total (mm)")
    ax.contour(lon, lat, hz.is_land.astype(float), levels=[0.5], colors="k", linewidths=0.6)
    wet = ch.floodplain.max_depth > 0
    if wet.any():
        ax.contourf(lon, lat, wet.astype(float), levels=[0.5, 1.5], colors=["#d62728"], alpha=0.5)
    if ch.slid.any():
        r, c = np.nonzero(ch.slid)
        ax.plot(lon[c], lat[r], "^", color="saddlebrown", ms=3, label=f"landslides ({r.size})")
    tr = hz.timeline.track
    ax.plot(tr.lon, tr.lat, "k.-", lw=1.0, ms=3, label=f"track: {tr.name}")
    for k, g in enumerate(hz.params.chain.hydrology.gauges):
        ax.plot(g.lon, g.lat, "ms", ms=6)
        ax.annotate(f"{g.id} peak {ch.gauge_peak[k]:.2f} m", (g.lon, g.lat), fontsize=7)
    ax.set_xlim(lon.min(), lon.max())
    ax.set_ylim(lat.min(), lat.max())
    ax.set_aspect(1 / np.cos(np.radians(lat.mean())))
    land = hz.is_land
    ax.set_title(
        f"Storm rain — {tr.name} (land max {ch.rain.total[land].max():.0f} mm, "
        f"mean {ch.rain.total[land].mean():.0f} mm); red: river flooding"
    )
    ax.legend(loc="lower right", fontsize=8)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out_path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return out_path
