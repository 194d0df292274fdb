"""Shared references for the fire kernel's tests."""

import numpy as np
import pytest

from scenarios.forestfire.spread import _EPS


def _numpy_edge_times(fs, coef, src, dst, k):
    """Edge travel times (min) in plain numpy: the reference the compiled ones must equal.

    Mean slowness of the two end cells, ``(1 - e cos(az - theta)) / (R (1 - e))`` (the
    ellipse rate from the rear focus, Anderson 1983) written as ``(1 - (ec cos az + es sin
    az)) base``, times the surface length, plus the kernel's epsilon. ``coef`` is
    ``(ec, es, base, z, flat)`` per node (`FireSpread._cell_terms`); ``src``/``dst`` index
    it; ``k`` is each edge's stencil offset.
    """
    ec, es, base, z, flat = coef
    ca, sa, horiz = fs._cos_az[k], fs._sin_az[k], fs._horiz[k]
    with np.errstate(invalid="ignore"):
        inv_s = (1.0 - (ec[src] * ca + es[src] * sa)) * base[src]
        inv_d = (1.0 - (ec[dst] * ca + es[dst] * sa)) * base[dst]
    if flat:
        dist = horiz
    else:
        dz = z[dst] - z[src]
        dist = np.sqrt(horiz * horiz + dz * dz)
    return 0.5 * dist * (inv_s + inv_d) + _EPS


@pytest.fixture
def numpy_edge_times():
    """`_numpy_edge_times`: ``(fire, coef, src, dst, k) -> tau``."""
    return _numpy_edge_times
