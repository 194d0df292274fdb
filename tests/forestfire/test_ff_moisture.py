"""Dead fuel moisture: Rothermel (1983) tables as coded in Behave and NFDRS (Cohen & Deeming 1985)."""

import numpy as np
import pytest

from scenarios.forestfire.moisture import (
    emc_nfdrs,
    fine_dead_fuel_moisture_by_index,
    fine_dead_fuel_moisture_table,
    hourly_fine_dead_moisture,
    hundred_hour_moisture_step,
    moisture_after_rain,
    moisture_from_weather,
    one_hour_moisture_nfdrs,
    ten_hour_moisture_nfdrs,
)


def test_behave_fdfm_tool_indices():
    # firelab/behave testBehave.cpp testFineDeadFuelMoistureTool
    assert fine_dead_fuel_moisture_by_index(0, 0, 0, 0, 0, 0, 0, 0) == (1, 2, 3)
    assert fine_dead_fuel_moisture_by_index(1, 1, 1, 1, 1, 1, 1, 1) == (2, 4, 6)
    assert fine_dead_fuel_moisture_by_index(3, 5, 2, 2, 20, 1, 1, 5) == (12, 6, 18)
    with pytest.raises(ValueError):
        fine_dead_fuel_moisture_by_index(4, 6, 3, 3, 21, 2, 2, 6)


def test_rothermel_1983_table_lookups():
    # Table A: 70-89 F, RH 30-34 % -> 5 %; 90-109 F, RH 10-14 % -> 2 %.
    r = fine_dead_fuel_moisture_table(27.0, 32.0, month=7, hour=14, aspect="S", slope_pct=10)
    assert r.reference == 5
    # May-Jul, exposed, south aspect, slope <30 %: row 4; 14:00 level -> col 10 -> 0.
    assert r.correction == 0 and r.total == 5
    r = fine_dead_fuel_moisture_table(35.0, 12.0, month=1, hour=9, aspect=180.0, shaded=True)
    assert r.reference == 2
    assert r.correction == 5  # Nov-Jan shaded, 08-10, level
    with pytest.raises(ValueError):
        fine_dead_fuel_moisture_table(20, 50, 7, 5)


def test_emc_equations():
    # Cohen & Deeming (1985) eq. 1b at 70 F (21.111 C), 30 %: 2.22749 + 0.160107*30 - 0.014784*70
    assert emc_nfdrs(21.1111111, 30.0) == pytest.approx(2.22749 + 4.80321 - 1.03488, rel=1e-6)
    # eq. 1a at 5 %, eq. 1c at 80 %
    assert emc_nfdrs(21.1111111, 5.0) == pytest.approx(0.03229 + 0.281073 * 5 - 0.000578 * 5 * 70)
    assert emc_nfdrs(21.1111111, 80.0) == pytest.approx(
        21.0606 + 0.005565 * 6400 - 0.00035 * 80 * 70 - 0.483199 * 80
    )
    e = emc_nfdrs(np.array([20.0, 20.0]), np.array([20.0, 90.0]))
    assert e.shape == (2,) and e[1] > e[0]


def test_nfdrs_1h_10h():
    emc_prm = emc_nfdrs(25.0 + 25 * 5 / 9, 40 * 0.75)  # SOW 0 correction
    assert one_hour_moisture_nfdrs(25.0, 40.0, 0) == pytest.approx(1.03 * emc_prm)
    assert ten_hour_moisture_nfdrs(25.0, 40.0, 0) == pytest.approx(1.28 * emc_prm)
    assert one_hour_moisture_nfdrs(25.0, 40.0, raining=True) == 35.0
    # overcast (SOW 3) is moister than clear sky
    assert one_hour_moisture_nfdrs(25.0, 40.0, 3) > one_hour_moisture_nfdrs(25.0, 40.0, 0)


def test_100h_recurrence():
    m = hundred_hour_moisture_step(20.0, 8.0, 16.0, 12.0, 0.0)
    assert m == pytest.approx(20 + (12.0 - 20.0) * (1 - 0.87 * np.exp(-0.24)))
    wet = hundred_hour_moisture_step(10.0, 8.0, 16.0, 12.0, 10.0)
    assert wet > 10.0


def test_diurnal_cycle_shape():
    hours = np.arange(0, 24)
    m = hourly_fine_dead_moisture(hours, 12.0, 24.0, 30.0)
    assert m.shape == (24,)
    assert hours[np.argmin(m)] in range(12, 18)  # driest mid-afternoon
    assert hours[np.argmax(m)] in list(range(0, 9)) + [22, 23]  # wettest night/dawn
    assert m.min() > 2.0 and m.max() < 35.0


def test_days_since_rain_dries():
    vals = [moisture_after_rain(d, 12.0, 24.0, 35.0, 90.0) for d in (0.0, 1.0, 3.0, 10.0)]
    m100 = [v["m100h"] for v in vals]
    assert all(a > b for a, b in zip(m100, m100[1:], strict=False))
    assert vals[0]["m1h"] == pytest.approx(35.0)
    assert vals[1]["m1h"] < 10.0


def test_moisture_from_weather():
    m = moisture_from_weather(28.0, 35.0, live_herb_pct=60, live_woody_pct=90)
    assert 2.0 < m.m1h < m.m10h < 15.0
    m2 = moisture_from_weather(28.0, 35.0, days_since_rain=1.0)
    assert m2.m100h > m.m100h
