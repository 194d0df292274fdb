"""Readers for user GIS data: GeoTIFF rasters, GeoJSON boundaries, OSM roads.

Only rasters need an optional dependency (rasterio, ``pip install jmsim[gis]``);
GeoJSON and OSM XML are parsed with the standard library, OSM PBF with pyosmium.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
from matplotlib.path import Path as MplPath

from sim.world.errors import WorldError
from sim.world.grid import Grid

#: OSM highway=* -> (road_class, default speed km/h) when no maxspeed tag.
OSM_HIGHWAY_CLASSES: dict[str, tuple[str, float]] = {
    "motorway": ("expressway", 100.0),
    "motorway_link": ("expressway", 60.0),
    "trunk": ("trunk", 80.0),
    "trunk_link": ("trunk", 50.0),
    "primary": ("trunk", 60.0),
    "primary_link": ("trunk", 40.0),
    "secondary": ("county", 50.0),
    "secondary_link": ("county", 40.0),
    "tertiary": ("county", 40.0),
    "tertiary_link": ("county", 30.0),
    "unclassified": ("local", 30.0),
    "residential": ("local", 30.0),
    "living_street": ("local", 10.0),
    "service": ("local", 20.0),
    "track": ("local", 15.0),
}
_SKIP_HIGHWAYS = {
    "footway",
    "path",
    "cycleway",
    "steps",
    "pedestrian",
    "bridleway",
    "proposed",
    "construction",
}


# --------------------------------------------------------------------- rasters
def load_raster(path, grid: Grid, resampling: str = "bilinear", band: int = 1) -> np.ndarray:
    """Resample band ``band`` of a GeoTIFF (any CRS) onto ``grid``.

    Args:
        path: raster file readable by rasterio.
        grid: target grid (cells outside the raster become NaN).
        resampling: ``"bilinear"`` for DEMs, ``"nearest"`` for class codes.
        band: 1-based band index.
    """
    try:
        import rasterio
        from rasterio.transform import from_origin
        from rasterio.warp import Resampling, reproject
    except ImportError as exc:
        raise WorldError(f"{path}: reading rasters needs rasterio; install jmsim[gis]") from exc
    path = Path(path)
    if not path.exists():
        raise WorldError(f"{path}: file not found")
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                raise WorldError(f"{path}: raster has no CRS")
            data = src.read(band).astype(np.float64)
            if src.nodata is not None:
                data[data == src.nodata] = np.nan
            d = grid.cell_size_deg
            w, _, _, n = grid.bounds
            out = np.full(grid.shape, np.nan)
            reproject(
                data,
                out,
                src_transform=src.transform,
                src_crs=src.crs,
                src_nodata=np.nan,
                dst_transform=from_origin(w, n, d, d),
                dst_crs="EPSG:4326",
                dst_nodata=np.nan,
                resampling=getattr(Resampling, resampling),
            )
    except WorldError:
        raise
    except Exception as exc:  # rasterio raises several unrelated types
        raise WorldError(f"{path}: cannot read raster: {exc}") from exc
    return out


# ------------------------------------------------------------------ boundaries
def parse_boundaries(text: str, source: str = "<geojson>") -> dict[int, list[np.ndarray]]:
    """GeoJSON (FeatureCollection/Feature/geometry) -> {adcode: [ring (k, 2) lon/lat]}.

    Features are keyed by ``properties.adcode`` (else ``id``, else their index).
    """
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise WorldError(f"{source}: invalid JSON: {exc}") from exc
    if not isinstance(obj, dict) or "type" not in obj:
        raise WorldError(f"{source}: not a GeoJSON object (missing 'type')")
    if obj["type"] == "FeatureCollection":
        feats = obj.get("features")
        if not isinstance(feats, list):
            raise WorldError(f"{source}: FeatureCollection without a 'features' list")
    elif obj["type"] == "Feature":
        feats = [obj]
    else:
        feats = [{"type": "Feature", "properties": {}, "geometry": obj}]
    out: dict[int, list[np.ndarray]] = {}
    for i, f in enumerate(feats):
        props = f.get("properties") or {}
        key = props.get("adcode", f.get("id", i))
        try:
            code = int(key)
        except (TypeError, ValueError) as exc:
            raise WorldError(f"{source}: feature {i} has non-integer adcode {key!r}") from exc
        geom = f.get("geometry") or {}
        gtype = geom.get("type")
        coords = geom.get("coordinates")
        if gtype == "Polygon":
            polys = [coords]
        elif gtype == "MultiPolygon":
            polys = coords
        else:
            raise WorldError(
                f"{source}: feature {i} geometry must be Polygon/MultiPolygon, got {gtype!r}"
            )
        try:
            rings = [np.asarray(r, dtype=float)[:, :2] for p in polys for r in p]
        except (TypeError, ValueError, IndexError) as exc:
            raise WorldError(f"{source}: feature {i} has malformed coordinates") from exc
        if any(len(r) < 4 for r in rings):
            raise WorldError(f"{source}: feature {i} has a ring with fewer than 4 points")
        out.setdefault(code, []).extend(rings)
    return out


def load_boundaries(path) -> dict[int, list[np.ndarray]]:
    """Read a GeoJSON file of district polygons (WGS84 lon/lat)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise WorldError(f"{path}: cannot read: {exc}") from exc
    return parse_boundaries(text, str(path))


def boundaries_to_geojson(
    boundaries: dict[int, list[np.ndarray]], props: dict[int, dict] | None = None
) -> dict:
    """Inverse of :func:`parse_boundaries`; each ring becomes its own polygon (even-odd holes)."""
    feats = []
    for code, rings in boundaries.items():
        coords = [[np.round(r, 5).tolist()] for r in rings]
        p = {"adcode": int(code), **((props or {}).get(code, {}))}
        feats.append(
            {
                "type": "Feature",
                "properties": p,
                "geometry": {"type": "MultiPolygon", "coordinates": coords},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def rasterize_boundaries(boundaries: dict[int, list[np.ndarray]], grid: Grid) -> np.ndarray:
    """Adcode per cell centre (0 outside); rings of one adcode combine even-odd so holes work."""
    lon2, lat2 = np.meshgrid(grid.lon, grid.lat)
    pts = np.column_stack([lon2.ravel(), lat2.ravel()])
    out = np.zeros(pts.shape[0], dtype=np.int32)
    for code, rings in boundaries.items():
        inside = np.zeros(pts.shape[0], dtype=bool)
        for r in rings:
            lo, hi = r.min(axis=0), r.max(axis=0)
            box = np.all((pts >= lo) & (pts <= hi), axis=1)
            if box.any():
                hit = np.zeros_like(inside)
                hit[box] = MplPath(r).contains_points(pts[box])
                inside ^= hit
        out[inside & (out == 0)] = code
    return out.reshape(grid.shape)


# ----------------------------------------------------------------------- roads
def _maxspeed(tag: str | None) -> float | None:
    if not tag:
        return None
    m = re.match(r"\s*(\d+(?:\.\d+)?)\s*(mph)?", tag)
    if not m:
        return None
    v = float(m.group(1))
    return v * 1.609344 if m.group(2) else v


def load_osm_roads(src, grid: Grid) -> nx.Graph:
    """An OSM extract -> road graph in the World schema.

    ``src`` is a path to OSM XML (``.osm``), OSM PBF (``.osm.pbf``, read with
    pyosmium) or GeoJSON (``.geojson``/``.json``: LineString/MultiLineString
    features with a ``highway`` property), or OSM XML text itself. Ways tagged
    ``highway=*`` become edges between consecutive nodes with ``road_class``
    and ``speed_kmh`` from ``maxspeed`` or the class default.
    """
    name = str(src)
    if _is_path_like(src) and name.lower().endswith(".pbf"):
        coords, ways = _read_pbf(Path(name))
        label = name
    elif _is_path_like(src) and name.lower().endswith((".geojson", ".json")):
        coords, ways = _read_geojson_lines(Path(name))
        label = name
    else:
        label, coords, ways = _read_osm_xml(src)
    return _road_graph(coords, ways, grid, label)


def _is_path_like(src) -> bool:
    return isinstance(src, Path) or (isinstance(src, str) and not src.lstrip().startswith("<"))


Way = tuple[str, dict, list]  # (way id, tags, node refs)


def _read_osm_xml(src) -> tuple[str, dict, list[Way]]:
    label = "<osm xml>"
    try:
        if isinstance(src, str) and src.lstrip().startswith("<"):
            root = ET.fromstring(src)
        else:
            label = str(src)
            root = ET.parse(src).getroot()
    except (ET.ParseError, OSError) as exc:
        raise WorldError(f"{label}: not valid OSM XML: {exc}") from exc
    if root.tag != "osm":
        raise WorldError(f"{label}: root element is <{root.tag}>, expected <osm>")
    coords: dict[str, tuple[float, float]] = {}
    for nd in root.iter("node"):
        try:
            coords[nd.attrib["id"]] = (float(nd.attrib["lat"]), float(nd.attrib["lon"]))
        except (KeyError, ValueError) as exc:
            raise WorldError(
                f"{label}: node {nd.attrib.get('id', '?')} lacks valid lat/lon"
            ) from exc
    ways = [
        (
            way.attrib.get("id", "?"),
            {t.attrib.get("k"): t.attrib.get("v") for t in way.iter("tag")},
            [nd.attrib.get("ref") for nd in way.iter("nd")],
        )
        for way in root.iter("way")
    ]
    return label, coords, ways


def _read_pbf(path: Path) -> tuple[dict, list[Way]]:
    """Nodes and highway ways of an OSM PBF file (pyosmium, node locations attached)."""
    try:
        import osmium
    except ImportError as exc:  # pragma: no cover - osmium is a dependency
        raise WorldError(f"{path}: reading .osm.pbf needs pyosmium (pip install osmium)") from exc
    if not path.is_file():
        raise WorldError(f"{path}: file not found")
    coords: dict[str, tuple[float, float]] = {}
    ways: list[Way] = []
    try:
        for obj in osmium.FileProcessor(str(path)).with_locations():
            if not obj.is_way() or "highway" not in obj.tags:
                continue
            refs = []
            for n in obj.nodes:
                if n.location.valid():
                    coords[str(n.ref)] = (float(n.location.lat), float(n.location.lon))
                refs.append(str(n.ref))
            ways.append((str(obj.id), dict(obj.tags), refs))
    except RuntimeError as exc:
        raise WorldError(f"{path}: not a readable OSM PBF file: {exc}") from exc
    return coords, ways


def _read_geojson_lines(path: Path) -> tuple[dict, list[Way]]:
    """Roads from GeoJSON lines; nodes are shared where coordinates coincide (1e-7 deg)."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WorldError(f"{path}: cannot read: {exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WorldError(f"{path}: invalid JSON: {exc}") from exc
    feats = obj.get("features") if isinstance(obj, dict) else None
    if not isinstance(feats, list):
        raise WorldError(f"{path}: expected a GeoJSON FeatureCollection of road lines")
    coords: dict[str, tuple[float, float]] = {}
    ways: list[Way] = []
    for i, f in enumerate(feats):
        geom = (f or {}).get("geometry") or {}
        props = {str(k): str(v) for k, v in ((f or {}).get("properties") or {}).items()}
        if geom.get("type") == "LineString":
            lines = [geom.get("coordinates")]
        elif geom.get("type") == "MultiLineString":
            lines = geom.get("coordinates")
        else:
            continue
        for j, line in enumerate(lines or []):
            try:
                pts = [(float(p[1]), float(p[0])) for p in line]
            except (TypeError, ValueError, IndexError) as exc:
                raise WorldError(f"{path}: feature {i} has malformed coordinates") from exc
            refs = []
            for lat, lon in pts:
                key = f"{lat:.7f},{lon:.7f}"
                coords[key] = (lat, lon)
                refs.append(key)
            ways.append((f"{i}.{j}", props, refs))
    return coords, ways


def _road_graph(coords: dict, ways: list[Way], grid: Grid, label: str) -> nx.Graph:
    ids: dict[str, int] = {}
    g = nx.Graph()
    for wid, tags, refs in ways:
        hw = tags.get("highway")
        if not hw or hw in _SKIP_HIGHWAYS:
            continue
        cls, default = OSM_HIGHWAY_CLASSES.get(hw, ("local", 30.0))
        speed = _maxspeed(tags.get("maxspeed")) or default
        missing = [r for r in refs if r not in coords]
        if missing:
            raise WorldError(f"{label}: way {wid} references missing node {missing[0]}")
        for a, b in zip(refs[:-1], refs[1:], strict=True):
            if a != b:
                na = ids.setdefault(a, int(a) if a.lstrip("-").isdigit() else len(ids))
                nb = ids.setdefault(b, int(b) if b.lstrip("-").isdigit() else len(ids))
                g.add_edge(
                    na, nb, road_class=cls, speed_kmh=float(speed), name=tags.get("name", "")
                )
    if g.number_of_nodes() == 0:
        raise WorldError(f"{label}: no highway=* ways found")
    back = {v: k for k, v in ids.items()}
    nodes = list(g.nodes)
    lat = np.array([coords[back[n]][0] for n in nodes])
    lon = np.array([coords[back[n]][1] for n in nodes])
    x, y = grid.to_xy(lat, lon)
    pos = {}
    for n, la, lo, xi, yi in zip(nodes, lat, lon, x, y, strict=True):
        g.nodes[n].update(lat=float(la), lon=float(lo), x_m=float(xi), y_m=float(yi))
        pos[n] = (float(xi), float(yi))
    for a, b, d in g.edges(data=True):
        d["length_m"] = float(np.hypot(pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]))
    return g
