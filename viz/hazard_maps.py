"""Hazard-area maps at key moments, rendered from the drill state (not window grabs).

For the after-action report: at each key moment (the MSEL injects that expect
an action, and the end) the replayed drill's hazard layers are drawn with
matplotlib in UTM metres around the hazard, with units (by status),
incidents, ordered zones and the nearest towns, so a printed hand-out shows
where the hazard was and what was on the ground.
"""

from __future__ import annotations

import io
import math

import numpy as np

from sim.agents.units import UnitStatus
from viz.agents import ORDER_RGB, UNIT_RGB
from viz.overlay import colorize, hazard_layers, shown_cells

MARGIN_M = 4000.0
MIN_HALF_M = 6000.0


def _extent_of(layer, world) -> tuple[float, float, float, float]:
    """UTM extent of a layer; a world-grid layer's lat/lon corners are projected (approximate)."""
    if layer.extent != "world":
        return tuple(float(v) for v in layer.extent)  # type: ignore[return-value]
    from sim.geo import to_utm

    g = world.grid
    x0, y0 = to_utm(float(g.lat.min()), float(g.lon.min()))
    x1, y1 = to_utm(float(g.lat.max()), float(g.lon.max()))
    return float(x0), float(x1), float(y0), float(y1)


def _box(layers, world, model) -> tuple[float, float, float, float]:
    """x0, x1, y0, y1 around the visible hazard cells (else around the incidents / units)."""
    for lay in layers:
        if not lay.visible:
            continue
        m = shown_cells(lay)
        if not m.any():
            continue
        x0, x1, y0, y1 = _extent_of(lay, world)
        ny, nx = m.shape
        rr, cc = np.nonzero(m)
        bx = (x0 + cc.min() * (x1 - x0) / nx, x0 + (cc.max() + 1) * (x1 - x0) / nx)
        by = (y1 - (rr.max() + 1) * (y1 - y0) / ny, y1 - rr.min() * (y1 - y0) / ny)  # row 0 north
        return bx[0], bx[1], by[0], by[1]
    pts = [(i.x_m, i.y_m) for i in model.dispatch.incidents.values()] or [t.xy for t in model.teams]
    a = np.asarray(pts, dtype=float)
    return a[:, 0].min(), a[:, 0].max(), a[:, 1].min(), a[:, 1].max()


def hazard_map_png(session, title: str, zones: list | None = None) -> bytes:
    """PNG of the hazard area now: layers, units, open incidents, ordered zones, towns."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    m = session.model
    world = session.world
    layers = hazard_layers(m.hazard, world, session.now)
    x0, x1, y0, y1 = _box(layers, world, m)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max((x1 - x0) / 2 + MARGIN_M, (y1 - y0) / 2 + MARGIN_M, MIN_HALF_M)
    fig, ax = plt.subplots(figsize=(7.5, 6.2))
    ax.set_facecolor((0.93, 0.95, 0.92))
    for lay in layers:
        if not lay.visible:
            continue
        ex = _extent_of(lay, world)
        ax.imshow(colorize(lay), extent=ex, origin="upper", interpolation="nearest", zorder=1)
    t = world.towns
    near = (abs(t["x_m"] - cx) < half) & (abs(t["y_m"] - cy) < half)
    for r in t[near].itertuples():
        name = getattr(r, "name_zh", "") or r.name
        ax.plot(r.x_m, r.y_m, "o", color="0.25", ms=3, zorder=3)
        ax.annotate(
            str(name), (r.x_m, r.y_m), fontsize=8, xytext=(3, 3), textcoords="offset points"
        )
    for cid, kind, ring in zones or []:
        a = np.asarray(ring, dtype=float)
        if len(a) >= 3:
            col = np.array(ORDER_RGB.get(kind, (80, 80, 80))) / 255
            ax.fill(a[:, 0], a[:, 1], fill=False, ec=col, lw=1.6, zorder=4)
            ax.annotate(cid, (a[:, 0].mean(), a[:, 1].max()), color=col, fontsize=7)
    for i in m.dispatch.incidents.values():
        if not i.resolved:
            ax.plot(
                i.x_m,
                i.y_m,
                "x",
                color="red" if not i.assigned else "orange",
                ms=8,
                mew=2,
                zorder=5,
            )
    for st in UnitStatus:
        pts = [u.position_at(session.now) for u in m.teams if u.status is st]
        if pts:
            p = np.asarray(pts)
            ax.plot(
                p[:, 0],
                p[:, 1],
                "s",
                ms=5,
                color=np.array(UNIT_RGB[st]) / 255,
                mec="k",
                mew=0.4,
                label=f"units {st.value.replace('_', ' ')}",
                zorder=6,
            )
    ax.set_xlim(cx - half, cx + half)
    ax.set_ylim(cy - half, cy + half)
    ax.set_aspect("equal")
    ax.set_xlabel("UTM 49N easting (km)")
    ax.set_ylabel("northing (km)")
    ax.xaxis.set_major_formatter(lambda v, _: f"{v / 1000:.0f}")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v / 1000:.0f}")
    names = ", ".join(lay.name for lay in layers if lay.visible) or "no hazard layer"
    ax.set_title(f"{title}  ({names})", fontsize=10)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc="lower right")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def key_moments(msel, fired: dict[str, float], end: float, n: int = 4) -> list[tuple[float, str]]:
    """(time, label): a little after each fired inject that expects an action, and the end."""
    out = []
    for inj in msel:
        t = fired.get(inj.id, math.nan)
        if inj.expected_actions and math.isfinite(t):
            lim = max(ea.within_min for ea in inj.expected_actions)
            out.append((min(end, t + lim), f"{inj.id} deadline"))
    out = sorted(out)[: max(0, n - 1)]
    out.append((end, "end of drill"))
    return out
