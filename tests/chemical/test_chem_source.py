"""Orifice source terms vs CCPS (1999) worked examples (via GasDispersion.jl jet_source_tests.jl)."""

import math

import pytest

from scenarios.chemical import source as s


def test_liquid_jet_ccps_p40():
    # CCPS 1999 p.40 via GasDispersion.jl: Cd 0.63, d 0.01 m, rho 490 kg/m3,
    # P = 120935.0368 Pa into 101325 Pa -> 0.21691154763598 kg/s.
    m = s.liquid_orifice_rate(0.01, 120935.0368, 490.0, cd=0.63)
    assert m == pytest.approx(0.21691154763598, rel=1e-9)


def test_gas_jet_ccps_p47_choked():
    # CCPS 1999 p.47 via GasDispersion.jl: gas density 8.90 kg/m3 at 501 kPa, 298 K, k = 1.15,
    # Cd 0.85, d 0.01 m -> 0.09002799947040846 kg/s (choked).
    mw = 8.90 * 8.31446261815324 * 298.0 / 501e3
    r = s.gas_orifice_rate(0.01, 501e3, 298.0, mw, 1.15, cd=0.85)
    assert r["choked"] is True
    assert r["rate_kg_s"] == pytest.approx(0.09002799947040846, rel=1e-6)


def test_gas_unchoked_continuous_at_critical_ratio():
    # Crowl & Louvar: the unchoked formula equals the choked one at the critical ratio.
    k, mw, t, d = 1.4, 0.029, 300.0, 0.02
    pc = 101325.0 / s.choked_pressure_ratio(k)
    below = s.gas_orifice_rate(d, pc * 0.999999, t, mw, k)
    above = s.gas_orifice_rate(d, pc * 1.000001, t, mw, k)
    assert below["choked"] is False and above["choked"] is True
    assert below["rate_kg_s"] == pytest.approx(above["rate_kg_s"], rel=1e-4)


def test_liquid_head_term():
    # Pure hydrostatic head: m = Cd A rho sqrt(2 g h) (Torricelli).
    m = s.liquid_orifice_rate(0.05, 101325.0, 1000.0, liquid_head_m=2.0)
    assert m == pytest.approx(
        0.61 * math.pi * 0.05**2 / 4 * 1000 * math.sqrt(2 * 9.80665 * 2), rel=1e-12
    )


def test_source_dataclasses_and_errors():
    src = s.ContinuousSource(2.0, 600.0)
    assert src.total_mass_kg == 1200.0
    assert src.rate_at(-1) == 0 and src.rate_at(0) == 2.0 and src.rate_at(600) == 0
    with pytest.raises(ValueError, match="rate_kg_s"):
        s.ContinuousSource(0.0)
    with pytest.raises(ValueError, match="mass_kg"):
        s.InstantaneousSource(-1.0)
    with pytest.raises(ValueError, match="p_upstream_pa"):
        s.gas_orifice_rate(0.01, 90000.0, 298.0, 0.03, 1.3)
