"""Small planar geometry helpers (no shapely dependency)."""

from __future__ import annotations

import numpy as np


def douglas_peucker(points: np.ndarray, tol: float) -> np.ndarray:
    """Simplify a polyline/ring keeping vertices farther than ``tol`` from the chord.

    Iterative (stack) Douglas-Peucker; endpoints are always kept, so closed rings
    stay closed.
    """
    pts = np.asarray(points, dtype=float)
    n = len(pts)
    if n < 3:
        return pts.copy()
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        seg = pts[j] - pts[i]
        rel = pts[i + 1 : j] - pts[i]
        norm = np.hypot(*seg)
        if norm == 0:
            d = np.hypot(rel[:, 0], rel[:, 1])
        else:
            d = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / norm
        k = int(np.argmax(d))
        if d[k] > tol:
            m = i + 1 + k
            keep[m] = True
            stack.append((i, m))
            stack.append((m, j))
    return pts[keep]


def simplify_ring(ring: np.ndarray, tol: float) -> np.ndarray:
    """Simplify a closed ring by splitting it at its farthest vertex (DP needs distinct ends)."""
    r = np.asarray(ring, dtype=float)
    if len(r) < 4:
        return r
    far = int(np.argmax(np.hypot(*(r - r[0]).T)))
    a = douglas_peucker(r[: far + 1], tol)
    b = douglas_peucker(r[far:], tol)
    return np.vstack([a, b[1:]])


def ring_area(ring: np.ndarray) -> float:
    """Unsigned shoelace area in the ring's own units."""
    x, y = np.asarray(ring, dtype=float).T
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2)


def densify(line: np.ndarray, max_step: float) -> np.ndarray:
    """Insert points so no segment of ``line`` is longer than ``max_step``."""
    line = np.asarray(line, dtype=float)
    out = [line[:1]]
    for a, b in zip(line[:-1], line[1:], strict=True):
        k = max(1, int(np.ceil(np.hypot(*(b - a)) / max_step)))
        t = np.linspace(0, 1, k + 1)[1:, None]
        out.append(a + t * (b - a))
    return np.vstack(out)
