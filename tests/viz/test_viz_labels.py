"""De-cluttered map: co-located units become one symbol, labels never overlap."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import numpy as np
import pygame
import pytest

from viz.labels import cluster_points, place_labels


def _disjoint(rects) -> bool:
    return all(not a.colliderect(b) for i, a in enumerate(rects) for b in rects[i + 1 :])


@pytest.mark.parametrize("seed", range(5))
def test_placed_labels_never_intersect_each_other_symbols_or_leave_the_map(seed):
    rng = np.random.default_rng(seed)
    n = 200  # far more labels than fit: many must be left out, none may overlap
    anchors = [tuple(p) for p in rng.uniform(0, 600, size=(n, 2))]
    sizes = [
        (int(w), int(h))
        for w, h in zip(rng.integers(20, 120, n), rng.integers(10, 24, n), strict=True)
    ]
    symbols = [pygame.Rect(int(x) - 6, int(y) - 6, 13, 13) for x, y in anchors[:40]]
    bounds = pygame.Rect(0, 0, 600, 600)
    rects = place_labels(anchors, sizes, obstacles=symbols, bounds=bounds)
    placed = [r for r in rects if r is not None]
    assert 10 < len(placed) < n
    assert _disjoint(placed)
    assert all(bounds.contains(r) and r.collidelist(symbols) < 0 for r in placed)
    for r, s in zip(rects, sizes, strict=True):
        assert r is None or r.size == s


def test_labels_prefer_the_right_and_fall_back_around_the_anchor():
    a, b = place_labels([(100, 100), (100, 100)], [(40, 12), (40, 12)], gap=8)
    assert a.left == 108 and a.centery in (99, 100, 101)
    assert b.right == 92  # the right is taken: the left side
    first, second = place_labels([(5, 50)] * 2, [(40, 12)] * 2, bounds=pygame.Rect(0, 0, 200, 200))
    assert first.left >= 0 and second is not None and not first.colliderect(second)


def test_shared_placed_list_keeps_later_calls_off_earlier_labels():
    placed: list[pygame.Rect] = []
    towns = place_labels([(50, 50)], [(60, 14)], placed=placed)
    units = place_labels([(52, 50)], [(60, 14)], placed=placed)
    assert towns[0] is not None and units[0] is not None
    assert _disjoint(placed) and len(placed) == 2


def test_43_units_at_one_station_are_one_cluster():
    rng = np.random.default_rng(1)
    sx = np.r_[np.full(43, 300.0) + rng.normal(0, 1, 43), 500.0, 520.0]
    sy = np.r_[np.full(43, 200.0) + rng.normal(0, 1, 43), 200.0, 200.0]
    cl = cluster_points(sx, sy, 9.0)
    assert sorted(len(c) for c in cl) == [1, 1, 43]
    assert sorted(i for c in cl for i in c) == list(range(45))
    assert cluster_points(sx, sy, 9.0) == cl  # deterministic


def test_drill_frame_draws_one_badged_symbol_and_disjoint_labels(
    drill_path, drill, synthetic_world
):
    from viz.agents import draw_units, glyphs_of
    from viz.app import DrillApp
    from viz.labels import draw_labels

    app = DrillApp(drill_path, world=synthetic_world, display=False, size=(1000, 650))
    teams = app.session.model.teams
    for t in teams:  # park every unit at one station
        t.xy = teams[0].xy
    app.frame(0.0)
    glyphs = glyphs_of(teams, app.session.now)
    labels, rects = draw_units(app.canvas, glyphs, app.geom, app.view, None)
    assert len(labels) == 1 and labels[0][0] == f"{len(teams)} units"
    placed = draw_labels(
        app.canvas, app.hud.text, app.view, app.geom, app.names, labels, rects, app.fit_zoom
    )
    assert placed and _disjoint(placed)
    assert all(r.collidelist(rects) < 0 for r in placed)
    pygame.display.quit()


def test_a_label_blocked_close_by_moves_further_out_rather_than_vanish():
    ring = pygame.Rect(100 - 17, 100 - 17, 35, 35)  # e.g. the hazard ring around the anchor
    (near,) = place_labels([(100, 100)], [(50, 12)], gap=9, obstacles=[ring])
    (far,) = place_labels([(100, 100)], [(50, 12)], gap=9, obstacles=[ring], retry_gap=16)
    assert near is None
    assert far is not None and not far.colliderect(ring) and far.left == 100 + 25
