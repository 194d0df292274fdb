"""The typhoon tick's wind field on the world grid (`GridWind`, issue #15) is the textbook field.

`wind_field` and `GridWind` evaluate the Holland (1980) profile with Holland (2008) b_s
and the Mouton & Nordbeck (2005) translation asymmetry, as CLIMADA's
``trop_cyclone_windfields.py`` (models.md T1-T3; the published values are tested in
test_ty_windfield.py). Both now compute in place, per row/column and only near the eye;
these tests check the result is bit for bit the textbook evaluation below (the code of
`wind_field` before issue #15, with its two `np.hypot` calls now `norm2`), so no event
log can change; and that `norm2` moved the field by rounding only (session 7).
"""

import dataclasses
import math

import numpy as np
import pytest

from scenarios.typhoon.storm import StormTimeline, build_track, reaches
from scenarios.typhoon.track import EARTH_RADIUS_KM
from scenarios.typhoon.windfield import (
    GRADIENT_TO_SURFACE,
    VT_CAP_M_S,
    GridWind,
    StormState,
    b_holland_1980,
    b_holland_2008,
    coriolis,
    holland_1980_wind,
    norm2,
    wind_field,
)


def _textbook(state, lat2d, lon2d, model="H08", cyclostrophic=False, max_dist_km=300.0, norm=norm2):
    """CLIMADA H08/H1980 on a lat/lon grid, written out plainly (wind_field before #15).

    `norm` is the vector length of the distance and the speed: `norm2` today, `np.hypot`
    before session 7.
    """
    lat_r = np.radians(lat2d)
    dy = lat_r - np.radians(state.lat)
    dx = np.radians(lon2d - state.lon) * np.cos(0.5 * (lat_r + np.radians(state.lat)))
    r = EARTH_RADIUS_KM * 1e3 * norm(dx, dy)
    dx *= EARTH_RADIUS_KM * 1e3
    dy *= EARTH_RADIUS_KM * 1e3
    inside = (r <= max_dist_km * 1e3) & (r > 1.0)
    r_safe = np.where(inside, r, 1.0)
    vt_e, vt_n = state.vt_east_m_s, state.vt_north_m_s
    vt = float(np.hypot(vt_e, vt_n))
    if vt > VT_CAP_M_S:
        vt_e, vt_n, vt = vt_e * VT_CAP_M_S / vt, vt_n * VT_CAP_M_S / vt, VT_CAP_M_S
    dp_hpa = state.penv_hpa - state.pc_hpa
    rmax_m = state.rmax_km * 1e3
    f = float(coriolis(state.lat))
    corr = np.fmin(1.0, rmax_m / r_safe)
    if model == "H08":
        b = float(b_holland_2008(dp_hpa, state.dpc_dt_hpa_h, state.lat, vt)) * state.b_factor
        v_ang = holland_1980_wind(r_safe, rmax_m, b, dp_hpa * 100.0, f, cyclostrophic=cyclostrophic)
        v_ang -= vt * corr
    else:
        v_grad = max(0.0, state.vmax_1min_m_s - vt) / GRADIENT_TO_SURFACE
        b = float(b_holland_1980(v_grad, dp_hpa))
        v_ang = holland_1980_wind(r_safe, rmax_m, b, dp_hpa * 100.0, f, cyclostrophic=cyclostrophic)
        v_ang *= GRADIENT_TO_SURFACE
    sign = 1.0 if state.lat >= 0 else -1.0
    scale = sign * v_ang / r_safe
    u = np.where(inside, (-dy * scale + vt_e * corr) * state.decay, 0.0)
    v = np.where(inside, (dx * scale + vt_n * corr) * state.decay, 0.0)
    return norm(u, v), u, v


def _same(a, b):
    """Bit for bit, including the sign of zeros."""
    return (
        a.shape == b.shape and np.array_equal(a, b) and np.array_equal(np.signbit(a), np.signbit(b))
    )


def _states(n=120, seed=3):
    """Mangkhut's tick states, plus random moves, sizes and intensities of them."""
    from datetime import datetime, timedelta, timezone

    from scenarios.typhoon.params import TrackVariant

    track = build_track("Mangkhut 1822", TrackVariant())
    t0 = datetime(2018, 9, 14, 20, tzinfo=timezone(timedelta(hours=8)))
    states = [s for s in StormTimeline(track, t0, 20.0).states]
    rng = np.random.default_rng(seed)
    out = states[::3]
    for _ in range(n):
        s = states[rng.integers(len(states))]
        out.append(
            dataclasses.replace(
                s,
                lat=s.lat + rng.uniform(-3.5, 3.5),
                lon=s.lon + rng.uniform(-3.5, 3.5),
                rmax_km=s.rmax_km * rng.uniform(0.5, 2.0),
                b_factor=rng.uniform(0.8, 1.2),
                decay=rng.choice([1.0, rng.uniform(0.5, 1.0)]),
            )
        )
    return out


LAT = np.linspace(21.30, 22.95, 67)  # rows of a coarse Jiangmen-like grid
LON = np.linspace(111.80, 113.35, 61)


@pytest.mark.parametrize("model", ["H08", "H1980"])
def test_grid_wind_is_the_textbook_field_bit_for_bit(model):
    lon2d, lat2d = np.meshgrid(LON, LAT)
    factor = np.where(np.random.default_rng(0).random(lat2d.shape) < 0.6, 0.8, 1.0)
    gw, gwf = GridWind(LAT, LON, model=model), GridWind(LAT, LON, model=model, factor=factor)
    partial = 0
    for s in _states():
        if model == "H1980" and not np.isfinite(s.vmax_1min_m_s):
            continue
        ref = _textbook(s, lat2d, lon2d, model)
        old = wind_field(s, lat2d, lon2d, model=model)
        new, newf = gw(s), gwf(s)
        for k, name in enumerate(("speed", "u", "v")):
            assert _same(getattr(old, name), ref[k]), (s, name)
            assert _same(getattr(new, name), ref[k]), (s, name)
            assert _same(getattr(newf, name), ref[k] * factor), (s, name)
        win = gw.window(s)
        partial += win is not None and (win[0].stop - win[0].start < LAT.size)
    assert partial > 10  # the row/column window did cut the grid in some ticks


def test_grid_wind_southern_hemisphere_and_cyclostrophic():
    lat, lon = -LAT[::-1], LON
    lon2d, lat2d = np.meshgrid(lon, lat)
    s = StormState(lat=-22.0, lon=112.6, pc_hpa=950.0, rmax_km=30.0, vt_east_m_s=20.0)
    ref = _textbook(s, lat2d, lon2d, cyclostrophic=True)
    new = GridWind(lat, lon)(s, cyclostrophic=True)
    assert all(_same(x, y) for x, y in zip((new.speed, new.u, new.v), ref, strict=True))
    assert new.v[np.argmin(np.abs(lat + 22.0)), -1] < 0  # clockwise: east side blows south


def test_window_never_drops_a_cell_within_the_radius():
    gw = GridWind(LAT, LON, max_dist_km=60.0)
    lon2d, lat2d = np.meshgrid(LON, LAT)
    for s in _states(60):
        ref = _textbook(s, lat2d, lon2d, max_dist_km=60.0)[0]
        win = gw.window(s)
        kept = np.zeros(ref.shape, bool)
        if win is not None:
            kept[win] = True
        assert not (ref[~kept] > 0).any()
        assert _same(gw(s).speed, ref)


def test_far_storm_reaches_nothing():
    s = StormState(lat=30.0, lon=125.0, pc_hpa=950.0, rmax_km=30.0)
    gw = GridWind(LAT, LON)
    assert not reaches(s, gw.bounds)
    assert gw.window(s) is None and not gw(s).speed.any()


def test_grid_wind_rejects_bad_input():
    with pytest.raises(ValueError, match="1-D"):
        GridWind(np.zeros((2, 2)), LON)
    with pytest.raises(ValueError, match="factor has shape"):
        GridWind(LAT, LON, factor=np.ones((3, 3)))
    with pytest.raises(ValueError, match="pc_hpa"):
        GridWind(LAT, LON)(StormState(22, 113, 1010, 36))


def test_norm2_is_the_ieee_sum_of_squares_within_an_ulp_of_hypot():
    rng = np.random.default_rng(7)
    a = rng.choice([-1.0, 1.0], 4000) * 10.0 ** rng.uniform(-3, 7, 4000)
    b = rng.choice([-1.0, 1.0], 4000) * 10.0 ** rng.uniform(-3, 7, 4000)
    b[:50] = 0.0
    got = norm2(a, b)
    # four correctly rounded IEEE operations: Python floats give the same bits anywhere
    want = np.array([math.sqrt(x * x + y * y) for x, y in zip(a.tolist(), b.tolist(), strict=True)])
    assert _same(got, want)
    assert np.all(np.abs(got - np.hypot(a, b)) <= np.spacing(np.hypot(a, b)))
    # sqrt(fl(x * x)) == |x| in binary floating point: the window's bound |dx| <= r holds
    assert _same(got[:50], np.abs(a[:50]))
    assert norm2(np.array([3.0, 0.0]), np.array([4.0, -0.0])).tolist() == [5.0, 0.0]


@pytest.mark.parametrize("model", ["H08", "H1980"])
def test_norm2_moved_the_field_by_rounding_only(model):
    """Against the hypot field (before session 7): relative differences of a few ulp."""
    lon2d, lat2d = np.meshgrid(LON, LAT)
    worst = 0.0
    for s in _states(40):
        if model == "H1980" and not np.isfinite(s.vmax_1min_m_s):
            continue
        new = _textbook(s, lat2d, lon2d, model)
        old = _textbook(s, lat2d, lon2d, model, norm=np.hypot)
        speed = old[0]  # u and v relative to the speed: their sums may cancel
        for x, y in zip(new, old, strict=True):
            rel = np.abs(x - y) / np.where(speed > 0, speed, 1.0)
            worst = max(worst, float(rel.max()))
            assert np.array_equal(x == 0, y == 0)
    assert worst < 1e-13


def test_norm2_broadcasts_either_way():
    col, row = np.array([[3.0], [6.0]]), np.array([[4.0, 8.0]])
    got = norm2(col, row)
    assert got.shape == (2, 2) and np.array_equal(got, norm2(row, col))
    assert got[0, 0] == 5.0 and got[1, 1] == 10.0 and got[0, 1] == math.sqrt(73.0)
