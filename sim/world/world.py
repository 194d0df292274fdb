"""The World: gridded layers, places, facilities and travel networks for drills."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from sim.world.errors import WorldError
from sim.world.grid import Grid
from sim.world.routing import (
    CONNECTOR_KMH,
    FOOT_TORTUOSITY,
    Network,
    Route,
    check_speed,
    network_route,
    network_times,
    network_times_bound,
    sea_network,
    straight_route,
)

#: Land-cover codes (uint8) used by ``World.landcover``.
LANDCOVER_CLASSES: dict[int, str] = {
    0: "water",
    1: "urban",
    2: "farmland",
    3: "grass",
    4: "shrub",
    5: "broadleaf_forest",
    6: "masson_pine_forest",
    7: "eucalyptus_plantation",
    8: "mixed_forest",
}
#: Codes counted as forest (for coverage statistics).
FOREST_CODES: tuple[int, ...] = (5, 6, 7, 8)
#: Default speeds (km/h) per road class; see PROVENANCE.md (JTG B01-2014, not verified).
ROAD_CLASS_SPEEDS: dict[str, float] = {
    "expressway": 100.0,
    "trunk": 70.0,
    "county": 40.0,
    "local": 30.0,
    "island": 30.0,
}
MODES = ("road", "foot", "sea", "river", "air")
GRID_LAYERS = ("elevation_m", "is_land", "landcover", "district")


@dataclass(eq=False)
class World:
    """A drill world; every coordinate an agent sees is UTM metres (``grid.crs``).

    Networks for routing are compiled lazily on first use and cached, so loading
    stays fast and repeated dispatch queries reuse Dijkstra trees.
    """

    name: str
    grid: Grid
    elevation_m: np.ndarray
    is_land: np.ndarray
    landcover: np.ndarray
    district: np.ndarray
    districts: pd.DataFrame
    boundaries: dict[int, list[np.ndarray]]
    towns: pd.DataFrame
    facilities: pd.DataFrame
    roads: nx.Graph
    rivers: nx.Graph
    ports: pd.DataFrame
    provenance: str = ""
    _cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        shape = self.grid.shape
        self.elevation_m = np.asarray(self.elevation_m, dtype=np.float32)
        self.is_land = np.asarray(self.is_land, dtype=bool)
        self.landcover = np.asarray(self.landcover, dtype=np.uint8)
        self.district = np.asarray(self.district, dtype=np.int32)
        for nm in GRID_LAYERS:
            if getattr(self, nm).shape != shape:
                raise WorldError(f"layer {nm} has shape {getattr(self, nm).shape}, grid is {shape}")

    # ------------------------------------------------------------------ layers
    def layer(self, name: str) -> np.ndarray:
        """A grid layer by name (``elevation_m``, ``is_land``, ``landcover``, ``district``)."""
        if name not in GRID_LAYERS:
            raise WorldError(f"unknown layer {name!r}; choose from {GRID_LAYERS}")
        return getattr(self, name)

    def sample(self, layer: str, x_m, y_m) -> np.ndarray:
        """Nearest-cell value of a grid layer at UTM points (vectorised)."""
        arr = self.layer(layer)
        r, c = self.grid.index_xy(x_m, y_m)
        return arr[r, c]

    def nearest_town(self, x_m, y_m):
        """town_id of the nearest town seat (scalar in, scalar out; arrays in, array out)."""
        if "town_tree" not in self._cache:
            self._cache["town_tree"] = cKDTree(self.towns[["x_m", "y_m"]].to_numpy(float))
            self._cache["town_ids"] = self.towns["town_id"].to_numpy()  # with the tree
        _, i = self._cache["town_tree"].query(np.column_stack([np.ravel(x_m), np.ravel(y_m)]))
        ids = self._cache["town_ids"][i]
        return ids[0] if np.ndim(x_m) == 0 else ids

    # ---------------------------------------------------------------- networks
    def _network(self, mode: str) -> Network:
        key = f"net_{mode}"
        if key not in self._cache:
            if mode == "road":
                net, _ = Network.from_graph(self.roads, with_speed=True)
            elif mode == "river":
                net, _ = Network.from_graph(self.rivers, with_speed=False)
            elif mode == "sea":
                net, _ = sea_network(self.grid.x_m, self.grid.y_m, ~self.is_land)
            else:  # pragma: no cover - guarded by callers
                raise WorldError(f"mode {mode!r} has no network")
            if len(net.xy) == 0:
                raise WorldError(f"world {self.name!r} has no {mode} network")
            self._cache[key] = net
        return self._cache[key]

    @staticmethod
    def _check_mode(mode: str) -> None:
        if mode not in MODES:
            raise WorldError(f"unknown mode {mode!r}; choose from {MODES}")

    def route(self, mode: str, origin_xy, dest_xy, speed_kmh: float) -> Route:
        """Fastest route between two UTM points.

        road: edges at min(edge speed, ``speed_kmh``) plus straight connectors to
        the nearest road node at min(20 km/h, speed). foot: straight line x1.3
        tortuosity. sea/river: over sea cells / the river graph, ends snapped to the
        nearest node, connectors at ``speed_kmh``. air: straight line.

        Raises:
            WorldError: unknown mode, bad speed, or destination unreachable.
        """
        self._check_mode(mode)
        v = check_speed(speed_kmh)
        if mode == "air":
            return straight_route(mode, origin_xy, dest_xy, v)
        if mode == "foot":
            return straight_route(mode, origin_xy, dest_xy, v, FOOT_TORTUOSITY)
        conn = min(CONNECTOR_KMH, v) if mode == "road" else v
        return network_route(self._network(mode), mode, origin_xy, dest_xy, v, conn)

    def travel_time_min(self, mode: str, origins_xy, dest_xy, speed_kmh: float) -> np.ndarray:
        """Minutes from each of (n, 2) origins to one destination; inf if unreachable.

        One cached Dijkstra tree per (snapped destination, speed) serves all origins.
        """
        self._check_mode(mode)
        v = check_speed(speed_kmh)
        o = np.asarray(origins_xy, dtype=float).reshape(-1, 2)
        d = np.asarray(dest_xy, dtype=float).reshape(2)
        if mode in ("air", "foot"):
            f = FOOT_TORTUOSITY if mode == "foot" else 1.0
            return np.hypot(*(o - d).T) * f / (v * 1000.0) * 60.0
        conn = min(CONNECTOR_KMH, v) if mode == "road" else v
        return network_times(self._network(mode), o, d, v, conn)

    def travel_time_bound_min(
        self, mode: str, origins_xy, dest_xy, speed_kmh: float
    ) -> np.ndarray | None:
        """A cheap lower bound of `travel_time_min`, or None where there is none.

        Sea only (its edges are straight lines between cells: `network_times_bound`);
        a sea tree over ~12 k cells is the costliest query dispatch makes.
        """
        if mode != "sea":
            return None
        self._check_mode(mode)
        v = check_speed(speed_kmh)
        return network_times_bound(self._network(mode), origins_xy, dest_xy, v, v)

    # -------------------------------------------------------------- overrides
    def with_overrides(
        self, dem=None, landcover=None, boundaries=None, roads=None, roads_osm=None
    ) -> World:
        """New World with user data replacing layers (arrays/graphs or file paths).

        Args:
            dem: (ny, nx) array on this grid or a GeoTIFF path (resampled).
            landcover: (ny, nx) uint8 codes or a GeoTIFF path (nearest resampling).
            boundaries: {adcode: rings} or a GeoJSON path; re-rasterises ``district``.
            roads: networkx graph or an OSM path (.osm XML, .osm.pbf, GeoJSON lines).
            roads_osm: the scenario file's name for `roads` (an OSM path).
        """
        from sim.world import gis_io

        changes: dict[str, Any] = {}
        roads = roads if roads is not None else roads_osm
        if dem is not None:
            arr = (
                gis_io.load_raster(dem, self.grid, "bilinear") if _is_path(dem) else np.asarray(dem)
            )
            changes["elevation_m"] = np.where(self.is_land, np.nan_to_num(arr), self.elevation_m)
        if landcover is not None:
            arr = (
                gis_io.load_raster(landcover, self.grid, "nearest")
                if _is_path(landcover)
                else landcover
            )
            changes["landcover"] = np.asarray(arr).astype(np.uint8)
        if boundaries is not None:
            b = gis_io.load_boundaries(boundaries) if _is_path(boundaries) else boundaries
            changes["boundaries"] = b
            changes["district"] = gis_io.rasterize_boundaries(b, self.grid)
        if roads is not None:
            changes["roads"] = gis_io.load_osm_roads(roads, self.grid) if _is_path(roads) else roads
        return dataclasses.replace(self, **changes)

    @classmethod
    def synthetic(cls, size_km: float = 20, cell_m: float = 500, seed: int = 0) -> World:
        """Small flat test world (see :func:`sim.world.synthetic.build_synthetic`)."""
        from sim.world.synthetic import build_synthetic

        return build_synthetic(size_km=size_km, cell_m=cell_m, seed=seed)


def _is_path(obj) -> bool:
    return isinstance(obj, str | Path)
