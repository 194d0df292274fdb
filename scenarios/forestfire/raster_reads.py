"""Compiled per-tick reads of the fire's arrival-time raster.

The engine reads the burning cells every tick. In numpy that is five passes over
the box of finite arrival times plus temporaries; one compiled pass does the same
comparisons (so the same mask) at a fraction of the cost.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy")
def burning_in_box(
    arrival: np.ndarray,
    front_until: np.ndarray,
    alive: np.ndarray,
    r0: int,
    c0: int,
    t: float,
    burnout: float,
    out: np.ndarray,
) -> None:
    """Mark in ``out`` the cells of the box at ``(r0, c0)`` burning at ``t``.

    A cell burns when it has burned (arrival <= t), is not put out (``alive``), and is
    still on the front (``front_until > t``: a free neighbour is unburned) or ignited
    less than ``burnout`` minutes ago. ``front_until`` covers the box; ``arrival``,
    ``alive`` and ``out`` are whole ``(H, W)`` grids.
    """
    hb, wb = front_until.shape
    for i in range(hb):
        r = r0 + i
        for j in range(wb):
            c = c0 + j
            a = arrival[r, c]
            if a <= t and alive[r, c] and (front_until[i, j] > t or t - a < burnout):
                out[r, c] = True


@njit(cache=True, nogil=True, error_model="numpy")
def latest_free_neighbour(
    arrival: np.ndarray, free: np.ndarray, r0: int, c0: int, out: np.ndarray
) -> None:
    """Per cell of the box at ``(r0, c0)`` (the shape of ``out``): latest arrival among its free 8-neighbours.

    The cell itself counts too, and only cells inside the box; -inf where none is
    free. A 3x3 maximum done as a vertical then a horizontal 3-maximum.
    ``arrival`` and ``free`` are whole ``(H, W)`` grids.
    """
    hb, wb = out.shape
    v = np.empty((hb, wb))
    for i in range(hb):
        for j in range(wb):
            v[i, j] = arrival[r0 + i, c0 + j] if free[r0 + i, c0 + j] else -np.inf
    m = np.empty((hb, wb))
    for i in range(hb):
        for j in range(wb):
            x = v[i, j]
            if i > 0 and v[i - 1, j] > x:
                x = v[i - 1, j]
            if i + 1 < hb and v[i + 1, j] > x:
                x = v[i + 1, j]
            m[i, j] = x
    for i in range(hb):
        for j in range(wb):
            x = m[i, j]
            if j > 0 and m[i, j - 1] > x:
                x = m[i, j - 1]
            if j + 1 < wb and m[i, j + 1] > x:
                x = m[i, j + 1]
            out[i, j] = x


@njit(cache=True, nogil=True, error_model="numpy")
def burning_candidates(
    arrival: np.ndarray,
    front_until: np.ndarray,
    alive: np.ndarray,
    r0: int,
    c0: int,
    t_from: float,
    burnout: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cells of the box at ``(r0, c0)`` that may burn at some ``t >= t_from``: ids, arrival, front time.

    Left out: cells put out or never reached, and cells burned by ``t_from`` that were
    off the front (``front_until <= t_from``) and past ``burnout`` then; neither ever
    holds again at a later ``t`` (``t - a`` only grows).
    """
    hb, wb = front_until.shape
    w = arrival.shape[1]
    ids = np.empty(hb * wb, dtype=np.int64)
    a_out = np.empty(hb * wb)
    f_out = np.empty(hb * wb)
    n = 0
    for i in range(hb):
        r = r0 + i
        for j in range(wb):
            c = c0 + j
            a = arrival[r, c]
            if not alive[r, c] or a == np.inf:
                continue
            fu = front_until[i, j]
            if a > t_from or fu > t_from or t_from - a < burnout:
                ids[n] = r * w + c
                a_out[n] = a
                f_out[n] = fu
                n += 1
    return ids[:n], a_out[:n], f_out[:n]


@njit(cache=True, nogil=True, error_model="numpy")
def burning_of(
    ids: np.ndarray, a: np.ndarray, fu: np.ndarray, t: float, burnout: float, out: np.ndarray
) -> None:
    """Mark in the flat ``out`` the cells of `burning_candidates` burning at ``t``."""
    for k in range(ids.size):
        ak = a[k]
        if ak <= t and (fu[k] > t or t - ak < burnout):
            out[ids[k]] = True
