"""The dispatch centre: a priority queue of incidents matched to free units.

Like a 119/120 call centre, incidents wait in a queue ordered by priority and
report time. Whenever an incident arrives or a unit frees up, a SimPy process
wakes and assigns the best free capable unit by the policy (default: shortest
travel time). Each assignment runs the unit's cycle: turnout, travel, on-scene
work, return, as SimPy timeouts on the model clock.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from sim.agents.units import Team, UnitStatus
from sim.response.incident import Incident

if TYPE_CHECKING:
    from sim.model import DrillModel
    from sim.scenario.schema import DispatchSpec

#: Travel modes a unit may use for an incident in each domain, in order of preference.
DOMAIN_MODES: dict[str, tuple[str, ...]] = {
    "land": ("road", "air"),
    "sea": ("sea", "air"),
    "river": ("river", "air"),
    "air": ("air",),
}

OnScene = Callable[["DrillModel", Incident, Team], Generator[Any, Any, None]]


def default_on_scene(model: DrillModel, incident: Incident, unit: Team) -> Generator:
    """Work on scene for an exponential time with mean `incident.work_min`."""
    mean = incident.work_min
    dur = float(model.streams.response.exponential(mean)) if mean > 0 else 0.0
    yield model.env.timeout(dur)


class DispatchCenter:
    """Queue incidents, choose units, and run their dispatch cycles."""

    def __init__(self, model: DrillModel, spec: DispatchSpec) -> None:
        self.model = model
        self.env: simpy.Environment = model.env
        self.spec = spec
        self.auto = spec.auto
        self._pending: list[tuple[int, float, int, Incident]] = []
        self._seq = itertools.count()
        self._matching = False
        self.incidents: dict[str, Incident] = {}
        self.handlers: dict[str, OnScene] = {}

    # -- intake -------------------------------------------------------------
    def report(self, incident: Incident) -> None:
        """Log an incident and queue it after call handling."""
        m = self.model
        self.incidents[incident.id] = incident
        m.log.emit(
            self.env.now,
            "incident_reported",
            incident_id=incident.id,
            x_m=incident.x_m,
            y_m=incident.y_m,
            incident_kind=incident.kind,
            domain=incident.domain,
            needs=incident.needs,
            priority=incident.priority,
            **incident.attrs,
        )
        if self.spec.call_handling_min > 0:
            self.env.process(self._handle_call(incident))
        else:
            self._enqueue(incident)

    def _handle_call(self, incident: Incident) -> Generator:
        yield self.env.timeout(self.spec.call_handling_min)
        self._enqueue(incident)

    def _enqueue(self, incident: Incident) -> None:
        heapq.heappush(
            self._pending, (incident.priority, incident.t_reported, next(self._seq), incident)
        )
        self.model.log.emit(self.env.now, "incident_queued", incident_id=incident.id)
        self.wake()

    def wake(self) -> None:
        """Match queued incidents to free units now (new incident or freed unit).

        Matching is synchronous: assignments only start SimPy processes, so it
        never re-enters itself and costs no extra simulation event.
        """
        if self.auto and not self._matching and self._pending:
            self._matching = True
            try:
                self._match()
            finally:
                self._matching = False

    # -- matching -----------------------------------------------------------
    def _match(self) -> None:
        free = self.free_units()
        if not free:
            return
        still: list = []
        while self._pending and free:
            item = heapq.heappop(self._pending)
            inc = item[3]
            while len(inc.assigned) < inc.units_needed:
                choice = self.best_unit(inc, free)
                if choice is None:
                    break
                unit, mode, eta = choice
                free.remove(unit)
                self.assign(unit, inc, mode, eta)
            if len(inc.assigned) < inc.units_needed and not inc.resolved:
                still.append(item)
        for item in still:
            heapq.heappush(self._pending, item)

    def free_units(self) -> list[Team]:
        """Units available for dispatch now."""
        avail = UnitStatus.AVAILABLE
        return [u for u in self.model.teams if u.status is avail]

    def best_unit(
        self, inc: Incident, free: list[Team] | None = None
    ) -> tuple[Team, str, float] | None:
        """The free capable unit with the shortest travel time (ties: lowest agent id).

        Candidates are grouped by (mode, speed) so each group costs one vectorised
        router call (one Dijkstra from the incident for road travel).
        """
        needs = inc.needs
        cands = [
            u
            for u in (self.free_units() if free is None else free)
            if needs in u.capabilities or "any" in u.capabilities
        ]
        if not cands:
            return None
        best: tuple[float, int, Team, str] | None = None
        dest = (inc.x_m, inc.y_m)
        first_free = self.spec.policy == "first_free"
        for mode in DOMAIN_MODES[inc.domain]:
            groups: dict[float, list[Team]] = {}
            for u in cands:
                speed = u.vehicle.speed_kmh.get(mode)
                if speed is not None:
                    groups.setdefault(speed, []).append(u)
            for speed, units in groups.items():
                if first_free:
                    times = [0.0] * len(units)
                else:
                    origins = [u.xy for u in units]
                    times = self.model.router.travel_time_min(mode, origins, dest, speed).tolist()
                for u, t in zip(units, times, strict=True):
                    if t < math.inf and (best is None or (t, u.unique_id) < best[:2]):
                        best = (t, u.unique_id, u, mode)
        if best is None:
            return None
        return best[2], best[3], best[0]

    # -- the unit cycle -----------------------------------------------------
    def assign(self, unit: Team, inc: Incident, mode: str, eta_min: float = math.nan) -> None:
        """Commit `unit` to `inc` and start its cycle (also used by trainee commands)."""
        unit.status = UnitStatus.DISPATCHED
        unit.incident_id = inc.id
        inc.assigned.append(unit.uid)
        self.model.log.emit(
            self.env.now,
            "unit_dispatched",
            incident_id=inc.id,
            unit_id=unit.uid,
            x_m=unit.xy[0],
            y_m=unit.xy[1],
            mode=mode,
            eta_min=eta_min,
            wait_min=self.env.now - inc.t_reported,
        )
        self.env.process(self._cycle(unit, inc, mode))

    def _cycle(self, unit: Team, inc: Incident, mode: str) -> Generator:
        m, env = self.model, self.env
        if self.spec.turnout_min > 0:
            yield env.timeout(self.spec.turnout_min)
        if unit.launch_limit_wind_m_s is not None:
            yield from self._await_launch(unit)
        leg = m.router.route(mode, unit.xy, (inc.x_m, inc.y_m), unit.vehicle.speed_kmh[mode])
        unit.route_xy, unit.route_t = leg.path_xy, (env.now, env.now + leg.time_min)
        if leg.time_min > 0:
            yield env.timeout(leg.time_min)
        unit.xy = (inc.x_m, inc.y_m)
        unit.route_xy = None
        unit.status = UnitStatus.ON_SCENE
        first = math.isnan(inc.t_first_arrival)
        if first:
            inc.t_first_arrival = env.now
        m.log.emit(
            env.now,
            "unit_arrived",
            incident_id=inc.id,
            unit_id=unit.uid,
            x_m=inc.x_m,
            y_m=inc.y_m,
            mode=mode,
            travel_min=leg.time_min,
            length_m=leg.length_m,
            first=first,
            response_min=env.now - inc.t_reported,
        )
        handler = self.handlers.get(inc.kind)
        if handler is None:  # default: exponential work time (inlined: hot path)
            yield env.timeout(
                m.streams.response.exponential(inc.work_min) if inc.work_min > 0 else 0.0
            )
        else:
            yield from handler(m, inc, unit)
        m.log.emit(env.now, "unit_departed_scene", incident_id=inc.id, unit_id=unit.uid)
        inc.assigned.remove(unit.uid)
        if not inc.assigned and not inc.resolved:
            self.resolve(inc)
        yield from self._return(unit, mode)

    def resolve(self, inc: Incident) -> None:
        """Close an incident (by the last unit on scene, or by the hazard)."""
        if inc.resolved:
            return
        inc.t_resolved = self.env.now
        self.model.log.emit(
            self.env.now,
            "incident_resolved",
            incident_id=inc.id,
            x_m=inc.x_m,
            y_m=inc.y_m,
            duration_min=self.env.now - inc.t_reported,
        )

    def _await_launch(self, unit: Team) -> Generator:
        """Hold a boat or aircraft at base while the wind exceeds its launch limit."""
        limit = unit.launch_limit_wind_m_s
        wind_at = getattr(self.model.hazard, "wind_m_s", None)
        if limit is None or wind_at is None:
            return
        t0 = self.env.now
        while float(wind_at(np.array([unit.xy[0]]), np.array([unit.xy[1]]))[0]) > limit:
            yield self.env.timeout(self.model.tick_min)
        if self.env.now > t0:
            self.model.log.emit(
                self.env.now, "unit_launch_delayed", unit_id=unit.uid, delay_min=self.env.now - t0
            )

    def _return(self, unit: Team, mode: str) -> Generator:
        m, env = self.model, self.env
        unit.status = UnitStatus.RETURNING
        unit.incident_id = ""
        leg = m.router.route(mode, unit.xy, unit.base_xy, unit.vehicle.speed_kmh[mode])
        unit.route_xy, unit.route_t = leg.path_xy, (env.now, env.now + leg.time_min)
        if leg.time_min > 0:
            yield env.timeout(leg.time_min)
        unit.xy = unit.base_xy
        unit.route_xy = None
        if unit.status is UnitStatus.RETURNING:
            unit.status = UnitStatus.AVAILABLE
            m.log.emit(env.now, "unit_returned", unit_id=unit.uid)
            self.wake()

    @property
    def queue_length(self) -> int:
        """Incidents waiting for at least one more unit."""
        return len(self._pending)
