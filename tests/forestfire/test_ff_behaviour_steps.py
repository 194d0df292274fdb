"""The fire kernel's per-cell behaviour equals Behave's chain in `rothermel` bit for bit.

`FireSpread` evaluates the wind-dependent part of the Rothermel/Anderson chain with
compiled arithmetic between numpy's transcendental functions
(`scenarios/forestfire/behaviour_steps.py`). It must give exactly the numbers of the
numpy reference `rothermel._rothermel_kernel` on the same inputs, for every cell and
whichever cells are evaluated first: slopes, mixed and non-burnable fuels, per-cell
wind and moisture, with the wind limit on and off.
"""

import numpy as np
import pytest

from scenarios.forestfire.rothermel import (
    FT_MIN_PER_M_S,
    KW_M_PER_BTU_FT_S,
    M_PER_FT,
    Moisture,
    _rothermel_kernel,
)
from scenarios.forestfire.spread import FireSpread


def _inputs(seed: int, n: int = 30):
    rng = np.random.default_rng(seed)
    fuel = rng.choice([0, 1, 2, 4, 102, 122, 145, 165, 183, 98], size=(n, n))
    yy, xx = np.mgrid[0:n, 0:n]
    elev = 60.0 * np.sin(xx / 5.0 + seed) + 40.0 * np.cos(yy / 4.0) + rng.normal(0, 3, (n, n))
    m = Moisture(rng.uniform(3, 12, (n, n)), 7.0, 8.0, rng.uniform(30, 120, (n, n)), 90.0)
    speed = rng.uniform(0.0, 9.0, (n, n))
    speed[0, :5] = 0.0  # calm cells
    wind_from = rng.uniform(0, 360, (n, n))
    return fuel, elev, m, speed, wind_from


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("wind_limit", [False, True])
def test_behaviour_equals_the_numpy_reference_chain(seed, wind_limit):
    fuel, elev, m, speed, wind_from = _inputs(seed)
    fs = FireSpread(fuel, 30.0, elev, m, speed, wind_from, wind_limit=wind_limit)
    # lazily, in a random order of chunks, as the re-solves ask for cells
    rng = np.random.default_rng(seed)
    for chunk in np.array_split(rng.permutation(fs.n_cells), 7):
        fs._beh.ensure(chunk)
    beh = fs._beh
    aspect = fs.aspect_deg
    ref = _rothermel_kernel(
        fs.fuel,
        *(np.broadcast_to(np.asarray(v, dtype=float), fs.shape).ravel() / 100.0
          for v in (m.m1h, m.m10h, m.m100h, m.live_herb, m.live_woody)),
        fs._midflame_wind(speed) * FT_MIN_PER_M_S,
        wind_from.ravel() - aspect,
        fs.slope_tan,
        wind_limit=wind_limit,
    )  # fmt: skip
    assert ref["burnable"].sum() > 0.6 * fs.n_cells and not ref["burnable"].all()
    if wind_limit:
        assert ref["wind_limit_exceeded"].any()  # the limit is exercised
    np.testing.assert_array_equal(beh.ros, ref["ros"] * M_PER_FT)
    np.testing.assert_array_equal(beh.ecc, ref["eccentricity"])
    np.testing.assert_array_equal(beh.fli, ref["fireline_intensity"] * KW_M_PER_BTU_FT_S)
    theta = np.fmod(np.deg2rad(ref["direction_of_max_spread"] + aspect + 180.0), 2 * np.pi)
    burn = ref["burnable"]
    np.testing.assert_array_equal(beh.theta[burn], theta[burn])
    # and all at once, in one call, gives the same arrays
    whole = FireSpread(fuel, 30.0, elev, m, speed, wind_from, wind_limit=wind_limit)
    np.testing.assert_array_equal(whole.ros_m_min.ravel(), beh.ros)
    np.testing.assert_array_equal(whole.head_intensity_kw_m.ravel(), beh.fli)
