"""Impacts after the storm's passage: building damage, displacement, casualties, direct loss.

Vectorised over resident groups (people at home locations stand for buildings
and assets, a population-only LitPop):
    * Damage: Emanuel (2011) mean damage ratio at the peak 1-min wind of the
      group's home cell, v_half from Eberenz et al. (2021) region WP3 (TDR).
    * Displaced people = people x MDR (assumption: the damaged share of the
      housing stock is uninhabitable), summed per district.
    * Casualties: people who were not sheltered when their local wind peaked,
      with the ILLUSTRATIVE fatality function of `damage.py` (p = p_total MDR^k);
      deaths per district are a Poisson draw with that mean (hazard stream).
    * Direct loss = sum(people x asset value per person x MDR), asset value per
      person = GDP x assets_to_gdp / population (a produced-capital proxy).

Validity limits: wind damage only (no surge, rain or flood losses), one
regional curve calibrated on country-level losses, assets spread by
population only, casualty function uncalibrated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenarios.typhoon.damage import emanuel_mdr, fatality_probability
from scenarios.typhoon.params import Impacts


@dataclass(frozen=True)
class ImpactSummary:
    """Per-district impact totals (arrays aligned with `districts`)."""

    districts: np.ndarray
    displaced: np.ndarray
    expected_deaths: np.ndarray
    deaths: np.ndarray
    loss_cny: np.ndarray
    mean_mdr: np.ndarray


def assess(
    people: np.ndarray,
    district: np.ndarray,
    home_peak_wind: np.ndarray,
    unsheltered_peak_wind: np.ndarray,
    population: float,
    p: Impacts,
    rng: np.random.Generator,
) -> ImpactSummary:
    """Impacts per district from per-group peak winds (home and while unsheltered)."""
    people = np.asarray(people, float)
    mdr_home = emanuel_mdr(np.fmax(home_peak_wind, 0.0), p.v_half_m_s, p.v_thresh_m_s)
    mdr_out = emanuel_mdr(np.fmax(unsheltered_peak_wind, 0.0), p.v_half_m_s, p.v_thresh_m_s)
    exp_deaths = people * fatality_probability(mdr_out, p.p_fatal_at_total, p.fatal_exponent)
    asset_pp = p.gdp_cny * p.assets_to_gdp / population
    loss = people * asset_pp * mdr_home
    displaced = people * mdr_home
    ds = np.unique(district)
    inv = np.searchsorted(ds, district)

    def per(v: np.ndarray) -> np.ndarray:
        return np.bincount(inv, weights=v, minlength=ds.size)

    e = per(exp_deaths)
    return ImpactSummary(
        districts=ds,
        displaced=np.rint(per(displaced)).astype(np.int64),
        expected_deaths=e,
        deaths=rng.poisson(e),
        loss_cny=per(loss),
        mean_mdr=per(people * mdr_home) / np.maximum(per(people), 1.0),
    )
