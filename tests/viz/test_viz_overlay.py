"""The overlay contract: hazard_layers() adapts fields(), honours overlay_layers(), tolerates none."""

from __future__ import annotations

import numpy as np

from sim.hazards.base import NullHazard
from viz.overlay import OverlayLayer, colorize, hazard_layers, shown_cells


class _Local:
    name = "x"

    def fields(self):
        gx = np.array([0.0, 100.0, 200.0])
        gy = np.array([1000.0, 1100.0])  # ascending: row 0 is the south row
        tier = np.array([[1, 0, 0], [0, 0, 3]], dtype=np.int8)
        return {"grid_x_m": gx, "grid_y_m": gy, "aegl_tier": tier}


class _Own:
    name = "y"

    def overlay_layers(self):
        return [("mine", np.ones((2, 2)), (0.0, 10.0, 0.0, 10.0), "flood")]

    def fields(self):
        raise AssertionError("fields() must not be used when overlay_layers() exists")


def test_viz_overlay_absent_is_empty(synthetic_world):
    assert hazard_layers(NullHazard(), synthetic_world) == []


def test_viz_overlay_local_grid_extent_and_north_up(synthetic_world):
    (lay,) = hazard_layers(_Local(), synthetic_world)
    # outer cell edges: centres 0..200 and 1000..1100 with 100 m cells
    assert lay.extent == (-50.0, 250.0, 950.0, 1150.0)
    assert lay.array[0, 2] == 3 and lay.array[1, 0] == 1  # flipped to north-first rows
    rgba = colorize(lay)
    assert rgba[0, 2, 3] > 0 and rgba[0, 0, 3] == 0


def test_viz_overlay_world_grid_fields(synthetic_world):
    shape = synthetic_world.grid.shape

    class H:
        name = "z"

        def fields(self):
            return {
                "wind_m_s": np.full(shape, 30.0),
                "flooded": np.zeros(shape, bool),
                "odd": np.ones(3),
            }

    lays = {lay.name: lay for lay in hazard_layers(H(), synthetic_world)}
    assert set(lays) == {"wind_m_s", "flooded"}
    assert lays["wind_m_s"].extent == "world" and lays["wind_m_s"].cmap == "wind"


def test_viz_overlay_hook_wins(synthetic_world):
    (lay,) = hazard_layers(_Own(), synthetic_world)
    assert isinstance(lay, OverlayLayer) and lay.name == "mine" and lay.cmap == "flood"


def test_shown_cells_are_exactly_the_cells_colorize_draws():
    a = np.array([[np.nan, 0.0, 0.5], [1.0, 2.0, -1.0]])
    for vmin in (None, 0.5):
        lay = OverlayLayer("ppm", a, "world", "heat", vmin, 3.0, True, False)
        shown = shown_cells(lay)
        assert np.array_equal(shown, colorize(lay)[..., 3] > 0)
        thr = 0.0 if vmin is None else vmin
        assert shown.tolist() == [[False, False, 0.5 > thr], [True, True, False]]
