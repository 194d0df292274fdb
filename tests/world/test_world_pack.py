import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim.world
from sim.world import World, load_jiangmen
from sim.world.pack_io import load_pack
from sim.world.world import FOREST_CODES

CENSUS = {440781: 907_772, 440783: 748_777, 440784: 530_684, 440785: 483_907}
PJX_TOTAL = 2_126_950  # 212.69万 midpoint; split rule is approximate
CITY_TOTAL = 4_798_090
PACK = Path(sim.world.__file__).parent / "pack"


@pytest.fixture(scope="module")
def jm() -> World:
    return load_jiangmen()


def test_load_is_fast_and_cached(jm):
    t = time.perf_counter()
    load_pack()
    assert time.perf_counter() - t < 1.0
    assert load_jiangmen() is jm


def test_grid_extent_and_offshore_cover(jm):
    g = jm.grid
    assert g.shape == (198, 186) and g.cell_size_deg == pytest.approx(1 / 120)
    w, s, e, n = g.bounds
    assert (w, s, e, n) == pytest.approx((111.80, 21.30, 113.35, 22.95))
    # 12 nmi (22.2 km) south of the southern-most Jiangmen land (下川岛 ~21.56°N) is inside the grid.
    rows = np.nonzero((jm.district > 0).any(axis=1))[0]
    south_lat = g.lat[rows.max()]
    assert south_lat - 22.224 / 111.0 > s
    assert g.x_m.shape == g.shape and np.all(np.diff(g.x_m[0]) > 0)


def test_population_matches_census(jm):
    pops = jm.towns.groupby("adcode")["population"].sum()
    d = jm.districts.set_index("adcode")["pop_2020"]
    for code, total in CENSUS.items():
        assert pops[code] == total == d[code]
    assert pops[[440703, 440704, 440705]].sum() == PJX_TOTAL
    assert pops.sum() == CITY_TOTAL
    assert (jm.towns["population"] > 0).all()
    heshan = pd.read_csv(PACK / "sources" / "heshan_towns_census.csv")
    shaping = jm.towns.query("name == 'Shaping'")["population"].iloc[0]
    assert shaping >= heshan.query("geonames == 'Shaping'")["pop_2020"].iloc[0]


def test_forest_share(jm):
    inside = (jm.district > 0) & jm.is_land
    area = np.cos(np.radians(jm.grid.lat))[:, None] * np.ones(jm.grid.shape)
    share = area[inside & np.isin(jm.landcover, FOREST_CODES)].sum() / area[inside].sum()
    assert share == pytest.approx(0.4372, abs=0.02)
    assert (jm.landcover[~jm.is_land] == 0).all()


def test_islands_are_land(jm):
    x, y = jm.grid.to_xy(np.array([21.70, 21.65]), np.array([112.77, 112.58]))  # 上川岛, 下川岛
    assert jm.sample("is_land", x, y).all()
    assert (jm.sample("district", x, y) == 440781).all()


def test_summits_reproduced(jm):
    s = pd.read_csv(PACK / "summits_placed.csv")
    z = jm.sample("elevation_m", *jm.grid.to_xy(s["lat"].to_numpy(), s["lon"].to_numpy()))
    assert np.allclose(z, s["elev_m"], atol=1.0)
    assert jm.elevation_m.max() == pytest.approx(1250, abs=1)
    assert (jm.elevation_m[~jm.is_land] == 0).all()


def test_tables_and_boundaries(jm):
    assert set(jm.boundaries) == {440703, 440704, 440705, 440781, 440783, 440784, 440785}
    assert set(np.unique(jm.district)) == {0, *jm.boundaries}
    f = jm.facilities
    assert {
        "fire_station",
        "depot",
        "shelter",
        "hospital",
        "sea_rescue",
        "air_base",
        "lookout",
        "port",
    } <= set(f["kind"])
    assert (f.query("kind == 'depot'")["level"] == "city").sum() == 2 and (
        f.query("kind == 'depot'")["level"] == "county"
    ).sum() == 7
    for col in (
        "facility_id",
        "name_zh",
        "adcode",
        "capacity",
        "area_m2",
        "approximate",
        "source",
        "x_m",
        "y_m",
    ):
        assert col in f.columns
    assert {"urban", "name_en", "area_km2"} <= set(jm.districts.columns)
    assert "approximate" in jm.provenance.lower()
