"""Road closures for one run: a router that routes around blocked road edges.

Any hazard can block roads (fallen trees, landslides, flooding, debris, a plume
cordon). The shared `World` is reused across runs, so closures must never touch
it: `ClosureRouter` wraps a world, keeps its own closed-edge state and rebuilds
only its own road `Network` when that state changes. Other modes (sea, river,
air, foot) are delegated to the world unchanged.

A closed edge is either impassable (``closed_speed_kmh=None``: journeys that
need it detour or become unreachable, times are ``inf``) or crawled at a low
speed (e.g. 5 km/h: crews clear debris as they go), which keeps every place
reachable but slow.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.world.routing import (
    CONNECTOR_KMH,
    Network,
    Route,
    check_speed,
    network_route,
    network_times,
)


class ClosureRouter:
    """Router over a world whose road edges can be closed and reopened during a run.

    Args:
        world: The `World` to wrap (never modified).
        closed_speed_kmh: Speed on a closed edge, or None for impassable.
    """

    def __init__(self, world: Any, closed_speed_kmh: float | None = None) -> None:
        if closed_speed_kmh is not None:
            check_speed(closed_speed_kmh)
        self.world = world
        self.closed_speed_kmh = closed_speed_kmh
        base = world._network("road")
        self._base = base
        self.closed = np.zeros(len(base.u), dtype=bool)
        self._built: Network = base
        self._stale = False  # closures changed since `_built`

    # -- edge geometry (for hazards that decide which edges close) -------------
    @property
    def n_edges(self) -> int:
        """Number of road edges."""
        return int(self.closed.size)

    def edge_midpoints(self) -> np.ndarray:
        """(n_edges, 2) UTM midpoints of the road edges."""
        b = self._base
        return 0.5 * (b.xy[b.u] + b.xy[b.v])

    def edge_length_m(self) -> np.ndarray:
        """Edge lengths in metres."""
        return self._base.length_m.copy()

    # -- state changes -----------------------------------------------------------
    def close(self, edges: np.ndarray) -> np.ndarray:
        """Close edges (indices or bool mask); returns the indices newly closed."""
        idx = self._as_index(edges)
        new = idx[~self.closed[idx]]
        if new.size:
            self.closed[new] = True
            self._stale = True
        return new

    def reopen(self, edges: np.ndarray) -> np.ndarray:
        """Reopen edges; returns the indices that were closed and are now open."""
        idx = self._as_index(edges)
        new = idx[self.closed[idx]]
        if new.size:
            self.closed[new] = False
            self._stale = True
        return new

    def _as_index(self, edges: np.ndarray) -> np.ndarray:
        e = np.asarray(edges)
        if e.dtype == bool:
            if e.shape != self.closed.shape:
                raise ValueError(f"edge mask has shape {e.shape}, expected {self.closed.shape}")
            return np.flatnonzero(e)
        idx = e.astype(np.int64).ravel()
        if idx.size and (idx.min() < 0 or idx.max() >= self.n_edges):
            raise ValueError(f"edge index out of range 0..{self.n_edges - 1}")
        return idx

    @property
    def _net(self) -> Network:
        """The road network under the current closures, rebuilt when first needed.

        A typhoon closes and reopens edges in most ticks of a storm but routes far
        less often; building the network only when a route asks for it gives the
        same network (it depends only on the closed set) for fewer rebuilds.
        """
        if self._stale:
            self._rebuild()
            self._stale = False
        return self._built

    def _rebuild(self) -> None:
        b = self._base
        if not self.closed.any():
            self._built = b
            return
        speed = np.full(b.length_m.size, np.inf) if b.speed_kmh is None else b.speed_kmh.copy()
        if self.closed_speed_kmh is None:
            keep = ~self.closed
            self._built = Network(b.xy, b.u[keep], b.v[keep], b.length_m[keep], speed[keep], like=b)
        else:
            speed[self.closed] = np.minimum(speed[self.closed], self.closed_speed_kmh)
            self._built = Network(b.xy, b.u, b.v, b.length_m, speed, like=b)

    # -- Router protocol -----------------------------------------------------------
    def route(self, mode: str, origin_xy, dest_xy, speed_kmh: float) -> Route:
        """Fastest route; road journeys avoid (or crawl over) closed edges."""
        if mode != "road" or self._net is self._base:
            return self.world.route(mode, origin_xy, dest_xy, speed_kmh)
        v = check_speed(speed_kmh)
        return network_route(self._net, mode, origin_xy, dest_xy, v, min(CONNECTOR_KMH, v))

    def travel_time_bound_min(self, mode: str, origins_xy, dest_xy, speed_kmh: float):
        """The world's lower bound of `travel_time_min` (None for roads: closures change them)."""
        if mode == "road":
            return None
        return self.world.travel_time_bound_min(mode, origins_xy, dest_xy, speed_kmh)

    def travel_time_min(self, mode: str, origins_xy, dest_xy, speed_kmh: float) -> np.ndarray:
        """Minutes from each origin to one destination (inf if cut off by closures)."""
        if mode != "road" or self._net is self._base:
            return self.world.travel_time_min(mode, origins_xy, dest_xy, speed_kmh)
        v = check_speed(speed_kmh)
        o = np.asarray(origins_xy, dtype=float).reshape(-1, 2)
        d = np.asarray(dest_xy, dtype=float).reshape(2)
        return network_times(self._net, o, d, v, min(CONNECTOR_KMH, v))
