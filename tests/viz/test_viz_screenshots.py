"""Screenshots of each hazard's scenario, inspected: a real map, and the overlay where the hazard is."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"

from pathlib import Path

import numpy as np
import pygame

from viz.screenshot import screenshot

ROOT = Path(__file__).resolve().parents[2]


def _map_pixels(app) -> np.ndarray:
    x0, y0, w, h = app.view.rect
    return pygame.surfarray.array3d(app.canvas)[x0 : x0 + w, y0 : y0 + h]


def _overlay_diff(app) -> np.ndarray:
    """Bool (w, h) mask of map pixels that change when the hazard layers are hidden."""
    with_ov = _map_pixels(app).astype(int)
    mode = app.overlay.mode
    app.overlay.mode = "none"
    app.draw()
    without = _map_pixels(app).astype(int)
    app.overlay.mode = mode
    app.draw()
    diff = np.abs(with_ov - without).sum(axis=-1) > 30
    n = sum(app.overlay.visible(lay) for lay, _ in app.overlay.layers)
    diff[:360, diff.shape[1] - 20 * n - 12 :] = False  # the legend (bottom-left) is not the overlay
    return diff


def _assert_real_map(app, path: Path) -> None:
    assert path.exists() and path.stat().st_size > 20_000
    px = _map_pixels(app).reshape(-1, 3)
    px = px[(px != 200).any(axis=1)]  # drop the grey background around the world
    colours = np.unique(px[::7], axis=0)
    assert px.shape[0] > 100_000  # the world fills much of the map area
    assert px.std(axis=0).mean() > 10 and len(colours) > 50  # terrain, sea, roads: not blank


def _strongest_cell_on_screen(app) -> tuple[int, int]:
    """Screen pixel of the strongest cell of the first visible layer (where the hazard *is*)."""
    lay = next(lay for lay, _ in app.overlay.layers if app.overlay.visible(lay))
    a = np.asarray(lay.array, float)
    r, c = np.unravel_index(int(np.nanargmax(a)), a.shape)
    if lay.extent == "world":
        g = app.world.grid
        u, v = app.geom.ll_to_base(g.lat[r], g.lon[c])
    else:
        x0, x1, y0, y1 = lay.extent
        ny, nx = a.shape
        x = x0 + (c + 0.5) * (x1 - x0) / nx
        y = y1 - (r + 0.5) * (y1 - y0) / ny
        u, v = app.geom.xy_to_base(np.array([x]), np.array([y]))
    sx, sy = app.view.to_screen(u, v)
    vx, vy, _, _ = app.view.rect
    return int(np.ravel(sx)[0]) - vx, int(np.ravel(sy)[0]) - vy


def _assert_overlay_at_hazard(app) -> np.ndarray:
    diff = _overlay_diff(app)
    assert diff.sum() > 20
    x, y = _strongest_cell_on_screen(app)
    assert diff[max(0, x - 4) : x + 5, max(0, y - 4) : y + 5].any()
    return diff


def test_viz_screenshot_scripted(drill_path, synthetic_world, tmp_path):
    out = tmp_path / "scripted.png"
    app = screenshot(drill_path, 90, out, world=synthetic_world, size=(1000, 700))
    _assert_real_map(app, out)
    assert app.overlay.layers == []  # scripted hazard: no field, nothing drawn over the map


def test_viz_screenshot_chemical(tmp_path):
    out = tmp_path / "chemical.png"
    # release point 22.375N 113.085E, wind from 315 deg (scenario file)
    app = screenshot(
        ROOT / "scenarios/chemical/chlorine_zhuxi_night.yaml",
        60,
        out,
        center=(22.375, 113.085),
        zoom=4,
    )
    _assert_real_map(app, out)
    diff = _assert_overlay_at_hazard(app)
    sx, sy = app.view.to_screen(*app.geom.ll_to_base(22.375, 113.085))
    ys, xs = np.nonzero(diff.T)
    vx, vy, _, _ = app.view.rect
    # a north-west wind carries the plume south-east: right of and below the source on screen
    assert xs.mean() + vx > float(sx) and ys.mean() + vy > float(sy)


def test_viz_screenshot_typhoon(tmp_path):
    out = tmp_path / "typhoon.png"
    app = screenshot(
        ROOT / "scenarios/typhoon/mangkhut_2018.yaml", 32 * 60, out
    )  # landfall: T+32 h (scenario file)
    _assert_real_map(app, out)
    diff = _assert_overlay_at_hazard(app)
    assert diff.mean() > 0.2  # a typhoon's gale swath covers much of the city


def test_viz_screenshot_forestfire(tmp_path):
    out = tmp_path / "forestfire.png"
    # ignition ZW1 at 22.625N 112.66E, t=0 (scenario file); 86 cells burned by T+4 h
    app = screenshot(
        ROOT / "scenarios/forestfire/heshan_zhaiwu_jan.yaml",
        150,
        out,
        center=(22.625, 112.66),
        zoom=14,
    )
    _assert_real_map(app, out)
    _assert_overlay_at_hazard(app)
