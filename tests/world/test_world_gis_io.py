import json

import numpy as np
import pytest

from sim.world import World, WorldError
from sim.world.gis_io import load_boundaries, load_osm_roads, load_raster

OSM = """<?xml version="1.0"?>
<osm version="0.6">
  <node id="1" lat="22.40" lon="112.88"/>
  <node id="2" lat="22.40" lon="112.90"/>
  <node id="3" lat="22.41" lon="112.90"/>
  <node id="4" lat="22.42" lon="112.91"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/><tag k="maxspeed" v="50"/></way>
  <way id="11"><nd ref="3"/><nd ref="4"/><tag k="highway" v="motorway"/></way>
  <way id="12"><nd ref="1"/><nd ref="4"/><tag k="highway" v="footway"/></way>
</osm>"""


@pytest.fixture(scope="module")
def syn():
    return World.synthetic()


def test_osm_roads(tmp_path, syn):
    p = tmp_path / "roads.osm"
    p.write_text(OSM)
    g = load_osm_roads(p, syn.grid)
    assert g.number_of_edges() == 3
    assert g.edges[1, 2]["speed_kmh"] == 50 and g.edges[3, 4]["road_class"] == "expressway"
    w2 = syn.with_overrides(roads=str(p))
    r = w2.route(
        "road", (g.nodes[1]["x_m"], g.nodes[1]["y_m"]), (g.nodes[4]["x_m"], g.nodes[4]["y_m"]), 200
    )
    assert np.isfinite(r.time_min) and w2.roads is not syn.roads


def test_osm_malformed_names_file(tmp_path, syn):
    p = tmp_path / "bad.osm"
    p.write_text("<osm><way id='1'><nd ref='9'/><tag k='highway' v='primary'/></way></osm>")
    with pytest.raises(WorldError, match=r"bad\.osm.*missing node 9"):
        load_osm_roads(p, syn.grid)
    p2 = tmp_path / "broken.osm"
    p2.write_text("<osm><node")
    with pytest.raises(WorldError, match=r"broken\.osm.*not valid OSM XML"):
        load_osm_roads(p2, syn.grid)


def test_geojson_boundaries(tmp_path, syn):
    w, s, e, n = syn.grid.bounds
    ring = [[w, s], [(w + e) / 2, s], [(w + e) / 2, n], [w, n], [w, s]]
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"adcode": 1},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    p = tmp_path / "b.geojson"
    p.write_text(json.dumps(fc))
    b = load_boundaries(p)
    assert list(b) == [1]
    w2 = syn.with_overrides(boundaries=p)
    assert set(np.unique(w2.district)) == {0, 1}
    assert (w2.district[:, : syn.grid.shape[1] // 2 - 1] == 1).all()
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {"type": "Point", "coordinates": [1, 2]},
                    }
                ],
            }
        )
    )
    with pytest.raises(WorldError, match=r"bad\.geojson.*Polygon"):
        load_boundaries(bad)
    notjson = tmp_path / "x.geojson"
    notjson.write_text("{nope")
    with pytest.raises(WorldError, match=r"x\.geojson.*invalid JSON"):
        load_boundaries(notjson)


def test_array_overrides(syn):
    dem = np.full(syn.grid.shape, 42.0)
    w2 = syn.with_overrides(dem=dem, landcover=np.full(syn.grid.shape, 3))
    assert w2.elevation_m[syn.is_land].min() == 42 and (w2.elevation_m[~syn.is_land] == 0).all()
    assert (w2.landcover == 3).all() and (syn.landcover != 3).any()


def test_geotiff_dem(tmp_path, syn):
    rasterio = pytest.importorskip("rasterio")
    from rasterio.transform import from_origin

    w, s, e, n = syn.grid.bounds
    data = np.tile(np.linspace(0, 100, 50, dtype=np.float32), (50, 1))
    p = tmp_path / "dem.tif"
    with rasterio.open(p, "w", driver="GTiff", height=50, width=50, count=1, dtype="float32", crs="EPSG:4326",
                       transform=from_origin(w, n, (e - w) / 50, (n - s) / 50)) as dst:  # fmt: skip
        dst.write(data, 1)
    arr = load_raster(p, syn.grid)
    assert arr.shape == syn.grid.shape and np.nanmax(arr) > 90 and np.nanmin(arr) < 10
    assert np.all(np.diff(arr[5]) >= -1e-3)  # increases eastwards
    w2 = syn.with_overrides(dem=p)
    assert w2.elevation_m[syn.is_land].max() > 90
    bad = tmp_path / "bad.tif"
    bad.write_text("not a tiff")
    with pytest.raises(WorldError, match=r"bad\.tif"):
        load_raster(bad, syn.grid)
