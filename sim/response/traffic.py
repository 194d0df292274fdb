"""Evacuation traffic on the road graph: link capacity, queues and closures.

Each road link is a bottleneck that lets through at most its capacity in
vehicles per hour (a point queue, as in Vickrey's 1969 bottleneck model). An
evacuating household group is a platoon of ``people / persons_per_vehicle``
cars; crossing a link takes the free-flow time, and the platoon then needs
``vehicles / capacity`` to discharge. A later platoon on the same link waits
until the earlier one has gone, so congestion shows up as queueing delay, and
platoons leaving in the same order are served first come, first served.

Closures and hazard avoidance are node masks set by any hazard:
``close(mask)`` shuts links touching closed nodes to traffic that starts
outside them (people inside still drive out), and ``avoid(mask)`` multiplies
the time cost of links touching those nodes so routes bend away from danger.

Capacities per direction (approximate, see ``ROAD_CAPACITY_VEH_H``):
Highway Capacity Manual 2000 values as quoted in teaching notes — 2,000
pc/h/lane for multilane highways, 1,700 pc/h per direction for two-lane
highways, 1,000-1,500 pc/h/lane practical capacity on rural/urban streets
(LA Complete Street Design Manual E-341, citing the HCM; Penn State CE 321
class 35 notes). Lane counts per road class are assumptions.

Validity limits: platoons move as blocks, no spill-back between links, no
signal timing, the road graph is the world pack's coarse corridor network;
resident positions between home and shelter are still drawn on a straight
line (only the timing follows the road path).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

if TYPE_CHECKING:
    import networkx as nx

    from sim.model import DrillModel

#: Vehicles per hour per direction by road class (see module docstring; approximate).
ROAD_CAPACITY_VEH_H: dict[str, float] = {
    "expressway": 4000.0,  # 2 lanes x 2,000 pc/h/lane (HCM multilane)
    "trunk": 3000.0,  # 2 lanes x 1,500 pc/h/lane (urban practical)
    "county": 1700.0,  # two-lane highway, one direction (HCM 2000)
    "local": 1000.0,  # rural practical, one lane
    "island": 1000.0,
}
DEFAULT_CAPACITY_VEH_H = 1000.0
#: Off-road connector speed to the nearest road node, km/h (as `sim.world.routing`).
CONNECTOR_KMH = 20.0


class RoadTraffic:
    """Capacity-limited evacuation routing over an undirected road graph.

    Args:
        roads: networkx graph with node ``x_m``/``y_m`` and edge ``length_m``,
            ``speed_kmh`` and optionally ``road_class``.
        persons_per_vehicle: Average evacuees per car (an assumption to set per drill).
        capacity_veh_h: Override of ``ROAD_CAPACITY_VEH_H`` by road class.
        avoid_penalty: Time multiplier for links in the avoided area.
    """

    def __init__(
        self,
        roads: nx.Graph,
        persons_per_vehicle: float = 2.5,
        capacity_veh_h: dict[str, float] | None = None,
        avoid_penalty: float = 5.0,
    ) -> None:
        if not persons_per_vehicle > 0:
            raise ValueError(f"persons_per_vehicle={persons_per_vehicle!r}: expected > 0")
        if not avoid_penalty >= 1:
            raise ValueError(f"avoid_penalty={avoid_penalty!r}: expected >= 1")
        nodes = list(roads.nodes)
        if not nodes:
            raise ValueError("road graph has no nodes; traffic needs a road network")
        pos = {n: i for i, n in enumerate(nodes)}
        self.xy = np.array([[roads.nodes[n]["x_m"], roads.nodes[n]["y_m"]] for n in nodes], float)
        edges = [(pos[a], pos[b], d) for a, b, d in roads.edges(data=True) if a != b]
        self.u = np.array([e[0] for e in edges], dtype=np.int64)
        self.v = np.array([e[1] for e in edges], dtype=np.int64)
        self.length_m = np.maximum(np.array([e[2]["length_m"] for e in edges], float), 0.01)
        self.speed_kmh = np.array([e[2].get("speed_kmh", 30.0) for e in edges], float)
        caps = {**ROAD_CAPACITY_VEH_H, **(capacity_veh_h or {})}
        self.capacity_veh_min = (
            np.array([caps.get(e[2].get("road_class", ""), DEFAULT_CAPACITY_VEH_H) for e in edges])
            / 60.0
        )
        self.persons_per_vehicle = float(persons_per_vehicle)
        self.avoid_penalty = float(avoid_penalty)
        self.tree = cKDTree(self.xy)
        n_e = len(edges)
        self._edge_of = {}
        for k in range(n_e):
            self._edge_of[(int(self.u[k]), int(self.v[k]))] = (k, 0)
            self._edge_of[(int(self.v[k]), int(self.u[k]))] = (k, 1)
        self.free_at = np.full((n_e, 2), -np.inf)  # per link and direction, minutes
        self.closed_nodes = np.zeros(len(nodes), dtype=bool)
        self.avoid_nodes = np.zeros(len(nodes), dtype=bool)

    # -- hazard controls ----------------------------------------------------------
    def nodes_where(self, predicate) -> np.ndarray:
        """Boolean node mask from a vectorised predicate ``f(x, y) -> bool array``."""
        return np.asarray(predicate(self.xy[:, 0], self.xy[:, 1]), dtype=bool)

    def close(self, mask: np.ndarray) -> np.ndarray:
        """Close nodes ``mask`` to entering traffic; return boundary roadblock points (k, 2).

        A roadblock sits on the outside node of every link that crosses into
        the closed area.
        """
        self.closed_nodes = np.asarray(mask, dtype=bool).copy()
        cu, cv = self.closed_nodes[self.u], self.closed_nodes[self.v]
        cross = cu ^ cv
        outside = np.where(cu[cross], self.v[cross], self.u[cross])
        return self.xy[np.unique(outside)]

    def avoid(self, mask: np.ndarray) -> None:
        """Penalise links touching nodes ``mask`` (e.g. under the cloud)."""
        self.avoid_nodes = np.asarray(mask, dtype=bool).copy()

    def reopen(self) -> None:
        """Lift all closures."""
        self.closed_nodes[:] = False

    # -- routing ------------------------------------------------------------------
    def _weights(self, speed_kmh: float, allow_closed: bool) -> csr_matrix:
        eff = np.minimum(self.speed_kmh, speed_kmh)
        w = self.length_m / (eff * 1000.0) * 60.0
        touch_avoid = self.avoid_nodes[self.u] | self.avoid_nodes[self.v]
        w = np.where(touch_avoid, w * self.avoid_penalty, w)
        keep = np.ones(w.size, dtype=bool)
        if not allow_closed:
            keep = ~(self.closed_nodes[self.u] | self.closed_nodes[self.v])
        n = len(self.xy)
        u, v, w = self.u[keep], self.v[keep], w[keep]
        return csr_matrix((np.r_[w, w], (np.r_[u, v], np.r_[v, u])), shape=(n, n))

    def route_nodes(
        self, origins_xy: np.ndarray, dest_xy: tuple[float, float], speed_kmh: float
    ) -> list[np.ndarray | None]:
        """Node paths (origin node first) to the node nearest ``dest_xy``; None if cut off."""
        o = np.asarray(origins_xy, dtype=float).reshape(-1, 2)
        _, on = self.tree.query(o)
        _, dn = self.tree.query(np.asarray(dest_xy, dtype=float).reshape(1, 2))
        dn = int(dn[0])
        inside = self.closed_nodes[on]
        out: list[np.ndarray | None] = [None] * len(o)
        for allow in (False, True):
            sel = np.flatnonzero(inside == allow)
            if sel.size == 0:
                continue
            _, pred = dijkstra(
                self._weights(speed_kmh, allow),
                directed=False,
                indices=dn,
                return_predecessors=True,
            )
            for k in sel.tolist():
                cur = int(on[k])
                path = [cur]
                while cur != dn:
                    cur = int(pred[cur])
                    if cur < 0:
                        path = None
                        break
                    path.append(cur)
                out[k] = None if path is None else np.asarray(path, dtype=np.int64)
        return out

    def evacuate(
        self,
        origins_xy: np.ndarray,
        people: np.ndarray,
        dest_xy: np.ndarray,
        t_depart: float,
        speed_kmh: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Travel minutes (free flow + queueing) for groups leaving at ``t_depart``.

        Groups are served in order of free-flow time (nearest first), each as a
        platoon through the capacity of every link on its path; the queue state
        persists, so later departures wait behind earlier ones.

        Returns:
            (travel_min, delay_min) per group; inf travel when no open path exists.
        """
        o = np.asarray(origins_xy, dtype=float).reshape(-1, 2)
        d = np.asarray(dest_xy, dtype=float).reshape(-1, 2)
        n = len(o)
        paths: list[np.ndarray | None] = [None] * n
        for dest in np.unique(d, axis=0):
            sel = np.flatnonzero((d == dest).all(axis=1))
            for k, p in zip(
                sel.tolist(), self.route_nodes(o[sel], tuple(dest), speed_kmh), strict=True
            ):
                paths[k] = p
        ff_links: list[tuple[np.ndarray, np.ndarray]] = []
        free = np.full(n, np.inf)
        for k, p in enumerate(paths):
            if p is None:
                ff_links.append((np.zeros(0, int), np.zeros(0)))
                continue
            ed = [self._edge_of[(int(a), int(b))] for a, b in zip(p[:-1], p[1:], strict=True)]
            idx = np.array([e[0] for e in ed], dtype=np.int64)
            dirn = np.array([e[1] for e in ed], dtype=np.int64)
            tt = self.length_m[idx] / (np.minimum(self.speed_kmh[idx], speed_kmh) * 1000.0) * 60.0
            conn = (
                (np.hypot(*(o[k] - self.xy[p[0]])) + np.hypot(*(d[k] - self.xy[p[-1]])))
                / (min(CONNECTOR_KMH, speed_kmh) * 1000.0)
                * 60.0
            )
            free[k] = conn + tt.sum()
            ff_links.append((np.stack([idx, dirn]), tt))
        travel = np.full(n, np.inf)
        veh = np.asarray(people, dtype=float) / self.persons_per_vehicle
        for k in np.argsort(free, kind="stable").tolist():
            if not np.isfinite(free[k]):
                continue
            links, tt = ff_links[k]
            p = paths[k]
            head = (
                t_depart
                + np.hypot(*(o[k] - self.xy[p[0]]))
                / (min(CONNECTOR_KMH, speed_kmh) * 1000.0)
                * 60.0
            )
            dur = 0.0
            for j in range(tt.size):
                e, dr = int(links[0, j]), int(links[1, j])
                head = max(head + tt[j], self.free_at[e, dr])
                dur = max(dur, veh[k] / self.capacity_veh_min[e])
                self.free_at[e, dr] = head + dur
            head += (
                np.hypot(*(d[k] - self.xy[p[-1]])) / (min(CONNECTOR_KMH, speed_kmh) * 1000.0) * 60.0
            )
            travel[k] = head + dur / 2.0 - t_depart
        ok = np.isfinite(travel)
        return travel, np.where(ok, travel - np.where(ok, free, 0.0), np.inf)

    def hook(self, model: DrillModel) -> None:
        """Attach to a model: `ProtectiveActions` then times evacuations through this."""
        model.traffic = self  # type: ignore[attr-defined]
