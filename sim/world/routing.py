"""Shortest-time routing on road/river/sea networks (scipy.sparse.csgraph).

Graphs are undirected, so one Dijkstra tree rooted at a destination answers
"how long from every node to here" — dispatch ranks many units against one
incident with a single cached tree.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from sim.world.errors import WorldError

#: Off-road connector speed (km/h) from a point to its nearest road node.
CONNECTOR_KMH = 20.0
#: Foot travel is a straight line stretched by this tortuosity factor.
FOOT_TORTUOSITY = 1.3
_MIN_EDGE_M = 0.01  # csgraph drops explicit zeros, so keep every edge positive
_SNAP_MEMO_MAX = 200_000  # snapped points remembered per node set (then forgotten)
_SNAP_MEMO_BATCH = 64  # larger batches of points are snapped in one query, not remembered


@dataclass(frozen=True)
class Route:
    """A travelled path. ``path_xy`` is (k, 2) UTM metres, first = origin, last = dest."""

    mode: str
    time_min: float
    length_m: float
    path_xy: np.ndarray


class Network:
    """Undirected network in CSR form with nearest-node snapping and cached trees.

    Args:
        xy: (n, 2) node coordinates in metres.
        u, v: edge endpoint indices.
        length_m: edge lengths.
        speed_kmh: per-edge speed limit, or None when only the vehicle speed matters.
        cache_size: Dijkstra trees kept (per destination node and speed).
        tree: KD-tree of ``xy`` to reuse (must be built on the same coordinates).
        like: a network on the same nodes whose edges are a superset with the same
            lengths (road closures derive their network from the open road network):
            its KD-tree, snapped points and edge lengths are shared, not rebuilt.
    """

    def __init__(
        self,
        xy: np.ndarray,
        u: np.ndarray,
        v: np.ndarray,
        length_m: np.ndarray,
        speed_kmh: np.ndarray | None = None,
        cache_size: int = 128,
        tree: cKDTree | None = None,
        like: Network | None = None,
    ) -> None:
        self.xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self.u = np.asarray(u, dtype=np.int64)
        self.v = np.asarray(v, dtype=np.int64)
        self.length_m = np.maximum(np.asarray(length_m, dtype=float), _MIN_EDGE_M)
        self.speed_kmh = None if speed_kmh is None else np.asarray(speed_kmh, dtype=float)
        if like is not None:
            tree = like.tree
        # `tree`: a KD-tree already built on the same node coordinates (road closures
        # rebuild the edges many times per run; the nodes never change)
        self.tree = tree if tree is not None else (cKDTree(self.xy) if len(self.xy) else None)
        self._csr: dict[float, csr_matrix] = {}
        self._trees: OrderedDict[tuple[int, float], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cache_size = cache_size
        self._like = like
        # point -> (nearest node, distance): places (bases, shelters, depots) are snapped
        # again and again, and one KD-tree query costs tens of microseconds
        self._snapped: dict[tuple[float, float], tuple[int, float]] = (
            like._snapped if like is not None else {}
        )
        self._len_csr_: csr_matrix | None = None
        self._len_of_: dict[tuple[int, int], float] | None = None

    @classmethod
    def from_graph(cls, g: nx.Graph, with_speed: bool = True) -> tuple[Network, list]:
        """Build from a networkx graph with node x_m/y_m and edge length_m(/speed_kmh)."""
        nodes = list(g.nodes)
        pos = {n: i for i, n in enumerate(nodes)}
        xy = np.array([[g.nodes[n]["x_m"], g.nodes[n]["y_m"]] for n in nodes], dtype=float)
        edges = [(pos[a], pos[b], d) for a, b, d in g.edges(data=True) if a != b]
        u = np.array([e[0] for e in edges], dtype=np.int64)
        v = np.array([e[1] for e in edges], dtype=np.int64)
        length = np.array([e[2]["length_m"] for e in edges], dtype=float)
        speed = np.array([e[2]["speed_kmh"] for e in edges], dtype=float) if with_speed else None
        return cls(xy, u, v, length, speed), nodes

    def _hours(self, speed_kmh: float) -> csr_matrix:
        key = float(speed_kmh)
        if key not in self._csr:
            eff = (
                np.full_like(self.length_m, key)
                if self.speed_kmh is None
                else np.minimum(self.speed_kmh, key)
            )
            w = self.length_m / (eff * 1000.0)
            n = len(self.xy)
            self._csr[key] = csr_matrix(
                (np.r_[w, w], (np.r_[self.u, self.v], np.r_[self.v, self.u])), shape=(n, n)
            )
        return self._csr[key]

    def snap(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node index and straight distance (m) for (n, 2) points.

        Each point's answer is remembered (a KD-tree query per point gives the same
        answer alone or in a batch).
        """
        if self.tree is None:
            raise WorldError("network has no nodes")
        pts = np.asarray(xy, dtype=float).reshape(-1, 2)
        if len(pts) > _SNAP_MEMO_BATCH:  # many points (resident groups): one vectorised query
            d, i = self.tree.query(pts)
            return i.astype(np.int64), d
        memo = self._snapped
        keys = list(map(tuple, pts.tolist()))
        hits = [memo.get(k) for k in keys]
        miss = [j for j, h in enumerate(hits) if h is None]
        if miss:
            d, i = self.tree.query(pts[miss])
            if len(memo) > _SNAP_MEMO_MAX:
                memo.clear()
            for j, ij, dj in zip(miss, i.tolist(), d.tolist(), strict=True):
                hits[j] = memo[keys[j]] = (ij, dj)
        nodes, dist = zip(*hits, strict=True) if hits else ((), ())
        return np.array(nodes, dtype=np.int64), np.array(dist, dtype=float)

    def tree_to(self, node: int, speed_kmh: float) -> tuple[np.ndarray, np.ndarray]:
        """(hours, predecessors) from every node to ``node``; cached LRU."""
        key = (int(node), float(speed_kmh))
        hit = self._trees.get(key)
        if hit is not None:
            self._trees.move_to_end(key)
            return hit
        # `_hours` stores every edge in both directions, so the directed search is the
        # undirected one: scipy's undirected mode only adds a second scan of the transpose
        # row (same entries, same weights), which can never improve a distance. Same
        # distances and predecessors bit for bit, without transposing the graph per tree.
        dist, pred = dijkstra(
            self._hours(speed_kmh), directed=True, indices=int(node), return_predecessors=True
        )
        self._trees[key] = (dist, pred)
        if len(self._trees) > self._cache_size:
            self._trees.popitem(last=False)
        return dist, pred

    def node_path(self, pred: np.ndarray, start: int, root: int) -> np.ndarray:
        """Nodes from ``start`` to the tree root following predecessors."""
        out = [start]
        cur = start
        while cur != root:
            cur = int(pred[cur])
            if cur < 0:
                raise WorldError("no path")
            out.append(cur)
        return np.asarray(out, dtype=np.int64)

    @property
    def _len_csr(self) -> csr_matrix:
        """Edge lengths as a symmetric sparse matrix (parallel edges summed)."""
        if self._len_csr_ is None:
            n = len(self.xy)
            self._len_csr_ = csr_matrix(
                (
                    np.r_[self.length_m, self.length_m],
                    (np.r_[self.u, self.v], np.r_[self.v, self.u]),
                ),
                shape=(n, n),
            )
        return self._len_csr_

    def _len_of(self) -> dict[tuple[int, int], float] | None:
        """(a, b) -> edge length both ways, or None if node pairs repeat (then `_len_csr`)."""
        if self._like is not None:
            return self._like._len_of()
        if self._len_of_ is None:
            a, b, w = self.u.tolist(), self.v.tolist(), self.length_m.tolist()
            d = dict(zip(zip(a, b, strict=True), w, strict=True))
            d.update(zip(zip(b, a, strict=True), w, strict=True))
            # parallel edges or self-loops: the matrix sums them, so keep to the matrix
            self._len_of_ = d if len(d) == 2 * len(a) else {}
        return self._len_of_ or None

    def path_length(self, nodes: np.ndarray) -> float:
        """Sum of edge lengths along consecutive nodes."""
        if len(nodes) < 2:
            return 0.0
        lens = self._len_of()
        if lens is None:
            return float(np.asarray(self._len_csr[nodes[:-1], nodes[1:]]).ravel().sum())
        ns = nodes.tolist()
        # the same values in the same order as the matrix look-up, summed the same way
        steps = zip(ns[:-1], ns[1:], strict=True)
        return float(np.array([lens.get(k, 0.0) for k in steps], dtype=float).sum())


def check_speed(speed_kmh: float) -> float:
    """Reject non-positive or non-finite speeds early with a clear error."""
    s = float(speed_kmh)
    if not np.isfinite(s) or s <= 0:
        raise WorldError(f"speed_kmh must be positive and finite, got {speed_kmh!r}")
    return s


def network_route(
    net: Network,
    mode: str,
    origin_xy,
    dest_xy,
    speed_kmh: float,
    connector_kmh: float,
) -> Route:
    """Route over ``net`` with straight connectors to the nearest nodes."""
    o = np.asarray(origin_xy, dtype=float).reshape(2)
    d = np.asarray(dest_xy, dtype=float).reshape(2)
    (on,), (od,) = net.snap(o)
    (dn,), (dd,) = net.snap(d)
    hours, pred = net.tree_to(int(dn), speed_kmh)
    if not np.isfinite(hours[on]):
        raise WorldError(f"{mode}: destination unreachable from origin (disconnected network)")
    nodes = net.node_path(pred, int(on), int(dn))
    path = np.vstack([o, net.xy[nodes], d])
    length = od + net.path_length(nodes) + dd
    t_h = (od + dd) / (connector_kmh * 1000.0) + hours[on]
    return Route(mode=mode, time_min=float(t_h * 60.0), length_m=float(length), path_xy=path)


def network_times(
    net: Network, origins_xy: np.ndarray, dest_xy, speed_kmh: float, connector_kmh: float
) -> np.ndarray:
    """Minutes from many origins to one destination (inf if disconnected)."""
    o = np.asarray(origins_xy, dtype=float).reshape(-1, 2)
    (dn,), (dd,) = net.snap(np.asarray(dest_xy, dtype=float).reshape(1, 2))
    hours, _ = net.tree_to(int(dn), speed_kmh)
    on, od = net.snap(o)
    t_h = hours[on] + (od + dd) / (connector_kmh * 1000.0)
    return t_h * 60.0


#: Relative slack of `network_times_bound`: float sums over a path of n edges are off by
#: at most ~n * 1.1e-16 relative (n < 1e6 here), far below this.
BOUND_SLACK = 1e-9


def network_times_bound(
    net: Network, origins_xy: np.ndarray, dest_xy, speed_kmh: float, connector_kmh: float
) -> np.ndarray:
    """A lower bound of `network_times` without a Dijkstra tree (Euclidean-length networks).

    Only for networks whose edge lengths are the straight distances between their
    nodes (`sea_network`): a path is then at least the straight line between its
    ends, so ``hours >= |node_o - node_d| / speed`` (less `BOUND_SLACK` for rounding),
    and the connectors are the same terms `network_times` adds, so the result never
    exceeds it. Dispatch uses it to skip trees for units that cannot be the best.
    """
    o = np.asarray(origins_xy, dtype=float).reshape(-1, 2)
    (dn,), (dd,) = net.snap(np.asarray(dest_xy, dtype=float).reshape(1, 2))
    on, od = net.snap(o)
    straight = np.hypot(*(net.xy[on] - net.xy[dn]).T)
    hours = straight / (speed_kmh * 1000.0) * (1.0 - BOUND_SLACK)
    t_h = hours + (od + dd) / (connector_kmh * 1000.0)
    return t_h * 60.0


def straight_route(mode: str, origin_xy, dest_xy, speed_kmh: float, factor: float = 1.0) -> Route:
    """Straight-line travel (air, or foot with a tortuosity factor)."""
    o = np.asarray(origin_xy, dtype=float).reshape(2)
    d = np.asarray(dest_xy, dtype=float).reshape(2)
    length = float(np.hypot(*(d - o))) * factor
    return Route(mode, length / (speed_kmh * 1000.0) * 60.0, length, np.vstack([o, d]))


def sea_network(x_m: np.ndarray, y_m: np.ndarray, is_sea: np.ndarray) -> tuple[Network, np.ndarray]:
    """8-connected network over the largest sea body.

    Diagonal steps between sea cells are allowed even where both orthogonal cells
    are land: at 30" the GLOBE mask draws narrow channels (e.g. 银洲湖 to 崖门) as
    diagonal staircases, and forbidding such corners would cut them off.

    Returns:
        The network and the (row, col) of each node.
    """
    sea = np.asarray(is_sea, dtype=bool)
    ny, nx_ = sea.shape
    idx = -np.ones(sea.shape, dtype=np.int64)
    rows, cols = np.nonzero(sea)
    idx[rows, cols] = np.arange(rows.size)
    us, vs = [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        r0 = slice(0, ny - dr)
        r1 = slice(dr, ny)
        c0 = slice(max(0, -dc), nx_ - max(0, dc))
        c1 = slice(max(0, dc), nx_ - max(0, -dc))
        ok = sea[r0, c0] & sea[r1, c1]
        us.append(idx[r0, c0][ok])
        vs.append(idx[r1, c1][ok])
    u = np.concatenate(us)
    v = np.concatenate(vs)
    # Keep only the largest water body (open sea): landlocked mask fragments (estuary
    # pockets, river reaches) would otherwise capture snapped ports and strand them.
    n = rows.size
    _, lab = connected_components(
        coo_matrix((np.ones(u.size), (u, v)), shape=(n, n)), directed=False
    )
    keep = lab == np.bincount(lab).argmax()
    new = -np.ones(n, dtype=np.int64)
    new[keep] = np.arange(keep.sum())
    ok = keep[u] & keep[v]
    u, v = new[u[ok]], new[v[ok]]
    rows, cols = rows[keep], cols[keep]
    xy = np.column_stack([x_m[rows, cols], y_m[rows, cols]])
    length = np.hypot(*(xy[u] - xy[v]).T)
    return Network(xy, u, v, length, None), np.column_stack([rows, cols])
