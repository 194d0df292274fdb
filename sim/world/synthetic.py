"""A tiny deterministic world for engine unit tests (no pack needed)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from sim.world.grid import Grid
from sim.world.world import ROAD_CLASS_SPEEDS, World

_LAT0, _LON0 = 22.40, 112.90  # somewhere in Jiangmen so UTM 49N is appropriate
_M_PER_DEG = 111_320.0
SYNTH_ADCODE = 449900
FACILITY_COLUMNS = [
    "facility_id", "kind", "name", "name_zh", "adcode", "lat", "lon", "level",
    "capacity", "area_m2", "approximate", "source",
]  # fmt: skip


def build_synthetic(size_km: float = 20, cell_m: float = 500, seed: int = 0) -> World:
    """Square land world with a sea strip along the south edge.

    Layout (north up): land in the northern 80 % of rows, sea below; 4 towns at
    the quarter points; a road grid every ~2 km (middle row/column are trunk
    roads); one river running north-south through the centre to the coast; two
    ports on the coast; one facility of each kind. ``seed`` jitters town
    populations only, so geometry is identical for every seed.
    """
    rng = np.random.default_rng(seed)
    cell_deg = cell_m / _M_PER_DEG
    n = max(4, round(size_km * 1000 / cell_m))
    half = n * cell_deg / 2
    grid = Grid.from_bounds(_LON0 - half, _LAT0 - half, _LON0 + half, _LAT0 + half, cell_deg)
    ny, nx_ = grid.shape
    coast_row = int(round(ny * 0.8))  # first sea row
    is_land = np.zeros(grid.shape, bool)
    is_land[:coast_row] = True
    elevation = np.where(is_land, 10.0, 0.0).astype(np.float32)
    landcover = np.where(is_land, 2, 0).astype(np.uint8)
    landcover[: ny // 4, 3 * nx_ // 4 :] = 5  # a forest block in the north-east
    district = np.where(is_land, SYNTH_ADCODE, 0).astype(np.int32)

    lat_land_s = grid.lat[coast_row - 1] - cell_deg / 2
    w, _, e, nth = grid.bounds

    def lonlat(fx: float, fy: float) -> tuple[float, float]:
        """Fractions of the land box (0=west/south, 1=east/north) -> (lat, lon)."""
        return lat_land_s + fy * (nth - lat_land_s), w + fx * (e - w)

    # Towns at quarter points of the land part.
    tpos = [lonlat(fx, fy) for fy in (0.25, 0.75) for fx in (0.25, 0.75)]
    tlat = np.array([p[0] for p in tpos])
    tlon = np.array([p[1] for p in tpos])
    tx, ty = grid.to_xy(tlat, tlon)
    towns = pd.DataFrame(
        {
            "town_id": [f"T{i}" for i in range(4)],
            "name": ["Southwest", "Southeast", "Northwest", "Northeast"],
            "name_zh": ["", "", "", ""],
            "adcode": SYNTH_ADCODE,
            "lat": tlat,
            "lon": tlon,
            "x_m": tx,
            "y_m": ty,
            "population": (rng.integers(5_000, 50_000, 4)).astype(np.int64),
        }
    )
    for r, c in zip(*grid.index(tlat, tlon), strict=True):
        landcover[r, c] = 1

    # Road grid: k x k nodes spanning the land box (towns sit on grid nodes).
    k = 5
    fr = np.linspace(0.0, 1.0, k)
    fr = np.sort(np.unique(np.r_[fr, 0.25, 0.75]))
    roads = nx.Graph()
    for j, fy in enumerate(fr):
        for i, fx in enumerate(fr):
            la, lo = lonlat(fx, fy)
            roads.add_node((i, j), lat=la, lon=lo)
    _add_xy(roads, grid)
    mid = int(np.argmin(np.abs(fr - 0.5)))
    for i in range(len(fr)):
        for j in range(len(fr)):
            for di, dj in ((1, 0), (0, 1)):
                a, b = (i, j), (i + di, j + dj)
                if b in roads:
                    trunk = (dj == 0 and j == mid) or (di == 0 and i == mid)
                    cls = "trunk" if trunk else "county"
                    roads.add_edge(a, b, road_class=cls, speed_kmh=ROAD_CLASS_SPEEDS[cls])
    _add_lengths(roads)
    # Move towns onto their nearest road nodes so seats are exactly routable.
    for t in towns.itertuples():
        node = min(
            roads.nodes,
            key=lambda nd: (
                (roads.nodes[nd]["x_m"] - t.x_m) ** 2 + (roads.nodes[nd]["y_m"] - t.y_m) ** 2
            ),
        )
        roads.nodes[node]["town_id"] = t.town_id

    # One river from the north edge to the coast down the centre column.
    rivers = nx.Graph()
    ys = np.linspace(0.98, 0.0, 9)
    for i, fy in enumerate(ys):
        la, lo = lonlat(0.5, fy)
        rivers.add_node(i, lat=la, lon=lo)
    la, lo = lonlat(0.5, 0.0)
    rivers.add_node(len(ys), lat=la - cell_deg, lon=lo)  # mouth, first sea row
    _add_xy(rivers, grid)
    for i in range(len(ys)):
        rivers.add_edge(i, i + 1, name="Synthetic River")
    _add_lengths(rivers)

    # Two ports on the first sea row (quays are sea cells so boats start afloat).
    plat = float(grid.lat[coast_row])
    plon = np.array([grid.lon[nx_ // 4], grid.lon[3 * nx_ // 4]])
    px, py = grid.to_xy(np.full(2, plat), plon)
    ports = pd.DataFrame(
        {
            "port_id": ["P0", "P1"],
            "name": ["West Port", "East Port"],
            "name_zh": ["", ""],
            "lat": plat,
            "lon": plon,
            "x_m": px,
            "y_m": py,
        }
    )

    fac_rows = [
        ("fire_station", tlat[0], tlon[0], "county", 30, np.nan),
        ("depot", tlat[3], tlon[3], "city", 1000, 5000.0),
        ("shelter", tlat[1], tlon[1], "town", 2000, 4000.0),
        ("hospital", tlat[2], tlon[2], "county", 300, np.nan),
        ("sea_rescue", plat, plon[0], "county", 2, np.nan),
        ("air_base", tlat[2], tlon[2] + 2 * cell_deg, "city", 3, np.nan),
        ("lookout", nth - 2 * cell_deg, e - 2 * cell_deg, "village", 1, np.nan),
        ("port", plat, plon[1], "county", np.nan, np.nan),
    ]
    fac = pd.DataFrame(
        [
            {
                "facility_id": f"F{i}",
                "kind": kind,
                "name": f"Synthetic {kind}",
                "name_zh": "",
                "adcode": SYNTH_ADCODE,
                "lat": la,
                "lon": lo,
                "level": lvl,
                "capacity": cap,
                "area_m2": area,
                "approximate": True,
                "source": "synthetic",
            }
            for i, (kind, la, lo, lvl, cap, area) in enumerate(fac_rows)
        ],
        columns=FACILITY_COLUMNS,
    )
    fac["x_m"], fac["y_m"] = grid.to_xy(fac["lat"].to_numpy(), fac["lon"].to_numpy())

    ring = np.array([[w, lat_land_s], [e, lat_land_s], [e, nth], [w, nth], [w, lat_land_s]])
    districts = pd.DataFrame(
        {
            "adcode": [SYNTH_ADCODE],
            "name_zh": [""],
            "name_en": ["Synthetic"],
            "area_km2": [float(is_land.sum()) * (cell_m / 1000) ** 2],
            "pop_2020": [int(towns["population"].sum())],
            "urban": [False],
            "approximate": [True],
        }
    )
    return World(
        name="synthetic",
        grid=grid,
        elevation_m=elevation,
        is_land=is_land,
        landcover=landcover,
        district=district,
        districts=districts,
        boundaries={SYNTH_ADCODE: [ring]},
        towns=towns,
        facilities=fac,
        roads=roads,
        rivers=rivers,
        ports=ports,
        provenance="Synthetic test world: flat land, sea strip to the south. Nothing is real.",
    )


def _add_xy(g: nx.Graph, grid: Grid) -> None:
    """Fill node x_m/y_m from lat/lon in one vectorised transform."""
    nodes = list(g.nodes)
    lat = np.array([g.nodes[n]["lat"] for n in nodes])
    lon = np.array([g.nodes[n]["lon"] for n in nodes])
    x, y = grid.to_xy(lat, lon)
    for n, xi, yi in zip(nodes, x, y, strict=True):
        g.nodes[n]["x_m"] = float(xi)
        g.nodes[n]["y_m"] = float(yi)


def _add_lengths(g: nx.Graph) -> None:
    for a, b, d in g.edges(data=True):
        na, nb = g.nodes[a], g.nodes[b]
        d["length_m"] = float(np.hypot(na["x_m"] - nb["x_m"], na["y_m"] - nb["y_m"]))
