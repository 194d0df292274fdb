"""The typhoon disaster chain in whole runs: event order, flood invariants, paired effects."""

from __future__ import annotations

import json

import numpy as np
import pytest

from scenarios.typhoon.hydro.inundation import RiverFloodplain, UrbanWaterlogging
from scenarios.typhoon.hydro.natech import NatechModel
from scenarios.typhoon.hydro.params import Tank
from sim.run import load_world, run
from sim.scenario import load_scenario


def _shorter(scen, hours):
    return scen.model_copy(
        update={"scenario": scen.scenario.model_copy(update={"duration_h": float(hours)})}
    )


def _with_chain(scen, **kw):
    chain = scen.hazard.chain.model_copy(update=kw)
    return scen.model_copy(update={"hazard": scen.hazard.model_copy(update={"chain": chain})})


def _payloads(ev, kind):
    return [json.loads(p) for p in ev.loc[ev.kind == kind, "payload"]]


@pytest.fixture(scope="module")
def mangkhut_chain():
    scen = load_scenario("scenarios/typhoon/mangkhut_2018_chain.yaml")
    world = load_world(scen)
    res = run(scen, 1, world=world, keep_model=True)
    return scen, world, res


@pytest.fixture(scope="module")
def rainstorm():
    scen = _shorter(load_scenario("scenarios/typhoon/tanjiang_rainstorm.yaml"), 40)
    return scen, load_world(scen)


def test_mangkhut_chain_rains_on_jiangmen_and_links_appear_in_causal_order(mangkhut_chain):
    _, world, res = mangkhut_chain
    ev = res.events()
    ch = res.model.hazard.chain
    jm = np.asarray(world.district) > 0
    total = ch.rain.total[jm & np.asarray(world.is_land)]
    # Jiangmen storm totals: a wet but plausible typhoon (Guangdong's max point total for
    # Mangkhut was 426 mm, weather.com.cn via jssgrhb.net mirror)
    assert 30.0 < total.mean() < 250.0
    assert total.max() < 600.0
    first = {k: ev.loc[ev.kind == k, "t_min"].min() for k in ev.kind.unique()}
    wet = ev.loc[ev.kind == "rain_hourly", "payload"].str.contains('"land_max_mm":0.0,') == False  # noqa: E712
    first_rain = ev.loc[ev.kind == "rain_hourly"].loc[wet, "t_min"].min()
    assert first_rain < first["river_above_warning"]
    assert first_rain < first["landslide"]
    cut = ev[(ev.kind == "road_closed") & ev.payload.str.contains('"landslide"')]
    assert len(cut) > 0 and cut.t_min.min() >= first["landslide"]
    passed = _payloads(ev, "storm_passed")[0]
    assert passed["rain_total_max_mm"] > 0 and "landslide_cells" in passed


@pytest.fixture(scope="module")
def rainstorm_run(rainstorm):
    scen, world = rainstorm
    return run(scen, 1, world=world, keep_model=True)


def test_rainstorm_chain_rain_stage_overtopping_road_cut_trapped(rainstorm_run):
    ev = rainstorm_run.events()
    first = {k: ev.loc[ev.kind == k, "t_min"].min() for k in ev.kind.unique()}
    assert first["river_above_warning"] < first["river_above_guarantee"]
    assert first["river_above_warning"] <= first["river_overtopping"]
    cut = ev[(ev.kind == "road_closed") & ev.payload.str.contains('"river_flood"')]
    assert len(cut) > 0 and cut.t_min.min() >= first["river_overtopping"]
    logged = ev[(ev.kind == "road_closed") & ev.payload.str.contains('"waterlogging"')]
    assert len(logged) > 0  # 开平/恩平 streets: rain above the drainage capacity
    trapped = _payloads(ev, "people_trapped")
    assert trapped and {p["cause"] for p in trapped} <= {"flood", "landslide"}
    assert min(p.get("depth_m", 9) for p in trapped) >= 1.0  # the scenario trap depth (rounded)


def test_no_cell_above_the_rivers_flood_level_floods(rainstorm_run):
    fp = rainstorm_run.model.hazard.chain.floodplain
    wet = fp.depth > 0
    assert wet.any() or fp.max_depth.max() > 0
    # flooded cells sit below the water standing over their reach (HAND < level)
    assert np.all(fp.hand[wet] < fp.level[wet])
    assert not np.any(fp.depth[fp.hand >= fp.level] > 0)


def _fp(elev, ground=1.0, area=1.0, reach=None, n_reach=1):
    elev = np.atleast_2d(np.asarray(elev, float))
    reach = np.zeros(elev.shape, int) if reach is None else np.atleast_2d(reach)
    return RiverFloodplain(
        elev,
        np.ones_like(elev, bool),
        reach,
        np.zeros(elev.shape),
        np.full(n_reach, ground),
        2.0,
        0.5,
        area,
    )


def test_floodplain_only_below_level_and_only_when_water_is_stored():
    fp = _fp([1.0, 2.0, 5.0, 0.5])  # HAND 0, 1, 4, 0 (clipped: the 0.5 m cell is below)
    assert not fp.update(np.array([0.0])).any()  # nothing stored: nothing floods
    d = fp.update(np.array([3.5]))  # 1.5 + 0.5 + 1.5 m3 on 1 m2 cells: level 1.5 m
    np.testing.assert_allclose(d, [[1.5, 0.5, 0.0, 1.5]])


def test_hand_fill_reproduces_the_analytic_level():
    # V(L) = A sum_{HAND_i < L} (L - HAND_i) (Zheng et al. 2018, JAWRA 54:785, HAND
    # volume-stage relation). HAND 0,1,2,3 on 100 m2 cells:
    # V = 250 m3 -> 100 (2L - 1) = 250 -> L = 1.75 (two cells wet);
    # V = 1000 m3 -> 100 (4L - 6) = 1000 -> L = 4.0 (all four wet, above the highest).
    fp = _fp([[3.0, 1.0, 4.0, 2.0]], ground=1.0, area=100.0)
    assert fp.levels(np.array([250.0]))[0] == pytest.approx(1.75)
    assert fp.levels(np.array([1000.0]))[0] == pytest.approx(4.0)
    assert fp.levels(np.array([100.0]))[0] == pytest.approx(1.0)  # at a breakpoint
    d = fp.update(np.array([250.0]))
    np.testing.assert_allclose(d, [[0.0, 1.75, 0.0, 0.75]])


def test_hand_fill_conserves_volume_and_floods_nothing_above_the_level():
    rng = np.random.default_rng(3)
    shape, n = (40, 50), 7
    elev = rng.gamma(2.0, 2.0, shape)
    reach = rng.integers(0, n, shape)
    reach[0, 0] = 0
    fp = _fp(elev, ground=0.0, area=850_000.0, reach=reach, n_reach=n)
    vol = rng.uniform(0, 5e7, n)
    vol[2] = 0.0  # a dry reach stays dry
    d = fp.update(vol)
    per_reach = np.bincount(reach.ravel(), weights=d.ravel() * fp.area, minlength=n)
    np.testing.assert_allclose(per_reach, vol, rtol=1e-6)  # volume in = volume on the cells
    assert not d[reach == 2].any()
    lvl = fp.reach_level[reach]
    assert not np.any(d[fp.hand >= lvl] > 0)  # no cell above its reach's level floods
    np.testing.assert_allclose(d[d > 0], (lvl - fp.hand)[d > 0])  # depth = level - HAND
    # brute force: the level by bisection on V(L) matches the sorted-table lookup
    for j in range(n):
        h = fp.hand[reach == j]
        lo, hi = 0.0, 1e3
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if fp.area * np.fmax(mid - h, 0).sum() < vol[j] else (lo, mid)
        if vol[j] > 0:
            assert fp.reach_level[j] == pytest.approx(lo, rel=1e-6)


def test_rainstorm_floodplain_holds_exactly_the_water_the_channels_spilled(rainstorm_run):
    ch = rainstorm_run.model.hazard.chain
    rv, fp = ch.rivers, ch.floodplain
    assert rv.spilled_m3 > 0
    stored = rv.spilled_m3 - rv.returned_m3
    assert rv.fp_store_m3.sum() == pytest.approx(stored, rel=1e-6)
    assert fp.volume_m3() == pytest.approx(stored, rel=1e-6)
    # a reach that can spill never passes more than its design flow downstream
    assert np.all(rv.peak_q[rv.can_spill] <= rv.q_design[rv.can_spill] * (1 + 1e-9))


def test_waterlogging_only_above_drainage_capacity():
    u = UrbanWaterlogging(np.array([True, False]), 30.0, ponding_share=0.5)
    assert u.update(np.array([20.0, 90.0]), 60.0).tolist() == [0.0, 0.0]
    np.testing.assert_allclose(u.update(np.array([50.0, 90.0]), 60.0), [0.04, 0.0])  # 20 mm / 0.5
    np.testing.assert_allclose(
        u.update(np.array([0.0, 0.0]), 60.0), [0.0, 0.0]
    )  # drains at 30 mm/h


def test_no_rain_gives_no_river_flood(rainstorm):
    scen, world = rainstorm
    dry = _with_chain(scen, rain=scen.hazard.chain.rain.model_copy(update={"scale": 0.0}))
    ev_wet = run(scen, 1, world=world).events()
    ev_dry = run(dry, 1, world=world).events()
    flood_kinds = ["river_above_warning", "river_above_guarantee", "river_overtopping"]
    assert ev_wet.kind.isin(flood_kinds).sum() > 0
    assert ev_dry.kind.isin(flood_kinds).sum() == 0
    assert not _payloads(ev_dry, "people_trapped")


def test_earlier_flood_evacuation_traps_fewer_people(rainstorm):
    scen, world = rainstorm

    # only the flood order (the coastal typhoon order would compete for shelter room and
    # change which groups fit, which is a shelter-capacity effect, not an evacuation-time one)
    def trapped(lead_h):
        evs = [
            o.model_copy(update={"lead_h": lead_h})
            for o in scen.hazard.evacuations
            if o.id == "E-tanjiang-low"
        ]
        s = scen.model_copy(update={"hazard": scen.hazard.model_copy(update={"evacuations": evs})})
        return sum(
            p["people"] for p in _payloads(run(s, 1, world=world).events(), "people_trapped")
        )

    # landfall + 10 h (T+32 h): the order comes as the basin spell's flood reaches the
    # zone's homes; 12 h before landfall: everyone in the zone who finds shelter room is
    # gone in time.
    late, early = trapped(-10.0), trapped(12.0)
    assert late > 0
    assert early < late


def test_raising_tank_fragility_thresholds_gives_fewer_natech_releases():
    scen = _shorter(load_scenario("scenarios/typhoon/natech_zhuxi_typhoon.yaml"), 36)
    world = load_world(scen)
    chain = scen.hazard.chain
    stronger = [
        t.model_copy(update={"wind_median_m_s": t.wind_median_m_s * 1.3}) for t in chain.tanks
    ]
    robust = _with_chain(scen, tanks=stronger)
    n_base = n_robust = 0
    for seed in (1, 2):
        n_base += len(_payloads(run(scen, seed, world=world).events(), "natech_release_started"))
        n_robust += len(
            _payloads(run(robust, seed, world=world).events(), "natech_release_started")
        )
    assert n_base > 0
    assert n_robust < n_base


def test_release_plume_goes_downwind_with_the_storm_wind():
    class _Grid:
        def index_xy(self, x, y):
            return np.zeros(np.size(x), int), np.zeros(np.size(x), int)

    tank = Tank(
        id="T1",
        lat=22.375,
        lon=113.085,
        chemical="hydrogen_chloride",
        inventory_kg=1e5,
        release_rate_kg_s=5.0,
        diameter_m=10,
        height_m=10,
        shell_mass_kg=2e4,
    )
    nm = NatechModel([tank], _Grid(), np.random.default_rng(0))
    nm.failed[:] = True
    nm.release(600.0, np.array([[20.0]]), np.array([[0.0]]))  # wind towards the east
    x0, y0 = nm.x[0], nm.y[0]
    down, up = nm.ppm_at(np.array([x0 + 2000.0, x0 - 2000.0]), np.array([y0, y0]))
    assert down > 0 and up == 0.0
    assert nm.released_kg[0] == pytest.approx(3000.0)


def _trap_deaths(ev, cause="flood"):
    cas = ev[(ev.kind == "casualties") & ev.subject_id.astype(str).str.startswith(f"TRAP-{cause}")]
    return sum(json.loads(p)["expected_deaths"] for p in cas.payload), len(cas)


def _with_evac_lead(scen, lead_h):
    evs = [
        o.model_copy(update={"lead_h": lead_h})
        for o in scen.hazard.evacuations
        if o.id == "E-tanjiang-low"
    ]
    return scen.model_copy(update={"hazard": scen.hazard.model_copy(update={"evacuations": evs})})


def test_trapped_people_become_rescue_incidents_with_survival(rainstorm_run):
    ev = rainstorm_run.events()
    trapped = ev[ev.kind == "people_trapped"]
    rep = ev[ev.kind == "incident_reported"]
    kinds = {json.loads(p)["incident_kind"]: json.loads(p) for p in rep.payload}
    assert kinds["flood_trapped"]["needs"] == "water_rescue"
    assert kinds["flood_trapped"]["domain"] == "flood"
    assert kinds["flood_trapped"]["survival"] == "cut_off"
    # every trapping names its incident, and the incident's people add up to the trapped
    pt = [json.loads(p) for p in trapped.payload]
    assert set(trapped.incident_id) <= set(rep.incident_id)
    cas = ev[(ev.kind == "casualties") & ev.subject_id.astype(str).str.startswith("TRAP-")]
    assert sum(json.loads(p)["people"] for p in cas.payload) == sum(p["people"] for p in pt)
    # proportional trapping: no group is trapped whole unless all its footprint is deep
    assert all(p["people"] <= p["group_people"] * p["footprint_share"] + 1 for p in pt)
    assert any(p["footprint_share"] < 1.0 for p in pt)


def test_earlier_flood_evacuation_gives_fewer_flood_deaths(rainstorm):
    scen, world = rainstorm
    late, n_late = _trap_deaths(run(_with_evac_lead(scen, -10.0), 1, world=world).events())
    early, _ = _trap_deaths(run(_with_evac_lead(scen, 12.0), 1, world=world).events())
    assert n_late > 0
    assert early < late


def test_more_boats_give_fewer_flood_deaths(rainstorm):
    scen, world = rainstorm
    units = [
        u.model_copy(update={"count": u.count * 3}) if "water_rescue" in u.capabilities else u
        for u in scen.plan.units
    ]
    more = scen.model_copy(update={"plan": scen.plan.model_copy(update={"units": units})})
    base, n = _trap_deaths(run(scen, 1, world=world).events())
    boats, _ = _trap_deaths(run(more, 1, world=world).events())
    assert n > 0
    assert boats < base


def test_flood_trapped_at_risk_share_is_jonkman_mortality_of_the_deep_cells(rainstorm_run):
    from scenarios.typhoon.hydro.mortality import jonkman_remaining_zone as fd

    ev = rainstorm_run.events()
    pt = [p for p in _payloads(ev, "people_trapped") if p["cause"] == "flood"]
    assert pt
    lo = float(fd(1.0))  # the scenario's trap depth: every counted cell is deeper
    for p in pt:
        assert lo <= p["at_risk_share"] <= float(fd(p["depth_m"] + 0.005)) + 1e-9
        assert p["at_risk_people"] == pytest.approx(p["people"] * p["at_risk_share"], abs=1e-3)
    # at the rescue the share is never below the trapping's (water rising before the boat)
    cas = ev[(ev.kind == "casualties") & ev.subject_id.astype(str).str.startswith("TRAP-flood")]
    shares = [json.loads(p)["at_risk_share"] for p in cas.payload]
    assert shares and max(shares) < 0.05  # remaining-zone mortality stays of order 1 %


def test_everyone_at_risk_gives_more_flood_deaths_than_jonkman_share(rainstorm):
    scen, world = rainstorm
    rescue = scen.hazard.chain.rescue.model_copy(update={"flood_mortality": None})
    all_risk, n = _trap_deaths(run(_with_chain(scen, rescue=rescue), 1, world=world).events())
    share, n2 = _trap_deaths(run(scen, 1, world=world).events())
    assert n > 0 and n == n2  # the same trappings and incidents, only who is at risk differs
    assert share < 0.05 * all_risk


def test_trappings_go_up_the_reporting_chain_once_per_town_and_cause(rainstorm_run):
    """A duty desk files one 灾情 report per town and cause, not one per trapped group.

    Before this, the rainstorm's ~150 rescue incidents each queued at their town's two
    duty desks and most reports missed the 1 h deadline of 国务院令第493号 Art. 9.
    """
    ev = rainstorm_run.events()
    rep = ev[(ev.kind == "incident_reported") & ev.incident_id.astype(str).str.startswith("TRAP-")]
    keys = {json.loads(p).get("report_key") for p in rep.payload}
    assert len(rep) > len(keys) > 0  # several trappings share a town's report
    res = rainstorm_run.model.residents
    towns = {str(t) for t in res.town}
    assert all(k.split(":", 1)[0] in ("flood", "landslide") for k in keys)
    assert all(k.split(":", 1)[1] in towns for k in keys)
    esc = [json.loads(p)["report_key"] for p in ev[ev.kind == "incident_escalated"].payload]
    assert len(esc) == len(set(esc))  # each report reaches the city once
    assert keys <= set(esc)  # and every town's flood/landslide report gets there


def test_no_one_goes_home_into_a_flood_that_is_still_coming(rainstorm):
    """The all-clear waits for the river flood warning to lapse (observed and forecast stage
    below the warning level): before, 5 groups went home after the wind and were trapped."""
    _, world = rainstorm  # the whole 60 h scenario: returns come after 40 h
    ev = run(load_scenario("scenarios/typhoon/tanjiang_rainstorm.yaml"), 1, world=world).events()
    back = ev[ev.kind == "group_returned_home"].groupby("subject_id").t_min.min()
    assert len(back) > 0
    tr = ev[ev.kind == "people_trapped"]
    assert len(tr) > 0
    assert not (tr.subject_id.map(back) < tr.t_min).any()
    warned = ev[ev.kind == "flood_warning_issued"].t_min.min()
    assert back.min() > warned  # nobody returned while the warning was in force
