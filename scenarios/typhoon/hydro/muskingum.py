"""Muskingum channel routing (McCarthy 1938) for one reach and for a river network.

Coefficients (Chow, Maidment & Mays 1988, *Applied Hydrology*, eq. 8.4.7)::

    D  = 2K(1 - X) + dt
    C1 = (dt - 2KX) / D,  C2 = (dt + 2KX) / D,  C3 = (2K(1 - X) - dt) / D
    Q[j+1] = C1 I[j+1] + C2 I[j] + C3 Q[j]

In a network the inflow of a reach is its lateral inflow plus the outflow of the reaches
upstream *in the same step*, so one step is a sparse lower-triangular solve
(I - diag(C1) A) Q_new = C1 L_new + C2 I_old + C3 Q_old, vectorised over all reaches.
C1 + C2 + C3 = 1, so volume is conserved. Validity: linear storage, no backwater or tide.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve_triangular


def muskingum_coefficients(k: np.ndarray | float, x: np.ndarray | float, dt: float):
    """(C1, C2, C3) of Chow et al. (1988) eq. 8.4.7; ``k`` and ``dt`` in the same unit."""
    k = np.asarray(k, float)
    x = np.asarray(x, float)
    d = 2.0 * k * (1.0 - x) + dt
    return (dt - 2.0 * k * x) / d, (dt + 2.0 * k * x) / d, (2.0 * k * (1.0 - x) - dt) / d


def route_reach(inflow: np.ndarray, k: float, x: float, dt: float, q0: float | None = None):
    """Outflow hydrograph of one reach (textbook recursion); Q0 = I0 unless given."""
    c1, c2, c3 = muskingum_coefficients(k, x, dt)
    i = np.asarray(inflow, float)
    q = np.empty_like(i)
    q[0] = i[0] if q0 is None else q0
    for j in range(len(i) - 1):
        q[j + 1] = c1 * i[j + 1] + c2 * i[j] + c3 * q[j]
    return q


class NetworkRouter:
    """Muskingum routing over a river tree; reach ``j`` drains into ``down[j]`` (-1: outlet).

    Reaches must be numbered so that every reach comes after all reaches draining into
    it (topological order); then the system matrix is lower triangular.
    """

    def __init__(self, down: np.ndarray, k_s: np.ndarray, x: float | np.ndarray, dt_s: float):
        down = np.asarray(down, int)
        n = down.size
        if np.any((down >= 0) & (down <= np.arange(n))):
            raise ValueError("reaches must be in topological order (down[j] > j)")
        self.n, self.down, self.dt_s = n, down, float(dt_s)
        self.c1, self.c2, self.c3 = muskingum_coefficients(k_s, x, dt_s)
        has = down >= 0
        self.a = sp.csr_matrix(
            (np.ones(has.sum()), (down[has], np.flatnonzero(has))), shape=(n, n)
        )  # a[i, j] = 1 if j drains into i
        self.m = (sp.identity(n, format="csr") - sp.diags(self.c1) @ self.a).tocsr()
        self.inflow = np.zeros(n)
        self.outflow = np.zeros(n)

    def warm_start(self, lateral: np.ndarray) -> None:
        """Steady state for a constant lateral inflow (every reach passes what it gets)."""
        q = np.zeros(self.n)
        for j in range(self.n):  # topological order: upstream flows are final
            q[j] += lateral[j]
            if self.down[j] >= 0:
                q[self.down[j]] += q[j]
        self.outflow = q
        self.inflow = q.copy()

    def step(self, lateral: np.ndarray) -> np.ndarray:
        """Advance one ``dt_s`` with lateral inflow (m3/s, end of step); returns outflows."""
        rhs = self.c1 * lateral + self.c2 * self.inflow + self.c3 * self.outflow
        q = spsolve_triangular(self.m, rhs, lower=True)
        self.inflow = lateral + self.a @ q
        self.outflow = q
        return q

    def step_loop(self, lateral: np.ndarray) -> np.ndarray:
        """Same as :meth:`step` as a plain Python loop (benchmark baseline, tests)."""
        q = np.zeros(self.n)
        inflow_new = np.array(lateral, float)
        for j in range(self.n):
            q[j] = (
                self.c1[j] * inflow_new[j]
                + self.c2[j] * self.inflow[j]
                + self.c3[j] * self.outflow[j]
            )
            if self.down[j] >= 0:
                inflow_new[self.down[j]] += q[j]
        self.inflow, self.outflow = inflow_new, q
        return q
