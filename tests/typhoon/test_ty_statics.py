"""Per-world constants of the typhoon hazard are computed once and never leak between runs (#15)."""

import numpy as np
import pytest

from scenarios.typhoon.statics import coastal_flood, world_statics
from sim.batch.executor import frame_digest
from sim.run import load_world, run
from sim.scenario import load_scenario

SCENARIO = "scenarios/typhoon/mangkhut_2018.yaml"


@pytest.fixture(scope="module")
def scen_world():
    scen = load_scenario(SCENARIO)
    return scen, load_world(scen)


def _digest(scen, world, seed):
    return frame_digest(run(scen, seed, world=world).events())


def test_runs_share_the_world_constants_and_stay_independent(scen_world):
    scen, world = scen_world
    first = _digest(scen, world, 1)  # cold or warm cache, whatever ran before
    s = world_statics(world)
    assert world_statics(world) is s
    other = _digest(scen, world, 2)
    assert _digest(scen, world, 1) == first  # a run in between changes nothing
    assert other != first
    for a in (s.lat2d, s.lon2d, s.is_land, s.nearest_land, s.coast_km, s.slope_deg):
        assert not a.flags.writeable
    # the constants are what the hazard computed per run before
    from scipy.ndimage import distance_transform_edt

    land = np.asarray(world.is_land, bool)
    _, (ri, ci) = distance_transform_edt(~land, return_indices=True)
    assert np.array_equal(s.nearest_land, (ri * land.shape[1] + ci).ravel())
    assert s.land_counts_direct and np.array_equal(s.topology.live, np.flatnonzero(land))


def test_fresh_flood_has_no_water_and_keeps_its_geometry(scen_world):
    _, world = scen_world
    s = world_statics(world)
    from scenarios.typhoon.params import Surge

    p = Surge()
    a = coastal_flood(world, s, p)
    a.level[a.coastal] = 3.0
    a.ever_flooded[:] = True
    b = coastal_flood(world, s, p)
    assert not b.level.any() and not b.ever_flooded.any()
    assert b.coastal is a.coastal  # shared geometry
    with pytest.raises(ValueError, match="inland_km and seawall_m"):
        a.fresh(Surge(inland_km=p.inland_km + 1.0))


def test_the_cache_does_not_keep_a_world_alive():
    import gc
    import weakref

    from sim.world.pack_io import load_pack

    w = load_pack()  # a world of its own (load_jiangmen() is shared and cached)
    world_statics(w)
    ref = weakref.ref(w)
    del w
    gc.collect()
    assert ref() is None
