"""Survival of people in distress as a function of time to rescue.

Deaths that depend on the response (issue 13): every incident that carries
people in distress gets a survival curve S(t), t = hours from the distress
call to the first unit on scene (or to the end of the run if nobody came).
Expected deaths = people x (1 - S(t)); realised deaths are a binomial draw
from a stream seeded by the run seed and the incident id, so two plans on the
same seed share the draw (common random numbers) and a faster rescue can
only lower the count.

Curves (published values reproduced in tests/engine/test_eng_survival.py):

* ``trapped`` (collapsed buildings): share of trapped victims rescued alive
  by day after collapse, Tangshan 1976 as given by Coburn & Spence,
  *Earthquake Protection* (2nd ed., Wiley 2002, ch. 9): day 1 81 %, day 2
  36.7 %, day 3 33.3 %, day 4 19 %, day 5 7.4 %. Placed at mid-day and
  linearly interpolated; before 12 h the day-1 value; zero after day 6
  (ILLUSTRATIVE cut-off). Validity: earthquake collapse data, used for
  typhoon house collapse (lighter structures, likely optimistic).
* ``immersion`` (people in the water / on a stricken small vessel):
  expected survival time in water by water temperature, USCG cold-water
  survival table (USCG *A Pocket Guide to Cold Water Survival*, after
  Golden & Tipton, *Essentials of Sea Survival*, 2002): 10-16 degC 1-6 h,
  16-21 degC 2-40 h, 21-27 degC 3 h to indefinitely. Modelled as an
  exponential survival S(t) = 0.5 ** (t / t50) with t50 the geometric mean of
  the table's range (27 degC and above: 40 h, ILLUSTRATIVE, as the table
  gives no upper bound). In a typhoon sea drowning, not cooling, dominates:
  an ILLUSTRATIVE storm-sea half-life of 6 h multiplies the survival.
* ``vessel`` (crew still aboard a stricken vessel in a storm): ILLUSTRATIVE
  half-life of 24 h (the vessel may founder and put them in the water; no
  published curve found).
* ``injured`` (gas, fire or trauma casualty needing care): the "golden hour"
  of trauma care; ILLUSTRATIVE exponential with a 50 % survival at 6 h.
* ``cut_off`` (isolated by flood or fire, not yet harmed): ILLUSTRATIVE
  half-life of 48 h. For flood-trapped people it applies only to the share at
  mortal risk (incident attribute ``at_risk_share``, Jonkman's depth-mortality
  function in scenarios/typhoon/hydro/mortality.py), not to everyone cut off.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import numpy as np

#: Tangshan 1976 trapped-victim survival by day rescued (Coburn & Spence 2002).
TANGSHAN_DAY_SURVIVAL = (0.81, 0.367, 0.333, 0.19, 0.074)

#: USCG cold-water survival table: (water temp lower bound degC, expected survival range h).
USCG_SURVIVAL_H = (
    (10.0, (1.0, 6.0)),
    (16.0, (2.0, 40.0)),
    (21.0, (3.0, 40.0)),  # "3 h to indefinitely": upper bound ILLUSTRATIVE
)

STORM_SEA_HALF_LIFE_H = 6.0  # ILLUSTRATIVE
INJURED_HALF_LIFE_H = 6.0  # ILLUSTRATIVE
CUT_OFF_HALF_LIFE_H = 48.0  # ILLUSTRATIVE
VESSEL_HALF_LIFE_H = 24.0  # ILLUSTRATIVE


def trapped_survival(t_h: np.ndarray | float) -> np.ndarray:
    """Survival of people trapped in a collapsed building rescued `t_h` hours after collapse."""
    days = np.array([12.0, 36.0, 60.0, 84.0, 108.0, 144.0])
    s = np.array([*TANGSHAN_DAY_SURVIVAL, 0.0])
    return np.interp(np.asarray(t_h, float), days, s)


def immersion_t50_h(water_c: float) -> float:
    """Median survival time in water of `water_c` degC (USCG table, geometric mean of range)."""
    if water_c < 10.0:
        raise ValueError(f"water temperature {water_c} degC below the modelled range (>= 10)")
    lo, hi = next(r for t, r in reversed(USCG_SURVIVAL_H) if water_c >= t)
    return float(np.sqrt(lo * hi))


def immersion_survival(
    t_h: np.ndarray | float, water_c: float = 28.0, storm_sea: bool = True
) -> np.ndarray:
    """Survival of people in the water `t_h` hours after the distress call."""
    t = np.asarray(t_h, float)
    s = 0.5 ** (t / immersion_t50_h(water_c))
    if storm_sea:
        s = s * 0.5 ** (t / STORM_SEA_HALF_LIFE_H)
    return s


def _half_life(h: float) -> Callable[[np.ndarray | float], np.ndarray]:
    return lambda t: 0.5 ** (np.asarray(t, float) / h)


CURVES: dict[str, Callable[[np.ndarray | float], np.ndarray]] = {
    "trapped": trapped_survival,
    "immersion": immersion_survival,
    "vessel": _half_life(VESSEL_HALF_LIFE_H),
    "injured": _half_life(INJURED_HALF_LIFE_H),
    "cut_off": _half_life(CUT_OFF_HALF_LIFE_H),
}

#: Default curve and people in distress by incident kind (people: ILLUSTRATIVE).
BY_KIND: dict[str, tuple[str, int]] = {
    "house_collapse": ("trapped", 2),
    "building_collapse": ("trapped", 4),
    "vessel_distress": ("vessel", 3),
    "river_distress": ("immersion", 2),
    "casualty": ("injured", 1),
    "gas_casualty": ("injured", 1),
    "chemical_casualty": ("injured", 1),
    "fire_casualty": ("injured", 1),
    "cut_off": ("cut_off", 5),
    "flood_trapped": ("cut_off", 10),  # typhoon chain: people = the trapped count
    "landslide_burial": ("trapped", 5),  # typhoon chain: people = the buried count
}


def deaths(
    curve: str, people: int, t_h: float, seed: int, key: str, at_risk: float = 1.0
) -> tuple[int, float]:
    """(deaths, expected deaths) of `people` rescued after `t_h` hours.

    Each person's fate is a uniform draw from a stream keyed by (seed, key), the
    same for every plan on that seed: a person dies iff u > S(t), so a faster
    rescue never kills more people than a slower one (monotone coupling).
    ``at_risk`` < 1 is the share of them in mortal danger at all (e.g. flood
    depth mortality): a second draw v per person, taken after the u's, and a
    person dies iff also v < at_risk; expected = people x at_risk x (1 - S(t)).
    """
    s = float(CURVES[curve](t_h))
    rng = np.random.default_rng([seed, zlib.crc32(key.encode())])
    die = rng.random(people) > s
    if at_risk >= 1.0:
        return int(die.sum()), people * (1.0 - s)
    die &= rng.random(people) < at_risk
    return int(die.sum()), people * at_risk * (1.0 - s)
