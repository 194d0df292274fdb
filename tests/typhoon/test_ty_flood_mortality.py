"""Jonkman remaining-zone flood mortality F_D(h) and its use as the at-risk share.

Source: Jonkman et al. (2008), Natural Hazards 46:353-389, and Jonkman (2007), TU Delft
thesis "Loss of life estimation in flood risk assessment": remaining zone
F_D(h) = Phi((ln h - mu_N) / sigma_N) with mu_N = 7.60, sigma_N = 2.75. The reference
values below follow from those published parameters by the lognormal's definition
(median depth exp(mu_N); a depth of exp(mu_N + z sigma_N) is the Phi(z) quantile).
The parameters are as recalled from those texts; the offline search could not show the
equation page (see scenarios/typhoon/hydro/mortality.py), so these tests pin the function
to them but do not independently confirm them.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenarios.typhoon.hydro.mortality import jonkman_remaining_zone
from scenarios.typhoon.hydro.params import Rescue
from sim.response import survival

MU, SIGMA = 7.60, 2.75


def test_chain_params_carry_jonkman_parameters():
    rp = Rescue()
    assert rp.flood_mortality == "jonkman_remaining_zone"
    assert (rp.mortality_mu_n, rp.mortality_sigma_n) == (MU, SIGMA)


def test_defining_quantiles_of_the_lognormal():
    # median: F_D(exp(mu_N)) = 0.5; one sigma either side: Phi(+-1) = 0.8413 / 0.1587
    assert jonkman_remaining_zone(math.exp(MU)) == pytest.approx(0.5, abs=1e-12)
    assert jonkman_remaining_zone(math.exp(MU + SIGMA)) == pytest.approx(0.841345, abs=1e-6)
    assert jonkman_remaining_zone(math.exp(MU - SIGMA)) == pytest.approx(0.158655, abs=1e-6)


def test_values_at_river_flood_depths():
    # Phi(-7.60/2.75) = Phi(-2.7636) = 0.00286 at 1 m; 3 m: Phi((ln 3 - 7.60)/2.75) = 0.00904
    # (remaining-zone mortality of order 1 % at several metres, as Jonkman 2008 describes)
    f = jonkman_remaining_zone(np.array([0.0, -1.0, 1.0, 3.0, 5.0]))
    assert f[0] == 0.0 and f[1] == 0.0
    assert f[2] == pytest.approx(0.002858, abs=2e-6)
    assert f[3] == pytest.approx(0.009036, abs=2e-6)
    assert f[4] == pytest.approx(0.014689, abs=2e-6)
    assert np.all(np.diff(jonkman_remaining_zone(np.linspace(0.1, 20, 50))) > 0)


def test_at_risk_share_scales_expected_deaths_and_keeps_coupling():
    d_all, e_all = survival.deaths("cut_off", 5000, 48.0, 1, "TRAP-flood-G1-1")
    d_part, e_part = survival.deaths("cut_off", 5000, 48.0, 1, "TRAP-flood-G1-1", 0.01)
    assert e_all == pytest.approx(2500.0)
    assert e_part == pytest.approx(25.0)
    assert d_part <= d_all
    # same stream: a faster rescue never kills more, a higher risk share never kills fewer
    fast, _ = survival.deaths("cut_off", 5000, 12.0, 1, "K", 0.05)
    slow, _ = survival.deaths("cut_off", 5000, 72.0, 1, "K", 0.05)
    more, _ = survival.deaths("cut_off", 5000, 72.0, 1, "K", 0.2)
    assert fast < slow < more
