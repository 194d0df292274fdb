"""Chemical table: conversions, AEGL look-ups, errors."""

import pytest

from scenarios.chemical.chemicals import get_chemical, known_chemicals


def test_benzene_ppm_conversion():
    # WHO Indoor Air Quality Guidelines 2010 (NCBI NBK138708): at 25 degC, 1 ppm benzene = 3.194 mg/m3.
    assert get_chemical("benzene").ppm_to_mg_m3(1.0) == pytest.approx(3.194, rel=1e-3)


def test_chlorine_aegls_and_roundtrip():
    # EPA final AEGLs for chlorine (Wikipedia 'Acute Exposure Guideline Levels' table): 60-min
    # 0.50 / 2.0 / 20 ppm; 10-min AEGL-3 50 ppm; models.md: 20 ppm = 58 mg/m3.
    cl2 = get_chemical("Chlorine")
    assert (cl2.aegl(1), cl2.aegl(2), cl2.aegl(3)) == (0.5, 2.0, 20.0)
    assert cl2.aegl(3, 10) == 50.0
    assert cl2.aegl_mg_m3(3) == pytest.approx(58.0, rel=1e-2)
    assert cl2.mg_m3_to_ppm(cl2.ppm_to_mg_m3(7.0)) == pytest.approx(7.0)


def test_h2s_aegls():
    # NRC AEGLs tabulated in PMC5777517 Table 3: H2S AEGL-1/2/3 10-min 0.75/41/76, 60-min 0.51/27/50.
    h2s = get_chemical("hydrogen sulfide")
    assert [h2s.aegl(t, 10) for t in (1, 2, 3)] == [0.75, 41, 76]
    assert [h2s.aegl(t, 60) for t in (1, 2, 3)] == [0.51, 27, 50]


def test_relative_density():
    # Ideal gas: rho/rho_air = MW/28.96; chlorine ~2.45 (denser), ammonia ~0.59 (lighter).
    assert get_chemical("chlorine").relative_density == pytest.approx(70.906 / 28.96)
    assert get_chemical("ammonia").relative_density < 1.0


def test_every_value_has_a_source():
    for name in known_chemicals():
        chem = get_chemical(name)
        for key in ("mw_g_mol", "boiling_point_k", "aegl3_60min"):
            assert chem.sources[key], (name, key)


def test_required_chemicals_present():
    for name in ("chlorine", "ammonia", "hydrogen_sulfide", "hydrogen_chloride", "benzene"):
        assert name in known_chemicals()


def test_unknown_chemical_lists_known():
    with pytest.raises(ValueError, match="chlorine"):
        get_chemical("unobtainium")
    with pytest.raises(ValueError, match="tier"):
        get_chemical("chlorine").aegl(4)
