"""`world.roads_osm`: a user's OSM extract (.osm, .osm.pbf, GeoJSON) becomes the road graph.

The extracts are built here: one straight road between two synthetic towns,
either a motorway (100 km/h) or a track (15 km/h); routes between the towns
must follow it at its speed.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import osmium
import pytest
import yaml

from sim.errors import ScenarioError
from sim.run import load_world
from sim.scenario import load_scenario

DRILL = Path(__file__).parents[1] / "fixtures" / "synthetic_drill.yaml"
A = (22.382034, 112.855084)  # synthetic towns T0 and T1, ~9.25 km apart
B = (22.382034, 112.944916)
MID = (22.382034, 112.9)


def _osm_xml(path: Path, highway: str) -> None:
    nodes = "".join(
        f'<node id="{i}" lat="{la}" lon="{lo}"/>' for i, (la, lo) in enumerate((A, MID, B), 1)
    )
    way = (
        f'<way id="9"><nd ref="1"/><nd ref="2"/><nd ref="3"/><tag k="highway" v="{highway}"/></way>'
    )
    path.write_text(f'<?xml version="1.0"?><osm version="0.6">{nodes}{way}</osm>')


def _osm_pbf(path: Path, highway: str) -> None:
    w = osmium.SimpleWriter(str(path))
    for i, (la, lo) in enumerate((A, MID, B), 1):
        w.add_node(osmium.osm.mutable.Node(id=i, location=(lo, la)))
    w.add_way(osmium.osm.mutable.Way(id=9, nodes=[1, 2, 3], tags={"highway": highway}))
    w.close()


def _geojson(path: Path, highway: str) -> None:
    line = [[lo, la] for la, lo in (A, MID, B)]
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature",
          "properties": {"highway": highway}, "geometry": {"type": "LineString", "coordinates": line}}]}  # fmt: skip
    path.write_text(json.dumps(fc))


WRITERS = {"roads.osm": _osm_xml, "roads.osm.pbf": _osm_pbf, "roads.geojson": _geojson}


def _scenario(tmp_path: Path, name: str, highway: str):
    sub = tmp_path / highway
    sub.mkdir()
    WRITERS[name](sub / name, highway)
    d = yaml.safe_load(DRILL.read_text())
    d["world"] = {"pack": "synthetic", "roads_osm": name}  # relative to the scenario file
    f = sub / "drill.yaml"
    f.write_text(yaml.safe_dump(d, allow_unicode=True))
    return load_scenario(f)


def _minutes(world, speed_kmh: float = 200.0) -> float:
    from sim.geo import to_utm

    a, b = (np.array(to_utm(*p), dtype=float) for p in (A, B))
    return float(world.travel_time_min("road", a, b, speed_kmh)[0])


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_extract_replaces_the_road_graph_and_routes_follow_its_speed(tmp_path, name):
    fast = load_world(_scenario(tmp_path, name, "motorway"))
    slow = load_world(_scenario(tmp_path, name, "track"))
    assert fast.roads.number_of_nodes() == 3 and fast.roads.number_of_edges() == 2
    assert {d["speed_kmh"] for *_, d in fast.roads.edges(data=True)} == {100.0}
    length_km = sum(d["length_m"] for *_, d in fast.roads.edges(data=True)) / 1000
    assert 9.0 < length_km < 9.5
    # Town to town along the one road: length / road speed (the towns sit on its ends).
    assert _minutes(fast) == pytest.approx(length_km / 100 * 60, rel=1e-6)
    assert _minutes(slow) == pytest.approx(length_km / 15 * 60, rel=1e-6)


def test_extract_changes_routes_against_the_built_in_roads(tmp_path, synthetic_world):
    own = load_world(_scenario(tmp_path, "roads.osm", "motorway"))
    assert _minutes(own) < _minutes(synthetic_world)  # a direct motorway beats the sketch


def test_missing_or_broken_extract_is_one_line(tmp_path):
    d = yaml.safe_load(DRILL.read_text())
    d["world"] = {"pack": "synthetic", "roads_osm": "nowhere.osm.pbf"}
    f = tmp_path / "drill.yaml"
    f.write_text(yaml.safe_dump(d))
    with pytest.raises(ScenarioError) as e:
        load_scenario(f)
    (p,) = e.value.problems
    assert p.startswith(f"world.roads_osm: got '{tmp_path / 'nowhere.osm.pbf'}'; expected an OSM")
    (tmp_path / "broken.geojson").write_text("{not json")
    d["world"]["roads_osm"] = "broken.geojson"
    f.write_text(yaml.safe_dump(d))
    with pytest.raises(ScenarioError) as e:
        load_scenario(f)
    assert (
        e.value.problems[0].startswith("world.roads_osm: got ")
        and "invalid JSON" in e.value.problems[0]
    )
