"""Relief supplies: depots as SimPy Containers, trucks as SimPy Resources.

Each depot is a tank of relief kits (food, water, bedding for one household
group) with a small fleet of trucks. Once relief is released (the hazard has
passed, or at once for sudden events), every shelter with households still
waiting asks the nearest depot with stock; a truck loads, drives the road
network and delivers. Households present when kits arrive are relieved.

Each level (city, county, town) also sends **its own first batch** from its own
stock to the first area in need after release (专栏1: 第一批市、县、镇级救灾物资),
instead of the city depot being only a fallback when county stock runs out.
Households displaced by damage (`on_displaced`) wait for kits at a demand point
in their district, like evacuees at a shelter.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.response.passable import passable_leg

if TYPE_CHECKING:
    from sim.model import DrillModel
    from sim.response.shelters import Shelter
    from sim.scenario.schema import DepotSpec


@dataclass
class Depot:
    """A relief depot with stock (Container) and trucks (Resource)."""

    id: str
    level: str
    x_m: float
    y_m: float
    district: int
    stock: simpy.Container
    trucks: simpy.Resource
    spec: DepotSpec
    first_batch_sent: bool = False


@dataclass
class ShelterRelief:
    """Relief bookkeeping of one shelter."""

    kits: int = 0
    waiting: list[int] = field(default_factory=list)
    inbound: int = 0


@dataclass
class DemandPoint:
    """Where displaced households of one district wait for relief (duck-types a Shelter)."""

    id: str
    x_m: float
    y_m: float


class ReliefSystem:
    """Match shelter demand to depot stock and truck deliveries."""

    truck_kmh = 50.0

    def __init__(self, model: DrillModel, depots: list[Depot]) -> None:
        self.model = model
        self.depots = depots
        self.released = model.env.event()
        self.t_release = math.nan
        self.by_shelter: dict[str, ShelterRelief] = {}
        self.levels_sent: set[str] = set()
        self.points: dict[str, DemandPoint] = {}

    def release(self, reason: str = "") -> None:
        """Allow deliveries from now on (roads passable, disaster declared)."""
        if self.released.triggered:
            return
        m = self.model
        self.t_release = m.env.now
        m.log.emit(m.env.now, "relief_released", reason=reason)
        self.released.succeed()
        for s in [*m.protective_actions.shelters, *self.points.values()]:
            self._maybe_request(s)

    def on_displaced(self, area: str, x_m: float, y_m: float, units: int) -> None:
        """`units` household groups displaced by damage now wait for relief at `area`."""
        if units <= 0:
            return
        pt = self.points.setdefault(area, DemandPoint(area, x_m, y_m))
        rel = self.by_shelter.setdefault(area, ShelterRelief())
        rel.waiting.extend([-1] * units)
        self._serve(pt)
        self._maybe_request(pt)

    def on_sheltered(self, i: int, shelter: Shelter) -> None:
        """A household group arrived at `shelter` and needs relief."""
        rel = self.by_shelter.setdefault(shelter.id, ShelterRelief())
        rel.waiting.append(i)
        self._serve(shelter)
        self._maybe_request(shelter)

    def _serve(self, shelter: Shelter) -> None:
        m = self.model
        rel = self.by_shelter.setdefault(shelter.id, ShelterRelief())
        displaced = 0
        while rel.waiting and rel.kits > 0:
            i = rel.waiting.pop(0)
            rel.kits -= 1
            if i < 0:  # a displaced household group at a district demand point
                displaced += 1
                continue
            res = m.residents
            m.log.emit(
                m.env.now,
                "household_relieved",
                subject_id=f"G{i}",
                x_m=shelter.x_m,
                y_m=shelter.y_m,
                shelter=shelter.id,
                people=int(res.people[i]),
                since_sheltered_min=m.env.now - float(res.t_move_end[i]),
            )
        if displaced:
            m.log.emit(
                m.env.now,
                "displaced_relieved",
                subject_id=shelter.id,
                x_m=shelter.x_m,
                y_m=shelter.y_m,
                kits=displaced,
            )

    def _maybe_request(self, shelter: Shelter) -> None:
        rel = self.by_shelter.setdefault(shelter.id, ShelterRelief())
        need = len(rel.waiting) - rel.kits - rel.inbound
        if need <= 0 or not self.released.triggered:
            return
        self._level_first_batches(shelter)
        need = len(rel.waiting) - rel.kits - rel.inbound
        if need <= 0:
            return
        depot = self._pick_depot(shelter)
        if depot is None:
            return
        n = min(need, depot.spec.kits_per_truck)
        rel.inbound += n
        self.model.env.process(self._deliver(depot, shelter, n))

    def _level_first_batches(self, shelter: Shelter) -> None:
        """Every level that has not yet sent one sends its own first batch to `shelter`."""
        for level in sorted({d.level for d in self.depots} - self.levels_sent):
            depot = self._pick_depot(shelter, level)
            if depot is None:
                continue
            self.levels_sent.add(level)
            n = min(depot.spec.kits_per_truck, int(depot.stock.level))
            self.by_shelter[shelter.id].inbound += n
            self.model.env.process(self._deliver(depot, shelter, n))

    def _pick_depot(self, shelter: Shelter, level: str | None = None) -> Depot | None:
        cands = [
            d for d in self.depots if d.stock.level > 0 and (level is None or d.level == level)
        ]
        if not cands:
            return None
        origins = np.array([(d.x_m, d.y_m) for d in cands])
        t = self.model.router.travel_time_min(
            "road", origins, (shelter.x_m, shelter.y_m), self.truck_kmh
        )
        k = int(np.argmin(t))
        return cands[k] if np.isfinite(t[k]) else None

    def _deliver(self, depot: Depot, shelter: Shelter, n: int) -> Generator:
        m = self.model
        env = m.env
        with depot.trucks.request() as req:
            yield req
            n_take = min(n, int(depot.stock.level))
            if n_take <= 0:
                self.by_shelter[shelter.id].inbound -= n
                return
            yield depot.stock.get(n_take)
            yield env.timeout(depot.spec.load_min)
            leg = yield from passable_leg(
                m, "road", (depot.x_m, depot.y_m), (shelter.x_m, shelter.y_m), self.truck_kmh,
                unit_id=f"truck@{depot.id}", subject_id=shelter.id,
            )  # fmt: skip
            first = not depot.first_batch_sent
            depot.first_batch_sent = True
            m.log.emit(
                env.now,
                "supplies_dispatched",
                unit_id=f"truck@{depot.id}",
                x_m=depot.x_m,
                y_m=depot.y_m,
                depot=depot.id,
                level=depot.level,
                shelter=shelter.id,
                kits=n_take,
                eta_min=leg.time_min,
            )
            yield env.timeout(leg.time_min)
            rel = self.by_shelter[shelter.id]
            rel.inbound -= n
            rel.kits += n_take
            m.log.emit(
                env.now,
                "supplies_delivered",
                unit_id=f"truck@{depot.id}",
                x_m=shelter.x_m,
                y_m=shelter.y_m,
                depot=depot.id,
                level=depot.level,
                shelter=shelter.id,
                kits=n_take,
                first_batch=first,
                since_release_min=env.now - self.t_release,
            )
            self._serve(shelter)
            yield env.timeout(leg.time_min)
        self._maybe_request(shelter)


def relief_areas(model: DrillModel) -> list[tuple[str, float, float]]:
    """(id, x, y) of every place relief goes: shelters and district demand points.

    A district's point (`D<adcode>`) is the mean home of its residents.
    """
    areas = [(s.id, s.x_m, s.y_m) for s in model.protective_actions.shelters]
    res = model.residents
    if res is not None:
        for d in np.unique(res.district).tolist():
            here = res.district == d
            areas.append((f"D{d}", float(res.home_x[here].mean()), float(res.home_y[here].mean())))
    return areas


def log_onsets(model: DrillModel, onset_min: float, rule: str) -> None:
    """`disaster_onset` at every relief area: where the first-batch clocks of 专栏1 start.

    For hazards whose onset is one moment for the whole affected area (a chemical
    release, a forest fire's ignition); the typhoon computes one per area.
    """
    for area, _x, _y in relief_areas(model):
        model.log.emit(model.env.now, "disaster_onset", area=area, onset_min=onset_min, rule=rule)
