"""Rivers of the world as a directed reach tree: catchments, Muskingum routing, stage, gauges.

Every river node of the world graph is the top of one reach (to its downstream node).
Direction: each node drains along the shortest graph path to the nearest outlet (river
node at the sea end: 崖门 for 潭江/银洲湖, 磨刀门 side for 西江). 江门水道 takes a fixed share
of the 西江 flow at its off-take (a distributary; *illustrative* share), one step lagged.

Catchments: each land cell drains to its nearest river node if it is within
``catchment_km`` and nearer to the river than to the coast; the rest drains straight to
sea (*approximate*: the DEM is too smooth for D8 flow paths). Cell excess enters a
linear hillslope reservoir per node (lag ``hillslope_lag_h``), then the reach.

Depth from discharge: Manning for a wide rectangular channel, h = (Q n / (B sqrt(S)))^0.6.
A reach overtops when its discharge exceeds the design (bankfull-with-levee) discharge.
Overbank storage is volume-limited (a level pool per stretch of ``floodplain_pool_km``): the part of the routed outflow
above the design discharge leaves the channel into the reach's floodplain store, and the
store drains back into the channel at its spare capacity (design minus routed outflow)
once the hydrograph falls. So the water on the floodplains is exactly the water the
channels could not carry, counted once (the spill is taken out of the flow passed
downstream: the floodplain attenuates the wave, as off-channel storage does). The store's
water surface comes from the reach's HAND cells
(:class:`~scenarios.typhoon.hydro.inundation.RiverFloodplain`). Reaches without floodplain
cells pass the whole flow. The spill is applied inside the Muskingum step as a per-reach
loop in topological order, only while some reach spills or holds water; otherwise the
vectorised triangular solve runs. This replaces a Manning depth of the excess flow over
a 4 km floodplain strip mapped onto every cell of lower HAND, which had no volume limit
and flooded ~190 km² more than 1 m deep in the 潭江 rainstorm.
Gauge stage is a two-point rating in the gauge's datum: its normal level at the run's
initial (base) flow and its guarantee level (保证水位) at the design flow, linear in
Manning depth between them, so water is at the 保证水位 exactly when the channel is full
to the levee crest. Tides and backwater are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy.spatial import cKDTree

from scenarios.typhoon.hydro.muskingum import NetworkRouter


def manning_depth_m(q_m3s: np.ndarray, width_m, slope, n) -> np.ndarray:
    """Normal depth of a wide rectangular channel (Manning): h = (Q n / (B S^0.5))^(3/5)."""
    q = np.fmax(np.asarray(q_m3s, float), 0.0)
    return (q * n / (width_m * np.sqrt(slope))) ** 0.6


@dataclass
class ReachTree:
    """Reaches in topological order with their node positions and river names."""

    node_ids: np.ndarray  # world river node id of reach j
    down: np.ndarray  # reach index downstream (-1 outlet)
    length_m: np.ndarray
    x_m: np.ndarray
    y_m: np.ndarray
    river: np.ndarray  # river name per reach


def build_reach_tree(
    g: nx.Graph, outlets: list[int] | None = None, distributary: tuple[str, str] | None = None
) -> ReachTree:
    """Direct the (undirected) river graph towards its outlets and order reaches upstream-first.

    ``distributary = (from_river, to_river)`` cuts the to-river's edges at its junction with
    the from-river, so the distributary drains away from its off-take (its inflow is then
    a share of the from-river flow, see :class:`RiverSystem`).
    """
    if distributary is not None:
        src, dst = distributary
        g = g.copy()
        cut = [
            (a, b)
            for a, b, nm in g.edges(data="name")
            if nm == dst
            and any(nm2 == src for n in (a, b) for _, _, nm2 in g.edges(n, data="name"))
        ]
        g.remove_edges_from(cut)
    if outlets is None:
        leaves = [n for n in g if g.degree(n) == 1]
        # outlets: the two southern-most leaves (river mouths); sources lie inland (north/west)
        outlets = sorted(leaves, key=lambda n: g.nodes[n]["lat"])[:2]
    dist, paths = nx.multi_source_dijkstra(g, set(outlets), weight="length_m")
    missing = set(g.nodes) - set(dist)
    if missing:
        raise ValueError(f"river nodes {sorted(missing)[:5]} do not reach an outlet")
    nxt = {n: (p[-2] if len(p) > 1 else None) for n, p in paths.items()}
    order = sorted(g.nodes, key=lambda n: -dist[n])
    idx = {n: k for k, n in enumerate(order)}
    down = np.array([idx[nxt[n]] if nxt[n] is not None else -1 for n in order])
    length = np.array(
        [g.edges[n, nxt[n]]["length_m"] if nxt[n] is not None else 1000.0 for n in order]
    )

    def name(n):
        if nxt[n] is not None:
            return g.edges[n, nxt[n]].get("name", "")
        return next(iter(g.edges(n, data="name")))[2] or ""

    return ReachTree(
        node_ids=np.array(order),
        down=down,
        length_m=length,
        x_m=np.array([g.nodes[n]["x_m"] for n in order]),
        y_m=np.array([g.nodes[n]["y_m"] for n in order]),
        river=np.array([name(n) for n in order]),
    )


def pool_ids(tree: ReachTree, pool_m: float) -> np.ndarray:
    """Floodplain pool of each reach: same river, same ``pool_m`` band of distance to the outlet.

    A pool shares one water level over its reaches' HAND cells, so an overtopping reach
    spreads its spill along ~``pool_m`` of valley instead of onto the few cells nearest one
    ~1 km river node (*illustrative* length).
    """
    n = tree.down.size
    dist = np.zeros(n)
    for j in range(n - 1, -1, -1):  # downstream reaches come later: walk up from the outlets
        d = tree.down[j]
        dist[j] = tree.length_m[j] + (dist[d] if d >= 0 else 0.0)
    band = np.floor(dist / pool_m).astype(int)
    key = np.array([f"{r}|{b}" for r, b in zip(tree.river, band, strict=True)])
    return np.unique(key, return_inverse=True)[1].astype(int)


class RiverSystem:
    """Catchment drainage, hillslope lag and Muskingum routing down the reach tree."""

    def __init__(self, tree: ReachTree, world, params, dt_s: float) -> None:
        self.tree = tree
        self.p = params
        n = tree.down.size
        rp = [params.river_for(r) for r in tree.river]
        self.width = np.array([r.width_m for r in rp])
        self.slope = np.array([r.slope for r in rp])
        self.manning = np.array([r.manning_n for r in rp])
        self.q_design = np.array([r.design_q_m3s for r in rp])
        self.h_design = manning_depth_m(self.q_design, self.width, self.slope, self.manning)
        self.pool = pool_ids(tree, params.floodplain_pool_km * 1000.0)
        self.can_spill = np.zeros(n, bool)  # set by enable_floodplain
        self.fp_store_m3 = np.zeros(int(self.pool.max()) + 1 if n else 0)  # water per pool
        self.spilled_m3 = 0.0  # totals since the start (conservation check)
        self.returned_m3 = 0.0
        k_s = tree.length_m / params.celerity_m_s
        self.substeps = max(1, int(np.ceil(dt_s / (2.0 * k_s.min() * (1.0 - params.muskingum_x)))))
        self.router = NetworkRouter(tree.down, k_s, params.muskingum_x, dt_s / self.substeps)
        self.dt_s = dt_s
        # catchments
        g = world.grid
        land = np.asarray(world.is_land, bool)
        d_node, near = cKDTree(np.column_stack([tree.x_m, tree.y_m])).query(
            np.column_stack([g.x_m.ravel(), g.y_m.ravel()])
        )
        self.nearest_node = near.reshape(g.shape)
        self.dist_river_m = d_node.reshape(g.shape)
        from scipy.ndimage import distance_transform_edt

        dy = float(abs(np.diff(g.y_m[:, 0]).mean()))
        dx = float(abs(np.diff(g.x_m[0, :]).mean()))
        d_coast = distance_transform_edt(land, sampling=(dy, dx))
        self.drains = (
            land
            & (self.dist_river_m <= params.catchment_km * 1000.0)
            & (self.dist_river_m <= d_coast)
        )
        self.cell_area_m2 = dx * dy
        self.catchment_km2 = np.bincount(self.nearest_node[self.drains], minlength=n) * (
            self.cell_area_m2 / 1e6
        )
        # base flow at sources (upstream inflow from beyond the world)
        self.base = np.zeros(n)
        for r in params.rivers:
            on = np.flatnonzero(tree.river == r.name)
            if on.size and r.base_q_m3s > 0:
                self.base[on[0]] += r.base_q_m3s  # first in topological order = most upstream
        self.diversion = np.zeros(n)
        self._div = None
        if params.diversion is not None:
            dv = params.diversion
            src = np.flatnonzero(tree.river == dv.from_river)
            dst = np.flatnonzero(tree.river == dv.to_river)
            if src.size and dst.size:
                # off-take: the from-river reach nearest the to-river's first (upstream) reach
                top = dst[0]
                d = np.hypot(tree.x_m[src] - tree.x_m[top], tree.y_m[src] - tree.y_m[top])
                self._div = (int(src[np.argmin(d)]), int(top), dv.share)
        self.store_m3 = np.zeros(n)
        lateral0 = self.base.copy()
        if self._div is not None:
            s, t, share = self._div
            # steady state with the split: route once without, then add the share
            self.router.warm_start(lateral0)
            lateral0[t] += share * self.router.outflow[s]
        self.router.warm_start(lateral0)
        self.q = self.router.outflow.copy()
        self.depth_m = manning_depth_m(self.q, self.width, self.slope, self.manning)
        self.depth0_m = self.depth_m.copy()
        self.peak_q = self.q.copy()

    def step(self, excess_mm: np.ndarray) -> np.ndarray:
        """Route one hazard tick of rainfall excess (mm per cell); returns reach outflow m3/s."""
        n = self.tree.down.size
        vol = np.bincount(
            self.nearest_node[self.drains],
            weights=excess_mm[self.drains] * 1e-3 * self.cell_area_m2,
            minlength=n,
        )
        self.store_m3 += vol
        k_h = self.p.hillslope_lag_h * 3600.0
        release = self.store_m3 * (1.0 - np.exp(-self.dt_s / k_h))
        self.store_m3 -= release
        lateral = self.base + release / self.dt_s
        for _ in range(self.substeps):
            lat = lateral
            if self._div is not None:
                s, t, share = self._div
                lat = lateral.copy()
                lat[t] += share * self.router.outflow[s]
            self._route(lat)
        self.q = self.router.outflow.copy()
        np.fmax(self.peak_q, self.q, out=self.peak_q)
        self.depth_m = manning_depth_m(self.q, self.width, self.slope, self.manning)
        return self.q

    def enable_floodplain(self, pool_has_cells: np.ndarray) -> None:
        """Let reaches whose pool has floodplain cells spill their excess into it."""
        self.can_spill = np.asarray(pool_has_cells, bool)[self.pool]

    def _route(self, lateral: np.ndarray) -> None:
        """One Muskingum sub-step; the spillway loop only while a reach spills or holds water."""
        r = self.router
        if not self.can_spill.any():
            r.step(lateral)
            return
        inflow0, outflow0 = r.inflow, r.outflow
        q = r.step(lateral)
        if not (np.any(self.can_spill & (q > self.q_design)) or self.fp_store_m3.any()):
            return
        r.inflow, r.outflow = inflow0, outflow0
        self._step_spill(lateral)

    def _step_spill(self, lateral: np.ndarray) -> None:
        """Muskingum step (as ``NetworkRouter.step_loop``) with a level-pool store per reach.

        Outflow above the design discharge goes to the store; a store drains back at the
        channel's spare capacity. Downstream reaches get the capped outflow.
        """
        r = self.router
        dt = r.dt_s
        n = r.n
        q = np.zeros(n)
        inflow_new = np.array(lateral, float)
        c1, c2, c3, down = r.c1, r.c2, r.c3, r.down
        qd, can, store, pool = self.q_design, self.can_spill, self.fp_store_m3, self.pool
        for j in range(n):
            o = c1[j] * inflow_new[j] + c2[j] * r.inflow[j] + c3[j] * r.outflow[j]
            if can[j]:
                p = pool[j]
                if o > qd[j]:
                    v = (o - qd[j]) * dt
                    store[p] += v
                    self.spilled_m3 += v
                    o = qd[j]
                elif store[p] > 0.0:
                    back = min((qd[j] - o) * dt, store[p])
                    store[p] -= back
                    self.returned_m3 += back
                    o += back / dt
            q[j] = o
            if down[j] >= 0:
                inflow_new[down[j]] += o
        r.inflow, r.outflow = inflow_new, q

    @property
    def spilling(self) -> np.ndarray:
        """Reaches whose floodplain pool holds water now."""
        return self.fp_store_m3[self.pool] > 0.0

    def stage_m(self, reach: int, normal_m: float, guarantee_m: float) -> float:
        """Gauge stage: ``normal_m`` at the initial flow, ``guarantee_m`` at the design flow."""
        h0, hd = self.depth0_m[reach], self.h_design[reach]
        frac = (self.depth_m[reach] - h0) / max(hd - h0, 1e-6)
        return float(normal_m + (guarantee_m - normal_m) * frac)

    def reach_at(self, x_m: float, y_m: float) -> int:
        """Index of the reach nearest a point (gauge snapping)."""
        return int(np.argmin(np.hypot(self.tree.x_m - x_m, self.tree.y_m - y_m)))
