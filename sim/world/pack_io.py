"""Load the committed Jiangmen data pack (``sim/world/pack``) into a World.

The pack is plain files (npz + csv + GeoJSON + markdown) so users can inspect
and edit them; it is produced by ``scripts/build_world_pack.py``.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

import networkx as nx
import numpy as np
import pandas as pd

from sim.world.errors import WorldError
from sim.world.gis_io import parse_boundaries
from sim.world.grid import Grid
from sim.world.world import World

PACK_PACKAGE = "sim.world.pack"


def _read(name: str) -> bytes:
    try:
        return resources.files(PACK_PACKAGE).joinpath(name).read_bytes()
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise WorldError(
            f"world pack file {name!r} missing; run scripts/build_world_pack.py"
        ) from exc


def _csv(name: str, **kw) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(_read(name)), **kw)


def graph_from_tables(nodes: pd.DataFrame, edges: pd.DataFrame, grid: Grid) -> nx.Graph:
    """Networkx graph with node lat/lon/x_m/y_m(/town_id) and the edge columns as attributes."""
    x, y = grid.to_xy(nodes["lat"].to_numpy(float), nodes["lon"].to_numpy(float))
    g = nx.Graph()
    has_town = "town_id" in nodes.columns
    for i, (nid, la, lo) in enumerate(
        zip(nodes["node_id"], nodes["lat"], nodes["lon"], strict=True)
    ):
        attrs = {"lat": float(la), "lon": float(lo), "x_m": float(x[i]), "y_m": float(y[i])}
        if has_town and isinstance(nodes["town_id"].iat[i], str) and nodes["town_id"].iat[i]:
            attrs["town_id"] = nodes["town_id"].iat[i]
        g.add_node(int(nid), **attrs)
    cols = [c for c in edges.columns if c not in ("u", "v")]
    for row in edges.itertuples(index=False):
        d = row._asdict()
        g.add_edge(int(d["u"]), int(d["v"]), **{c: d[c] for c in cols})
    return g


def _with_xy(df: pd.DataFrame, grid: Grid) -> pd.DataFrame:
    df = df.copy()
    df["x_m"], df["y_m"] = grid.to_xy(df["lat"].to_numpy(float), df["lon"].to_numpy(float))
    return df


def load_pack() -> World:
    """Read every pack file and assemble a fresh World (uncached)."""
    with np.load(io.BytesIO(_read("grid.npz"))) as z:
        arrays = {k: z[k] for k in z.files}
    grid = Grid(lat=arrays["lat"], lon=arrays["lon"])
    str_cols = {"name_zh": str, "name": str, "town_id": str}
    districts = _csv("districts.csv", keep_default_na=False)
    towns = _with_xy(_csv("towns.csv", dtype=str_cols, keep_default_na=False), grid)
    fac = _csv("facilities.csv", dtype={"name_zh": str, "source": str})
    fac["name_zh"] = fac["name_zh"].fillna("")
    fac["approximate"] = fac["approximate"].astype(bool)
    facilities = _with_xy(fac, grid)
    ports = _with_xy(_csv("ports.csv", keep_default_na=False), grid)
    roads = graph_from_tables(
        _csv("roads_nodes.csv", dtype={"town_id": str}, keep_default_na=False),
        _csv("roads_edges.csv", keep_default_na=False),
        grid,
    )
    rivers = graph_from_tables(
        _csv("rivers_nodes.csv"), _csv("rivers_edges.csv", keep_default_na=False), grid
    )
    boundaries = parse_boundaries(_read("boundaries.geojson").decode("utf-8"), "boundaries.geojson")
    return World(
        name="jiangmen",
        grid=grid,
        elevation_m=arrays["elevation_m"],
        is_land=arrays["is_land"],
        landcover=arrays["landcover"],
        district=arrays["district"],
        districts=districts,
        boundaries=boundaries,
        towns=towns,
        facilities=facilities,
        roads=roads,
        rivers=rivers,
        ports=ports,
        provenance=_read("PROVENANCE.md").decode("utf-8"),
    )


@cache
def load_jiangmen() -> World:
    """The embedded Jiangmen world (cached: every caller shares one instance)."""
    return load_pack()
