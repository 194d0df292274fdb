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
from simpy.events import PENDING, URGENT

from sim.agents.status import UnitStatus
from sim.response.incident import Incident

if TYPE_CHECKING:
    from sim.agents.units import Team
    from sim.model import DrillModel
    from sim.scenario.schema import DispatchSpec

#: Travel modes a unit may use for an incident in each domain, in order of preference.
DOMAIN_MODES: dict[str, tuple[str, ...]] = {
    "land": ("road", "air"),
    "sea": ("sea", "air"),
    "river": ("river", "air"),
    "air": ("air",),
}

OnScene = Callable[["DrillModel", Incident, "Team"], Generator[Any, Any, None]]


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
        self.incidents: dict[str, Incident] = {}
        self.handlers: dict[str, OnScene] = {}
        self._groups: dict[tuple[str, tuple[str, ...]], list[tuple[str, float, list[Team]]]] = {}
        self._groups_for_n = -1
        self._next_job: dict[str, simpy.Event] = {}
        self._loops: dict[str, simpy.Process] = {}
        self._in_cycle: set[str] = set()  # units between taking a job and being back at base

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

        Matching is synchronous and costs no simulation event. It cannot re-enter
        itself: an assignment only schedules the unit's job, and the unit acts
        when SimPy processes that event, after matching has finished.
        """
        if self._pending and self.auto:
            self._match()

    # -- matching -----------------------------------------------------------
    def _match(self) -> None:
        n_free = [u.status for u in self.model.teams].count(UnitStatus.AVAILABLE)
        if not n_free:
            return
        still: list = []
        while self._pending and n_free:
            item = heapq.heappop(self._pending)
            inc = item[3]
            while len(inc.assigned) < inc.units_needed:
                choice = self.best_unit(inc)
                if choice is None:
                    break
                unit, mode, eta = choice
                n_free -= 1
                self.assign(unit, inc, mode, eta)
            if len(inc.assigned) < inc.units_needed and not inc.resolved:
                still.append(item)
        for item in still:
            heapq.heappush(self._pending, item)

    def free_units(self) -> list[Team]:
        """Units available for dispatch now."""
        avail = UnitStatus.AVAILABLE
        return [u for u in self.model.teams if u.status is avail]

    def _candidate_groups(
        self, needs: str, modes: tuple[str, ...]
    ) -> list[tuple[str, float, list[Team]]]:
        """Units able to serve `needs`, as (mode, speed, units) in `modes` order.

        Capabilities and vehicle speeds are fixed per unit, so the grouping is
        computed once per (needs, modes) and only rebuilt when units are added
        (mutual aid); each dispatch then just filters by status.
        """
        teams = self.model.teams
        if len(teams) != self._groups_for_n:
            self._groups.clear()
            self._groups_for_n = len(teams)
        key = (needs, modes)
        groups = self._groups.get(key)
        if groups is None:
            cands = [u for u in teams if u.can_serve(needs)]
            groups = []
            for mode in modes:
                by_speed: dict[float, list[Team]] = {}
                for u in cands:
                    speed = u.vehicle.speed_kmh.get(mode)
                    if speed is not None:
                        by_speed.setdefault(speed, []).append(u)
                groups.extend((mode, speed, units) for speed, units in by_speed.items())
            self._groups[key] = groups
        return groups

    def nearest_free(
        self, needs: str, modes: tuple[str, ...], dest: tuple[float, float]
    ) -> tuple[Team, str, float] | None:
        """The free unit able to serve `needs` that reaches `dest` first by one of `modes`.

        Returns (unit, mode, travel minutes); ties go to the lowest agent id, and
        under the `first_free` policy every reachable unit ties. Candidates are
        grouped by (mode, speed) so each group costs one vectorised router call
        (one Dijkstra from `dest` for road travel).
        """
        avail = UnitStatus.AVAILABLE
        first_free = self.spec.policy == "first_free"
        travel = self.model.router.travel_time_min
        best_t, best_id, best_u, best_mode = math.inf, 0, None, ""
        for mode, speed, units in self._candidate_groups(needs, modes):
            free = [u for u in units if u.status is avail]
            if not free:
                continue
            if first_free:
                times = [0.0] * len(free)
            else:
                times = travel(mode, [u.xy for u in free], dest, speed).tolist()
            for u, t in zip(free, times, strict=True):
                if t < best_t or (t == best_t and best_u is not None and u.unique_id < best_id):
                    best_t, best_id, best_u, best_mode = t, u.unique_id, u, mode
        if best_u is None:
            return None
        return best_u, best_mode, best_t

    def best_unit(self, inc: Incident) -> tuple[Team, str, float] | None:
        """The unit the dispatch policy sends to `inc` now, by the incident domain's modes."""
        return self.nearest_free(inc.needs, DOMAIN_MODES[inc.domain], (inc.x_m, inc.y_m))

    # -- the unit cycle -----------------------------------------------------
    def assign(self, unit: Team, inc: Incident, mode: str, eta_min: float = math.nan) -> None:
        """Commit `unit` to `inc` and start its cycle (also used by trainee commands)."""
        if unit.status is not UnitStatus.AVAILABLE:
            raise RuntimeError(
                f"unit {unit.uid!r} is {unit.status.value}; only an available unit can be assigned"
            )
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
        job = self._next_job.get(unit.uid)
        if job is None:  # the unit's first job: start its long-lived process
            job = self._next_job[unit.uid] = self.env.event()
            self._loops[unit.uid] = self.env.process(self._unit_loop(unit, job))
        # Trigger like SimPy's own process start (urgent, now): a unit's jobs keep
        # the place in the event order that a new process per job would have,
        # without the cost of one.
        if job._value is not PENDING:  # its loop has not taken the last job: a logic error
            raise RuntimeError(f"unit {unit.uid!r} was given a job before taking its previous one")
        job._ok, job._value = True, (inc, mode)
        self.env.schedule(job, URGENT)

    def _unit_loop(self, unit: Team, job: simpy.Event) -> Generator:
        """One process per unit for the whole run: wait for a job, do its cycle, repeat.

        The cycle (`_cycle`): turnout, launch hold (boats, aircraft), travel,
        on-scene work (the incident kind's handler, else exponential), return to
        base. A breakdown interrupts it (`break_down`).
        """
        env = self.env
        while True:
            inc, mode = yield job
            # Ready before the cycle ends: the return may reassign the unit at once.
            job = self._next_job[unit.uid] = env.event()
            self._in_cycle.add(unit.uid)
            try:
                yield from self._cycle(unit, inc, mode)
            except simpy.Interrupt:
                self._pulled_off(unit, inc)
            self._in_cycle.discard(unit.uid)

    def _cycle(self, unit: Team, inc: Incident, mode: str) -> Generator:
        """One job: turnout, launch hold, travel, on-scene work, return to base."""
        env, m = self.env, self.model
        log = m.log
        on_scene, returning = UnitStatus.ON_SCENE, UnitStatus.RETURNING
        speed = unit.vehicle.speed_kmh[mode]
        if self.spec.turnout_min > 0:
            yield env.timeout(self.spec.turnout_min)
        if unit.launch_limit_wind_m_s is not None:
            yield from self._await_launch(unit)
        dest = (inc.x_m, inc.y_m)
        leg = m.router.route(mode, unit.xy, dest, speed)
        now = env.now
        unit.route_xy, unit.route_t = leg.path_xy, (now, now + leg.time_min)
        if leg.time_min > 0:
            yield env.timeout(leg.time_min)
            now = env.now
        unit.xy = dest
        unit.route_xy = None
        unit.status = on_scene
        first = math.isnan(inc.t_first_arrival)
        if first:
            inc.t_first_arrival = now
        log.emit(
            now,
            "unit_arrived",
            incident_id=inc.id,
            unit_id=unit.uid,
            x_m=dest[0],
            y_m=dest[1],
            mode=mode,
            travel_min=leg.time_min,
            length_m=leg.length_m,
            first=first,
            response_min=now - inc.t_reported,
        )
        handler = self.handlers.get(inc.kind)
        if handler is None:  # default: exponential work time
            yield env.timeout(
                m.streams.response.exponential(inc.work_min) if inc.work_min > 0 else 0.0
            )
        else:
            yield from handler(m, inc, unit)
        log.emit(env.now, "unit_departed_scene", incident_id=inc.id, unit_id=unit.uid)
        inc.assigned.remove(unit.uid)
        if not inc.assigned and not inc.resolved:
            self.resolve(inc)
        # return to base
        unit.status = returning
        unit.incident_id = ""
        leg = m.router.route(mode, unit.xy, unit.base_xy, speed)
        now = env.now
        unit.route_xy, unit.route_t = leg.path_xy, (now, now + leg.time_min)
        if leg.time_min > 0:
            yield env.timeout(leg.time_min)
        unit.xy = unit.base_xy
        unit.route_xy = None
        if unit.status is returning:
            unit.status = UnitStatus.AVAILABLE
            log.emit(env.now, "unit_returned", unit_id=unit.uid)
            self.wake()

    def break_down(self, unit: Team) -> str:
        """Take a unit out of service now; a unit on a job is pulled off it.

        Returns the incident it was pulled off ("" if none). The incident, if
        still open and now short of units, goes back in the queue
        (`incident_requeued`) so another unit can be sent.
        """
        inc_id = unit.incident_id
        if unit.uid in self._in_cycle:
            self._loops[unit.uid].interrupt("breakdown")
            unit.status = UnitStatus.OUT_OF_SERVICE  # now: matching must not pick it meanwhile
        elif unit.status is UnitStatus.AVAILABLE:
            unit.status = UnitStatus.OUT_OF_SERVICE
        return inc_id

    def _pulled_off(self, unit: Team, inc: Incident) -> None:
        """The unit's job was interrupted by a breakdown: stop where it is, requeue the incident."""
        now = self.env.now
        if unit.route_xy is not None and unit.route_t[1] > unit.route_t[0]:
            f = min(1.0, max(0.0, (now - unit.route_t[0]) / (unit.route_t[1] - unit.route_t[0])))
            pts = np.asarray(unit.route_xy, dtype=float)
            k = min(len(pts) - 1, int(round(f * (len(pts) - 1))))  # nearest route vertex
            unit.xy = (float(pts[k][0]), float(pts[k][1]))
        unit.route_xy = None
        unit.status = UnitStatus.OUT_OF_SERVICE
        unit.incident_id = ""
        if unit.uid in inc.assigned:
            inc.assigned.remove(unit.uid)
            if not inc.resolved and len(inc.assigned) < inc.units_needed:
                queued = any(item[3] is inc for item in self._pending)
                if not queued:
                    heapq.heappush(
                        self._pending, (inc.priority, inc.t_reported, next(self._seq), inc)
                    )
                self.model.log.emit(
                    now,
                    "incident_requeued",
                    incident_id=inc.id,
                    unit_id=unit.uid,
                    reason="unit breakdown",
                )
                self.wake()

    def resolve(self, inc: Incident) -> None:
        """Close an incident (by the last unit on scene, or by the hazard)."""
        if inc.resolved:
            return
        now = inc.t_resolved = self.env.now
        self.model.log.emit(
            now,
            "incident_resolved",
            incident_id=inc.id,
            x_m=inc.x_m,
            y_m=inc.y_m,
            duration_min=now - inc.t_reported,
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

    @property
    def queue_length(self) -> int:
        """Incidents waiting for at least one more unit."""
        return len(self._pending)
