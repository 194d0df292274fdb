"""Fuel model table checks against Behave fuelModels.cpp (firelab/behave)."""

import pytest

from scenarios.forestfire.fuel_models import (
    FUEL_MODEL_NUMBERS,
    FUEL_MODELS,
    TONS_PER_ACRE_TO_LB_PER_FT2,
    get_fuel_model,
    valid_codes,
)


def test_counts():
    anderson = [m for m in FUEL_MODELS.values() if m.family == "FM"]
    sb = [m for m in FUEL_MODELS.values() if m.family in ("GR", "GS", "SH", "TU", "TL", "SB")]
    assert len(anderson) == 13
    assert len(sb) == 40
    assert {m.family for m in sb} == {"GR", "GS", "SH", "TU", "TL", "SB"}


def test_fm1_fm4_models_md():
    # models.md §1: FM1 0.034 lb/ft2, depth 1.0, Mx 0.12, sigma 3500;
    # FM4 0.230/0.184/0.092/0/0.230, depth 6.0, Mx 0.20, sigma 2000, live 1500.
    fm1 = get_fuel_model("FM1")
    assert (fm1.load_1h, fm1.depth_ft, fm1.mx_dead, fm1.savr_1h) == (0.034, 1.0, 0.12, 3500)
    fm4 = get_fuel_model(4)
    assert (fm4.load_1h, fm4.load_10h, fm4.load_100h, fm4.load_live_herb, fm4.load_live_woody) == (
        0.230,
        0.184,
        0.092,
        0.0,
        0.230,
    )
    assert (fm4.depth_ft, fm4.mx_dead, fm4.savr_1h, fm4.savr_live_woody) == (6.0, 0.20, 2000, 1500)
    assert not fm4.dynamic


def test_gs4_scott_burgan_conversion():
    gs4 = get_fuel_model("GS4")
    f = 2000.0 / 43560.0
    assert TONS_PER_ACRE_TO_LB_PER_FT2 == pytest.approx(f)
    assert gs4.number == 124 and gs4.dynamic
    assert gs4.load_1h == pytest.approx(1.9 * f)
    assert gs4.load_live_woody == pytest.approx(7.1 * f)
    assert (gs4.depth_ft, gs4.mx_dead, gs4.savr_1h, gs4.savr_live_herb) == (2.1, 0.40, 1800, 1600)
    assert get_fuel_model("GR6").heat_dead == 9000


@pytest.mark.parametrize(
    "code", ["FM4", "fm4", "4", 4, "FM04", "GS4", "gs-4", 124, "124", "TL8", "SB4"]
)
def test_lookup_variants(code):
    assert get_fuel_model(code).number in FUEL_MODEL_NUMBERS


def test_unknown_code_lists_valid():
    with pytest.raises(ValueError) as ei:
        get_fuel_model("XX9")
    msg = str(ei.value)
    assert "FM1" in msg and "GS4" in msg and "SB4" in msg
    with pytest.raises(ValueError):
        get_fuel_model(14)
    assert valid_codes()[0] == "FM1"


def test_nonburnable():
    assert not get_fuel_model("NB8").burnable
    assert get_fuel_model(98).code == "NB8"


def test_frozen():
    with pytest.raises(AttributeError):
        get_fuel_model("FM1").depth_ft = 2.0  # type: ignore[misc]
