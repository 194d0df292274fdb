import matplotlib.image as mpimg
import numpy as np

from sim.world import World
from sim.world.plot import draw_world


def test_draw_synthetic_png(tmp_path):
    out = draw_world(World.synthetic(), tmp_path / "map.png", dpi=60)
    img = mpimg.imread(out)
    assert img.shape[0] > 100 and np.std(img[..., :3]) > 0.05  # non-blank
