"""Shelters and protective actions: evacuate or shelter in place.

Shelters are capacity counters; groups ordered to evacuate are allocated to
the shelter with the shortest road time that still has room, and travel there
as a vectorised movement. A group that finds every shelter full is recorded as
overflow instead of silently squeezed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class OrderOutcome:
    """What an evacuation or shelter-in-place order did, in numbers (command feedback)."""

    action: str  # "evacuation" | "shelter-in-place"
    groups: int = 0
    people: int = 0
    leaving: int = 0  # groups on their way to a shelter now
    indoors: int = 0  # groups sheltering in place now
    awaiting_warning: int = 0  # not warned yet: they act when the warning reaches them
    already_safe: int = 0  # sheltered, already evacuating, or injured
    no_room: int = 0  # warned, but every reachable open shelter is full
    no_road: int = 0  # warned, but no open shelter is reachable by road
    full_shelters: list[str] = field(default_factory=list)
    destinations: dict[str, int] = field(default_factory=dict)

    def payload(self) -> dict:
        """Numbers for the event log."""
        return {k: v for k, v in self.__dict__.items() if k != "action"}

    def text(self, label: str) -> str:
        """One line for the trainee, e.g. 'Evacuation C3: 33 groups ordered, 0 leave now: ...'."""
        head = f"{self.action.capitalize()} {label}: {self.groups} groups ({self.people:,} people) ordered"
        if self.groups == 0:
            return head + ": nobody lives in that zone"
        bits = []
        if self.action == "evacuation":
            dest = ", ".join(f"{k} {v}" for k, v in sorted(self.destinations.items()))
            bits.append(f"{self.leaving} leave now" + (f" (to {dest})" if dest else ""))
        else:
            bits.append(f"{self.indoors} indoors now")
        if self.awaiting_warning:
            bits.append(f"{self.awaiting_warning} not warned yet (warning sent)")
        if self.already_safe:
            bits.append(f"{self.already_safe} already sheltered/evacuating/injured")
        if self.no_room:
            full = " and ".join(self.full_shelters[:4]) or "all reachable shelters"
            bits.append(f"{self.no_room} cannot leave: shelters {full} full")
        if self.no_road:
            bits.append(f"{self.no_road} cannot reach any open shelter by road")
        return head + ", " + "; ".join(bits)


#: States from which a group cannot set off for a shelter. A group the hazard
#: reached at home (EXPOSED, e.g. typhoon wind) can still leave when ordered.
_NOT_LEAVING = frozenset({ResidentState.EVACUATING, ResidentState.SHELTERED, ResidentState.INJURED})


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
    def order_evacuation(self, idx: np.ndarray, reason: str = "") -> OrderOutcome:
        """Order groups `idx` to evacuate; warned groups leave, others are warned."""
        m = self.model
        idx = np.asarray(idx, dtype=np.int64)
        m.log.emit(m.env.now, "evacuation_ordered", groups=int(idx.size), reason=reason)
        self.evac_ordered[idx] = True
        res = m.residents
        out = self._outcome("evacuation", idx)
        if res is None:
            return out
        warned = idx[res.t_warned[idx] >= 0]
        self._depart(warned, out)
        m.warnings.issue(idx[~(res.t_warned[idx] >= 0)], reason=f"evacuation: {reason}")
        return out

    def order_shelter_in_place(self, idx: np.ndarray, reason: str = "") -> OrderOutcome:
        """Order groups `idx` to stay indoors (effective once warned)."""
        m = self.model
        idx = np.asarray(idx, dtype=np.int64)
        m.log.emit(m.env.now, "shelter_ordered", groups=int(idx.size), reason=reason)
        self.sip_ordered[idx] = True
        res = m.residents
        out = self._outcome("shelter-in-place", idx)
        if res is None:
            return out
        now_in = idx[res.t_warned[idx] >= 0]
        res.indoor[now_in] = True
        out.indoors = int(now_in.size)
        m.warnings.issue(idx[~(res.t_warned[idx] >= 0)], reason=f"shelter in place: {reason}")
        return out

    def _outcome(self, action: str, idx: np.ndarray) -> OrderOutcome:
        res = self.model.residents
        out = OrderOutcome(action, groups=int(idx.size))
        if res is None or idx.size == 0:
            return out
        out.people = int(res.people[idx].sum())
        out.awaiting_warning = int((~(res.t_warned[idx] >= 0)).sum())  # NaN: never targeted
        if action == "evacuation":
            st = res.state[idx[res.t_warned[idx] >= 0]]
            out.already_safe = int(np.isin(st, list(_NOT_LEAVING)).sum())
        return out

    def on_warned(self, i: int) -> None:
        """A warning reached group `i`: act on standing orders."""
        if self.evac_ordered[i]:
            self._depart(np.array([i]))
        elif self.sip_ordered[i]:
            self.model.residents.indoor[i] = True

    # -- movement ---------------------------------------------------------------
    def _depart(self, idx: np.ndarray, out: OrderOutcome | None = None) -> None:
        """Send groups `idx` that can still leave (at home, even if the hazard reached them)."""
        m = self.model
        res = m.residents
        idx = idx[~np.isin(res.state[idx], list(_NOT_LEAVING))]
        open_sh = [s for s in self.shelters if s.open]
        if idx.size == 0:
            return
        if not open_sh:
            if out is not None:
                out.no_room += int(idx.size)
                out.full_shelters = ["(none open)"]
            return
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
        if out is not None:
            reach = np.isfinite(times).any(axis=1)
            out.no_road += int((~ok & ~reach).sum())
            out.no_room += int((~ok & reach).sum())
            if (~ok & reach).any():
                out.full_shelters = [
                    f"{s.id} ({s.occupants + s.reserved:,}/{s.capacity:,})"
                    for s in open_sh
                    if s.free < int(res.people[idx].min())
                ]
            out.leaving += int(ok.sum())
            for j in dest[ok].tolist():
                out.destinations[open_sh[j].id] = out.destinations.get(open_sh[j].id, 0) + 1
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
