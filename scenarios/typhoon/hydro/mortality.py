"""Flood mortality by water depth: the share of trapped people at mortal risk.

Jonkman et al. (2008), "Methods for the estimation of loss of life due to floods:
a literature review and a proposal for a new method", *Natural Hazards* 46:353-389,
and Jonkman (2007), *Loss of life estimation in flood risk assessment*, PhD thesis,
TU Delft: mortality among the exposed population in the "remaining zone" (outside
breach and rapidly-rising zones, i.e. a slowly rising river or rain flood) is a
lognormal function of the local water depth h (m):

    F_D(h) = Phi((ln h - mu_N) / sigma_N),   mu_N = 7.60, sigma_N = 2.75

(Phi = standard normal CDF), fitted to historical floods (mainly the 1953 Dutch flood)
among the exposed who were not evacuated. Parameters as recalled from those texts: the
offline search could not show the equation page, so they are not re-read here. Order of
magnitude check: F_D is ~1 % at 3-4 m, and Jonkman et al. (2009, Risk Analysis
29:676-698, abstract) give ~1 % overall mortality among the exposed in Katrina's New
Orleans flood, "similar to historical flood events".
jmsim reads it as the share of the trapped who would die if nobody came; their
survival then depends on time to rescue (``cut_off`` curve, sim/response/survival.py),
so a faster rescue still saves lives. Validity: depth only (no velocity or rise rate,
which Jonkman's other zones use); coarse DEM depths; Dutch/US building stock.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr


def jonkman_remaining_zone(depth_m, mu_n: float = 7.60, sigma_n: float = 2.75) -> np.ndarray:
    """F_D(h): share of the exposed who die at water depth ``depth_m`` (0 where h <= 0)."""
    h = np.asarray(depth_m, float)
    with np.errstate(divide="ignore"):
        z = (np.log(np.where(h > 0, h, 1.0)) - mu_n) / sigma_n
    return np.where(h > 0, ndtr(z), 0.0)
