"""Timed public orders before landfall: warnings and evacuations by zone, and the 五停.

Guangdong typhoon practice issues warnings, orders the evacuation of coastal
and low-lying zones, and suspends classes, work, production, transport and
business (停课、停工、停产、停运、停业, "five stops") hours before landfall; the
lead times are the plan variables a drill varies. A zone is a set of resident
groups selected by district, distance of home to the coast and home elevation.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import DrillModel

FIVE_STOPS = ("停课", "停工", "停产", "停运", "停业")


def zone_groups(
    model: DrillModel,
    zone,
    home_coast_km: np.ndarray,
    home_elev_m: np.ndarray,
    home_hand_m: np.ndarray | None = None,
):
    """Indices of resident groups whose homes satisfy every criterion of `zone`.

    ``home_hand_m``: height above the nearest river reach (inf off the floodplain), for
    flood zones (``max_hand_m``); only typhoons with a rain chain have it.
    """
    res = model.residents
    if res is None:
        return np.zeros(0, dtype=np.int64)
    sel = np.ones(res.n, dtype=bool)
    if zone.districts is not None:
        sel &= np.isin(res.district, zone.districts)
    if zone.coast_km is not None:
        sel &= home_coast_km <= zone.coast_km
    if zone.max_elevation_m is not None:
        sel &= home_elev_m <= zone.max_elevation_m
    if getattr(zone, "max_hand_m", None) is not None and home_hand_m is not None:
        sel &= home_hand_m <= zone.max_hand_m
    return np.flatnonzero(sel)


def order_time(landfall_min: float, lead_h: float) -> float:
    """Clock time of an order `lead_h` hours before landfall (not before t=0)."""
    return max(0.0, landfall_min - lead_h * 60.0)


def warning_process(model: DrillModel, order, idx: np.ndarray, at: float) -> Generator:
    """Issue a public warning to `idx` at `at`."""
    if at > model.env.now:
        yield model.env.timeout(at - model.env.now)
    model.warnings.issue(idx, reason=order.id)


def evacuation_process(model: DrillModel, order, idx: np.ndarray, at: float) -> Generator:
    """Order the evacuation of `idx` at `at` (unwarned groups are warned first)."""
    if at > model.env.now:
        yield model.env.timeout(at - model.env.now)
    model.protective_actions.order_evacuation(idx, reason=order.id)


def five_stops_process(model: DrillModel, at: float) -> Generator:
    """Announce the five stops at `at` (logged; no behavioural effect is modelled)."""
    if at > model.env.now:
        yield model.env.timeout(at - model.env.now)
    model.log.emit(model.env.now, "five_stops_ordered", measures=list(FIVE_STOPS))


def relief_process(model: DrillModel, at: float, reason: str) -> Generator:
    """Release relief deliveries at `at` (pre-positioning into shelters before landfall)."""
    if at > model.env.now:
        yield model.env.timeout(at - model.env.now)
    model.relief.release(reason=reason)
