"""Shelters and protective actions: evacuate or shelter in place.

Shelters are capacity counters; groups ordered to evacuate are allocated to
the shelter with the shortest road time that still has room, and travel there
as a vectorised movement. A group that finds every shelter full is recorded as
overflow instead of silently squeezed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.agents.residents import ResidentState

if TYPE_CHECKING:
    from sim.model import DrillModel


@dataclass
class Shelter:
    """One emergency shelter."""

    id: str
    x_m: float
    y_m: float
    capacity: int
    area_m2: float
    urban: bool
    occupants: int = 0
    reserved: int = 0
    open: bool = True

    @property
    def free(self) -> int:
        """Places not yet taken or promised."""
        return self.capacity - self.occupants - self.reserved


class ProtectiveActions:
    """Evacuation and shelter-in-place orders over resident groups."""

    def __init__(self, model: DrillModel, shelters: list[Shelter]) -> None:
        self.model = model
        self.shelters = shelters
        n = model.residents.n if model.residents is not None else 0
        self.evac_ordered = np.zeros(n, dtype=bool)
        self.sip_ordered = np.zeros(n, dtype=bool)
        self.reaction_min = 15.0

    # -- orders ---------------------------------------------------------------
    def order_evacuation(self, idx: np.ndarray, reason: str = "") -> None:
        """Order groups `idx` to evacuate; warned groups leave, others are warned."""
        m = self.model
        idx = np.asarray(idx, dtype=np.int64)
        m.log.emit(m.env.now, "evacuation_ordered", groups=int(idx.size), reason=reason)
        self.evac_ordered[idx] = True
        res = m.residents
        warned = idx[res.t_warned[idx] >= 0]
        self._depart(warned)
        m.warnings.issue(idx[~(res.t_warned[idx] >= 0)], reason=f"evacuation: {reason}")

    def order_shelter_in_place(self, idx: np.ndarray, reason: str = "") -> None:
        """Order groups `idx` to stay indoors (effective once warned)."""
        m = self.model
        idx = np.asarray(idx, dtype=np.int64)
        m.log.emit(m.env.now, "shelter_ordered", groups=int(idx.size), reason=reason)
        self.sip_ordered[idx] = True
        res = m.residents
        res.indoor[idx[res.t_warned[idx] >= 0]] = True
        m.warnings.issue(idx[~(res.t_warned[idx] >= 0)], reason=f"shelter in place: {reason}")

    def on_warned(self, i: int) -> None:
        """A warning reached group `i`: act on standing orders."""
        if self.evac_ordered[i]:
            self._depart(np.array([i]))
        elif self.sip_ordered[i]:
            self.model.residents.indoor[i] = True

    # -- movement ---------------------------------------------------------------
    def _depart(self, idx: np.ndarray) -> None:
        m = self.model
        res = m.residents
        idx = idx[
            (res.state[idx] == ResidentState.UNAWARE) | (res.state[idx] == ResidentState.WARNED)
        ]
        if idx.size == 0 or not self.shelters:
            return
        open_sh = [s for s in self.shelters if s.open]
        origins = np.column_stack([res.x[idx], res.y[idx]])
        speed = m.spec.residents.drive_kmh if m.spec.residents else 30.0
        times = np.column_stack(
            [m.router.travel_time_min("road", origins, (s.x_m, s.y_m), speed) for s in open_sh]
        )
        order = np.argsort(times, axis=1, kind="stable")
        dest = np.full(idx.size, -1)
        for k, i in enumerate(idx.tolist()):
            need = int(res.people[i])
            for j in order[k]:
                if not np.isfinite(times[k, j]):
                    break
                if open_sh[j].free >= need:
                    open_sh[j].reserved += need
                    dest[k] = j
                    break
        ok = dest >= 0
        if (~ok).any():
            m.log.emit(
                m.env.now,
                "shelter_full",
                groups=int((~ok).sum()),
                people=int(res.people[idx[~ok]].sum()),
            )
        go = idx[ok]
        if go.size == 0:
            return
        sh = [open_sh[j] for j in dest[ok]]
        travel = times[np.flatnonzero(ok), dest[ok]] + self.reaction_min
        traffic = getattr(m, "traffic", None)  # optional sim.response.traffic.RoadTraffic
        if traffic is not None:
            sxy = np.array([(s.x_m, s.y_m) for s in sh])
            road, delay = traffic.evacuate(
                np.column_stack([res.x[go], res.y[go]]),
                res.people[go],
                sxy,
                m.env.now + self.reaction_min,
                speed,
            )
            travel = np.where(np.isfinite(road), road + self.reaction_min, travel)
            m.log.emit(
                m.env.now,
                "evacuation_traffic",
                groups=int(go.size),
                mean_delay_min=float(delay[np.isfinite(delay)].mean())
                if np.isfinite(delay).any()
                else 0.0,
                max_delay_min=float(delay[np.isfinite(delay)].max())
                if np.isfinite(delay).any()
                else 0.0,
                no_open_road=int((~np.isfinite(road)).sum()),
            )
        res.shelter[go] = [self.shelters.index(s) for s in sh]
        res.start_moving(
            go, m.env.now, np.array([s.x_m for s in sh]), np.array([s.y_m for s in sh]), travel
        )
        for i in go.tolist():
            m.log.emit(
                m.env.now,
                "household_evacuating",
                subject_id=f"G{i}",
                x_m=res.x[i],
                y_m=res.y[i],
                shelter=self.shelters[res.shelter[i]].id,
                people=int(res.people[i]),
            )

    def arrive(self, idx: np.ndarray) -> None:
        """Groups `idx` reached their shelters."""
        m = self.model
        res = m.residents
        for i in idx.tolist():
            s = self.shelters[res.shelter[i]]
            p = int(res.people[i])
            s.reserved -= p
            s.occupants += p
            res.state[i] = ResidentState.SHELTERED
            m.log.emit(
                m.env.now,
                "household_sheltered",
                subject_id=f"G{i}",
                x_m=s.x_m,
                y_m=s.y_m,
                shelter=s.id,
                people=p,
                occupancy=s.occupants,
                capacity=s.capacity,
            )
            m.relief.on_sheltered(i, s)
