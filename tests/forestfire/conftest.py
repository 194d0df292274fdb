"""Plain numpy references for the fire kernel's tests: what the compiled code must equal."""

from types import SimpleNamespace

import numpy as np
import pytest

from scenarios.forestfire.spread import _EPS


def _cell_terms(fs, beh, cells):
    """``(ec, es, base, z, flat)`` of grid cells ``cells``: ``e cos th``, ``e sin th``,
    ``1/(R (1 - e))``, elevation, and whether the whole grid is flat."""
    ros, ecc, th = beh.ros[cells], beh.ecc[cells], beh.theta[cells]
    with np.errstate(divide="ignore"):
        base = 1.0 / (ros * (1.0 - ecc))
    return ecc * np.cos(th), ecc * np.sin(th), base, fs.elevation[cells], fs._flat


def _edge_times(fs, coef, src, dst, k):
    """Edge travel times (min): mean slowness of the two end cells,
    ``(1 - (ec cos az + es sin az)) base`` (the ellipse rate from the rear focus, Anderson
    1983), times the surface length, plus the kernel's epsilon. ``coef`` from
    `_cell_terms`; ``src``/``dst`` index it; ``k`` is each edge's stencil offset."""
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


def _old_edge_times(fs, beh, src, dst, k):
    """Edge travel times (min) in the old weather, the form the restart fractions use:
    ``R (1 - e) / (1 - e cos(az - theta))`` at both ends (grid cells ``src``, ``dst``)."""
    beh.ensure(np.concatenate([src, dst]))
    az = fs._az[k]
    dz = fs.elevation[dst] - fs.elevation[src]
    dist = np.sqrt(fs._horiz[k] ** 2 + dz * dz)

    def rate(i):
        e = beh.ecc[i]
        return beh.ros[i] * (1.0 - e) / (1.0 - e * np.cos(az - beh.theta[i]))

    with np.errstate(divide="ignore", invalid="ignore"):
        slow = 0.5 * (1.0 / rate(src) + 1.0 / rate(dst))
    return dist * slow + _EPS


@pytest.fixture
def numpy_ref():
    """``cell_terms(fire, beh, cells)``, ``edge_times(fire, coef, src, dst, k)`` and
    ``old_edge_times(fire, beh, src, dst, k)`` in plain numpy."""
    return SimpleNamespace(
        cell_terms=_cell_terms, edge_times=_edge_times, old_edge_times=_old_edge_times
    )
