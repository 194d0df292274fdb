"""Drill window frame rate: 10 k resident groups on the forest-fire scenario, 1x and 600x.

Runs the real `DrillApp` headless (SDL dummy driver) on
scenarios/forestfire/heshan_zhaiwu_jan.yaml with the residents re-split into
~10 000 groups over all of Jiangmen, and times whole frames (engine advance,
hazard overlay refresh, drawing, HUD, flip) at 60 frames of wall pacing
(dt = 1/60 s). For contrast the same frames are timed with the static-layer
cache defeated (base map re-scaled every frame), measured side by side in
the same run. Prints a markdown table.

Usage: python benchmarks/bench_viz_fps.py [--frames 300] [--groups 10000]
"""

from __future__ import annotations

import argparse
import math
import os
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402

from sim.run import load_world  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.scenario.schema import ResidentsSpec  # noqa: E402
from viz.app import DrillApp  # noqa: E402
from viz.basemap import build_basemap  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios/forestfire/heshan_zhaiwu_jan.yaml"


def make_app(groups: int, world) -> DrillApp:
    """The fire drill with residents split into about `groups` groups over the whole city."""
    scen = load_scenario(SCENARIO)
    pop = int(world.towns["population"].sum())
    size = max(1, math.ceil(pop / groups))
    scen = scen.model_copy(
        update={"residents": ResidentsSpec(group_size=size, districts="all", radius_km=3.0)}
    )
    app = DrillApp(SCENARIO, scenario=scen, world=world, size=(1440, 900))
    app.session.advance_to(60.0)  # fire burning, units out
    return app


def fps(app: DrillApp, speed: int, frames: int, cache: str) -> tuple[float, float]:
    """(frames per second, scenario minutes covered) over `frames` frames at `speed`.

    cache: "cached" (normal), "rescale" (cached base map re-scaled every frame) or
    "redraw" (static layers drawn from the world data every frame).
    """
    app.speed, app.paused = speed, False
    t_sim = app.session.now
    app.frame(1 / 60)
    t0 = time.perf_counter()
    for _ in range(frames):
        if cache == "rescale":
            app.basemap._key = None  # defeat the view cache: re-scale the base map
        elif cache == "redraw":
            app.basemap.replace(build_basemap(app.world, app.geom))
        app.frame(1 / 60)
    wall = time.perf_counter() - t0
    return frames / wall, app.session.now - t_sim


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--groups", type=int, default=10_000)
    a = ap.parse_args()
    world = load_world(load_scenario(SCENARIO))
    app = make_app(a.groups, world)
    n = app.session.model.residents.n
    rows = []
    for view, zoom in (("whole city", None), ("zoom 4 on the fire", 4.0)):
        if zoom is None:
            app.view.fit(app.geom.width, app.geom.height)
        else:
            app.view.center_on(*app.geom.ll_to_base(22.625, 112.66), zoom)
        for speed in (1, 600):
            f_c, dt_c = fps(app, speed, a.frames, "cached")
            f_s, _ = fps(app, speed, a.frames, "rescale")
            f_r, _ = fps(app, speed, max(3, a.frames // 50), "redraw")
            rows.append((view, speed, f_c, f_s, f_r, dt_c))
    print(
        f"# drill window FPS: {n} resident groups, {len(app.session.model.teams)} units, "
        f"forest fire (heshan_zhaiwu_jan), 1440x900, {a.frames} frames each, base map "
        f"{app.geom.width}x{app.geom.height} px built once in {app.basemap_build_s:.2f} s"
    )
    print()
    print(
        "| view | speed | FPS cached | FPS base map re-scaled every frame | "
        "FPS static layers redrawn every frame | cached / redrawn | scenario min per 300 frames |"
    )
    print("|---|---|---|---|---|---|---|")
    for view, speed, f_c, f_s, f_r, dt in rows:
        print(
            f"| {view} | {speed}x | {f_c:.1f} | {f_s:.1f} | {f_r:.1f} | {f_c / f_r:.0f} | "
            f"{dt * 300 / a.frames:.1f} |"
        )
    pygame.quit()


if __name__ == "__main__":
    main()
