"""SCS curve-number runoff (TR-55), Muskingum routing (Chow et al. 1988), Caine (1980), tanks."""

import numpy as np
import pytest

from scenarios.typhoon.hydro.landslide import caine_threshold_mm_h, susceptibility
from scenarios.typhoon.hydro.muskingum import NetworkRouter, muskingum_coefficients, route_reach
from scenarios.typhoon.hydro.natech import flotation_height_m, lognormal_fragility
from scenarios.typhoon.hydro.runoff import (
    RunoffGrid,
    curve_numbers,
    potential_retention_in,
    scs_runoff_in,
    scs_runoff_mm,
)


@pytest.mark.parametrize(
    ("p_in", "cn", "q_in"),
    [
        # USDA NRCS TR-55 (1986) Table 2-1 "Runoff depth for selected CN's and rainfall
        # amounts" (eq. 2-3 with Ia = 0.2S, tabulated to 0.01 in)
        (5.0, 80, 2.89),
        (5.0, 75, 2.45),
        (1.0, 98, 0.79),
        (1.0, 60, 0.0),
    ],
)
def test_scs_runoff_reproduces_tr55_table_2_1(p_in, cn, q_in):
    assert float(scs_runoff_in(p_in, cn)) == pytest.approx(q_in, abs=0.005)


def test_scs_retention_and_units():
    assert float(potential_retention_in(80)) == pytest.approx(2.5)  # TR-55 eq. 2-4
    assert float(scs_runoff_mm(5.0 * 25.4, 80)) == pytest.approx(
        float(scs_runoff_in(5.0, 80)) * 25.4
    )


def test_runoff_grid_increments_sum_to_storm_total_and_start_after_ia():
    g = RunoffGrid(np.array([80.0, 100.0]))
    steps = [g.step(np.array([10.0, 10.0])) for _ in range(12)]
    total = np.sum(steps, axis=0)
    assert total[0] == pytest.approx(float(scs_runoff_mm(120.0, 80)))
    assert total[1] == pytest.approx(120.0)  # water: all rain is excess
    assert steps[0][0] == 0.0  # 10 mm < Ia = 0.2 * 63.5 mm


def test_curve_numbers_follow_soil_group():
    lc = np.array([[1, 5]], np.uint8)
    assert curve_numbers(lc, "A").tolist() == [[89, 30]]  # TR-55 Table 2-2: commercial, woods good
    assert curve_numbers(lc, "D").tolist() == [[95, 77]]
    with pytest.raises(ValueError, match="soil_group"):
        curve_numbers(lc, "E")


def test_muskingum_coefficients_chow_example_8_4_1():
    # Chow, Maidment & Mays (1988) Applied Hydrology, Example 8.4.1: K = 2.3 h, X = 0.15,
    # dt = 1 h -> C1 = 0.0631, C2 = 0.3442, C3 = 0.5927
    c1, c2, c3 = muskingum_coefficients(2.3, 0.15, 1.0)
    assert (float(c1), float(c2), float(c3)) == pytest.approx((0.0631, 0.3442, 0.5927), abs=5e-5)
    assert float(c1 + c2 + c3) == pytest.approx(1.0)


def test_muskingum_reach_attenuates_delays_and_conserves_volume():
    t = np.arange(60)
    inflow = 100.0 + 500.0 * np.exp(-0.5 * ((t - 10) / 3.0) ** 2)
    q = route_reach(inflow, 2.3, 0.15, 1.0)
    assert q.max() < inflow.max()
    assert np.argmax(q) > np.argmax(inflow)
    assert q.sum() == pytest.approx(inflow.sum(), rel=1e-3)


def test_network_router_matches_plain_loop_and_single_reach():
    down = np.array([2, 2, 3, -1])  # two tributaries join, then one reach to the outlet
    k = np.array([3600.0, 5400.0, 3600.0, 7200.0])
    a = NetworkRouter(down, k, 0.2, 1800.0)
    b = NetworkRouter(down, k, 0.2, 1800.0)
    rng = np.random.default_rng(3)
    for _ in range(30):
        lat = rng.random(4) * 50
        np.testing.assert_allclose(a.step(lat), b.step_loop(lat), rtol=1e-10)
    # a single reach equals the textbook recursion
    inflow = np.r_[0.0, 10, 40, 80, 60, 30, 10, 0, 0, 0]
    one = NetworkRouter(np.array([-1]), np.array([2.3]), 0.15, 1.0)
    got = [one.step(np.array([i]))[0] for i in inflow[1:]]
    np.testing.assert_allclose(got, route_reach(inflow, 2.3, 0.15, 1.0, q0=0.0)[1:])


def test_network_router_rejects_unordered_reaches():
    with pytest.raises(ValueError, match="topological"):
        NetworkRouter(np.array([-1, 0]), np.ones(2), 0.2, 1.0)


@pytest.mark.parametrize(
    ("d_h", "i_mm_h"),
    # Caine (1980) I = 14.82 D^-0.39: 1 h -> 14.82, 24 h -> 4.29, 10 min -> 29.81 mm/h
    [(1.0, 14.82), (24.0, 4.292), (1.0 / 6.0, 29.81)],
)
def test_caine_1980_threshold(d_h, i_mm_h):
    assert float(caine_threshold_mm_h(d_h)) == pytest.approx(i_mm_h, rel=1e-3)


def test_susceptibility_ramp():
    np.testing.assert_allclose(
        susceptibility(np.array([1.0, 5.0, 20.0]), 2.0, 8.0, 0.5), [0, 0.25, 0.5]
    )


def test_tank_flotation_height_landucci_2012_limit_state():
    # D = 20 m, H = 10 m, shell 50 t, half full of a 800 kg/m3 liquid:
    # h = 50e3 / (1000 * pi * 100) + 0.8 * 0.5 * 10 = 0.1592 + 4.0 m
    assert flotation_height_m(20.0, 10.0, 50e3, 0.5, 800.0) == pytest.approx(4.159155, rel=1e-6)
    # an empty tank floats in a few centimetres more than its shell weight
    assert flotation_height_m(20.0, 10.0, 50e3, 0.0, 800.0) == pytest.approx(0.159155, rel=1e-5)
    # fuller tanks resist flotation better
    assert flotation_height_m(20, 10, 50e3, 0.9, 800) > flotation_height_m(20, 10, 50e3, 0.1, 800)


def test_lognormal_fragility_half_at_median_and_monotone():
    p = lognormal_fragility(np.array([0.0, 2.0, 4.0, 8.0]), 4.0, 0.3)
    assert p[0] == 0.0 and p[2] == pytest.approx(0.5)
    assert np.all(np.diff(p) > 0)


def test_design_flood_velocity_bounds_asce7_commentary_example():
    """ASCE 7-10 commentary C5-1/C5-2 as worked in 'A Beginner's Guide to ASCE 7-10', example
    6.2 (bgstructuralengineering.com): stillwater depth 3.25 ft gives V_lower = 3.25 fps and
    V_upper = 10.23 fps."""
    from scenarios.typhoon.hydro.natech import G, design_flood_velocity

    ft = 0.3048
    assert design_flood_velocity(3.25 * ft, "lower") / ft == pytest.approx(3.25)
    # the guide uses g = 32.2 ft/s²; ours is 9.81 m/s² (32.185 ft/s²): 0.03 % apart
    assert design_flood_velocity(3.25 * ft, "upper") / ft == pytest.approx(10.23, abs=0.01)
    assert G == pytest.approx(32.2 * ft, rel=1e-3)
    assert design_flood_velocity(2.0, "none") == 0.0


def test_tank_slides_when_drag_exceeds_base_friction():
    """Sliding limit state F_D = 1/2 C_d rho v² D h = mu g (m - rho A h) (FEMA P-55 eq. 8.8
    drag with C_d = 1.2 for round bodies)."""
    import math

    from scenarios.typhoon.hydro.natech import (
        CD_ROUND,
        MU_STEEL_CONCRETE,
        drag_force_n,
        sliding_velocity_m_s,
    )

    assert CD_ROUND == 1.2
    d, m, h = 20.0, 2.0e6, 1.5  # 20 m tank, 2,000 t with contents, 1.5 m of water
    vc = float(sliding_velocity_m_s(h, d, m))
    resist = MU_STEEL_CONCRETE * 9.81 * (m - 1000.0 * math.pi * d**2 / 4 * h)
    assert float(drag_force_n(vc, d, h)) == pytest.approx(resist, rel=1e-9)
    assert vc == pytest.approx(math.sqrt(2 * resist / (1.2 * 1000 * d * h)), rel=1e-12)
    # deeper water: more drag area and more buoyancy, so a slower flow slides it
    assert float(sliding_velocity_m_s(2.5, d, m)) < vc
    # a floating tank (buoyancy >= weight) has no friction left
    assert float(sliding_velocity_m_s(10.0, d, m)) == 0.0
    # heavier (fuller) tanks need faster water
    assert float(sliding_velocity_m_s(h, d, 2 * m)) > vc


def test_sliding_adds_to_flotation_only_when_velocity_is_modelled():
    from scenarios.typhoon.hydro.natech import NatechModel
    from scenarios.typhoon.hydro.params import Tank

    class _Grid:
        def index_xy(self, x, y):
            return np.zeros(np.size(x), int), np.zeros(np.size(x), int)

    tank = Tank(id="T", lat=22.37, lon=113.08, chemical="benzene", inventory_kg=1e5,
                release_rate_kg_s=1.0, diameter_m=20, height_m=12, shell_mass_kg=8e4,
                fill_fraction=0.1, liquid_density_kg_m3=876)  # fmt: skip
    still = NatechModel([tank], _Grid(), np.random.default_rng(0), "none")
    moving = NatechModel([tank], _Grid(), np.random.default_rng(0), "upper")
    h = 0.95 * still.h_crit[0]  # nearly afloat: little friction left against the drag
    pf = float(lognormal_fragility(h, still.h_crit[0], tank.flood_beta))
    assert still.p_slide(0, h) == 0.0
    ps = moving.p_slide(0, h)
    assert ps > pf  # sqrt(g h) ~ 3.5 m/s drags off a tank that would not yet float
    # far from flotation the friction of a 410 t tank holds it: drag ~50 kN vs ~1 MN
    assert (
        NatechModel([tank], _Grid(), np.random.default_rng(0), "upper").p_slide(
            0, 0.5 * still.h_crit[0]
        )
        < 1e-3
    )
    still.u[:] = moving.u[:] = (pf + ps) / 2  # one shared draw (common random numbers)
    wind = np.zeros((1, 1))
    assert still.failures(np.array([h]), wind) == []
    got = moving.failures(np.array([h]), wind)
    assert got and got[0][1] == "flood_sliding"
