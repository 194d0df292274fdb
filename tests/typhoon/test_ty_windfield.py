import numpy as np
import pytest

from scenarios.typhoon.track import load_track, shift_track
from scenarios.typhoon.windfield import (
    StormState,
    b_holland_1980,
    b_holland_2008,
    calc_holland,
    estimate_rmax_km,
    holland_1980_wind,
    kaplan_demaria_decay,
    peak_swath,
    vmax_holland_2008,
    wind_field,
)

KM = 1e3


def test_t1_stat_holland_1980_matches_climada():
    # models.md T1 / CLIMADA test_trop_cyclone_windfields.py::test_stat_holland_1980
    r = KM * np.array([299.4501244109841, 291.0737897183741, 292.5441003235722, 40.665454622610511])
    args = (KM * 40.665454622610511, 1.486076257880692, 39.12 * 100, 3.54921922e-05)
    np.testing.assert_allclose(holland_1980_wind(r, *args), [11.28, 11.68, 11.61, 42.41], rtol=0.01)
    np.testing.assert_allclose(
        holland_1980_wind(r, *args, cyclostrophic=True), [15.72, 16.04, 15.98, 43.13], rtol=0.01
    )
    # second track node of the same CLIMADA test (masked centroid omitted)
    r2 = KM * np.array([293.6067129546862, 298.2652319413182, 70.0])
    args2 = (KM * 75.547902916671745, 1.265551666104679, 4.73 * 100, 3.10598285e-05)
    np.testing.assert_allclose(holland_1980_wind(r2, *args2), [5.38, 5.28, 12.76], rtol=0.01)
    np.testing.assert_allclose(
        holland_1980_wind(r2, *args2, cyclostrophic=True), [8.84, 8.76, 13.81], rtol=0.01
    )


def test_t2_b_holland_1980():
    # models.md T2 / CLIMADA test_B_holland_1980_pass: 35 m/s @15 hPa -> 2.55 clipped 2.5; 40 @30 -> 1.667213
    np.testing.assert_allclose(b_holland_1980([35, 40], [15, 30]), [2.5, 1.667213], rtol=1e-6)
    # same CLIMADA test, surface winds, rho 1.2, clip scaled by 0.9**2 -> [1.101, 0.810, 1.473]
    b = b_holland_1980([22.5, 25.4, 42.5], [15, 30, 40], rho=1.2, gradient_to_surface=0.9)
    np.testing.assert_allclose(b, [1.101, 0.810, 1.473], atol=1e-3)


def test_t3_b_holland_2008():
    # models.md T3 / CLIMADA test_bs_holland_2008_pass: 1.27 (hand calc 1.2708)
    dpdt = 1005.2633 - 1005.2585  # hPa over a 1 h step
    b = b_holland_2008(4.73, dpdt, 12.299999504631343, 5.241999541820597)
    assert b == pytest.approx(1.27, rel=0.01)


def test_t4_vmax_holland_2008():
    # models.md T4 / CLIMADA test_v_max_s_holland_2008_pass
    np.testing.assert_allclose(
        vmax_holland_2008([2.5, 1.67], [15, 30]), [34.635341, 40.033421], rtol=1e-6
    )


def test_estimate_rmax_piecewise_linear_nodes():
    # CLIMADA tc_tracks.estimate_rmw nodes (nm): 940 -> 15.726927, 980 -> 25.742142;
    # 960 hPa is the midpoint (20.734535 nm); below 872 constant 14.907318 nm
    nm = estimate_rmax_km([940.0, 980.0, 960.0, 800.0]) / 1.852
    np.testing.assert_allclose(nm, [15.726927, 25.742142, 20.7345345, 14.907318], rtol=1e-6)


def test_calc_holland_cli_case_and_validation():
    # hand calc of Holland (1980) eq. 4: dp=5500 Pa, x=(33.76/50)^1.5=0.55478, f=2*7.29e-5*sin 22deg
    # sqrt(1.5/1.15*x*5500*exp(-x) + 1.3654^2) - 1.3654 = 46.459 m/s
    out = calc_holland(950, 1005, 22, 33.76, 1.5, 50)
    assert out["gradient_wind_m_s"] == pytest.approx(46.459, rel=1e-4)
    assert out["cyclostrophic_wind_m_s"] > out["gradient_wind_m_s"]
    with pytest.raises(ValueError, match="penv_hpa"):
        calc_holland(1010, 1005, 22, 33.76, 1.5, 50)
    with pytest.raises(ValueError, match="r_km"):
        calc_holland(950, 1005, 22, 33.76, 1.5, -1)


def test_kaplan_demaria_hand_calc():
    # Kaplan & DeMaria (1995): V = Vb + (R V0 - Vb) exp(-a t), Vb 26.7 kt, a 0.095/h, R 0.9
    # V0 = 45 m/s, t = 6 h: 13.7357 + (40.5 - 13.7357) * exp(-0.57) = 28.8715 m/s
    assert float(kaplan_demaria_decay(45.0, 6.0)) == pytest.approx(28.8715, rel=1e-4)
    assert float(kaplan_demaria_decay(45.0, -1.0)) == 45.0
    assert float(kaplan_demaria_decay(10.0, 3.0)) == 10.0  # never raises a weak storm


def _grid(lat0=22.0, lon0=113.0, half=3.0, n=241):
    lat = np.linspace(lat0 - half, lat0 + half, n)
    lon = np.linspace(lon0 - half, lon0 + half, n)
    return np.meshgrid(lat, lon, indexing="ij")


def test_peak_near_rmax_for_stationary_storm():
    lat2d, lon2d = _grid()
    s = StormState(lat=22.0, lon=113.0, pc_hpa=955.0, rmax_km=36.0)
    wf = wind_field(s, lat2d, lon2d)
    k = np.argmax(wf.speed)
    dy = (lat2d.ravel()[k] - 22.0) * 111.2
    dx = (lon2d.ravel()[k] - 113.0) * 111.2 * np.cos(np.radians(22.0))
    assert 0.85 * 36.0 < np.hypot(dx, dy) < 1.1 * 36.0


def test_right_of_track_stronger_and_cyclonic_rotation():
    lat2d, lon2d = _grid()
    s = StormState(lat=22.0, lon=113.0, pc_hpa=955.0, rmax_km=36.0, vt_north_m_s=8.0)
    wf = wind_field(s, lat2d, lon2d)
    i = np.argmin(np.abs(lat2d[:, 0] - 22.0))
    dlon = 36.0 / (111.2 * np.cos(np.radians(22.0)))
    je = np.argmin(np.abs(lon2d[0] - (113.0 + dlon)))
    jw = np.argmin(np.abs(lon2d[0] - (113.0 - dlon)))
    # moving north: east side is right of track; asymmetry ~ 2 * v_t at R_max
    assert wf.speed[i, je] - wf.speed[i, jw] == pytest.approx(16.0, rel=0.15)
    assert wf.v[i, je] > 0 and wf.v[i, jw] < 0  # counter-clockwise in the NH


def test_cells_beyond_300_km_are_zero():
    lat2d, lon2d = _grid(half=4.0)
    s = StormState(lat=22.0, lon=113.0, pc_hpa=955.0, rmax_km=36.0)
    wf = wind_field(s, lat2d, lon2d)
    r = np.hypot((lat2d - 22) * 111.2, (lon2d - 113) * 111.2 * np.cos(np.radians(22)))
    assert np.all(wf.speed[r > 305] == 0) and np.all(wf.speed[(r < 290) & (r > 1)] > 0)


def test_inland_decay_reduces_swath():
    track = load_track("Mangkhut 1822")
    lat2d, lon2d = _grid(lat0=22.2, lon0=112.2, half=1.0, n=81)
    land = lat2d > 21.9
    on = peak_swath(track, lat2d, lon2d, land, inland_decay=True)
    off = peak_swath(track, lat2d, lon2d, land, inland_decay=False)
    assert np.all(on <= off + 1e-9)
    assert (off - on)[lon2d < 111.8].max() > 5.0  # well after landfall, clearly weaker


def test_mangkhut_landfall_wind_within_20_percent():
    # CMA: landfall 台山海宴 2018-09-16 17:00 BJT, 14级, 45 m/s (2-min mean; weather.com.cn
    # syxw/09/2935960.shtml). Model gives 1-min winds; 2-min taken equal to 1-min (see windfield).
    track = load_track("Mangkhut 1822")
    lat2d, lon2d = _grid(lat0=21.83, lon0=112.54, half=0.8, n=97)
    sw = peak_swath(track, lat2d, lon2d, np.zeros_like(lat2d, bool), inland_decay=True)
    near = np.hypot((lat2d - 21.83) * 111.2, (lon2d - 112.54) * 103.2) < 60.0
    assert 0.8 * 45.0 <= sw[near].max() <= 1.2 * 45.0


def test_shifted_track_moves_swath():
    track = load_track("Mangkhut 1822")
    lat2d, lon2d = _grid(lat0=22.2, lon0=112.5, half=1.5, n=121)
    land = np.zeros_like(lat2d, bool)
    j = np.argmin(np.abs(lon2d[0] - 112.0))  # a meridian crossed after landfall
    base = peak_swath(track, lat2d, lon2d, land)[:, j]
    north = peak_swath(shift_track(track, north_km=60.0), lat2d, lon2d, land)[:, j]
    # 60 km north = 0.54 deg; the strongest-wind latitude on that meridian moves with it
    shift = lat2d[np.argmax(north), 0] - lat2d[np.argmax(base), 0]
    assert shift == pytest.approx(60.0 / 111.2, abs=0.1)


def test_bad_inputs_raise():
    lat2d, lon2d = _grid(n=11)
    with pytest.raises(ValueError, match="model"):
        wind_field(StormState(22, 113, 955, 36), lat2d, lon2d, model="X")
    with pytest.raises(ValueError, match="pc_hpa"):
        wind_field(StormState(22, 113, 1010, 36), lat2d, lon2d)
    with pytest.raises(ValueError, match="must match"):
        peak_swath(load_track("Hato 1713"), lat2d, lon2d, np.zeros((2, 2), bool))
