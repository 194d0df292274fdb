"""The dispatch centre: a priority queue of incidents matched to free units.

Like a 119/120 call centre, incidents wait in a queue ordered by priority and
report time. Whenever an incident arrives or a unit frees up, matching assigns
the best free capable unit by the scenario's policy (`plan.dispatch.policy`):

* ``earliest_arrival`` (default): the unit with the earliest expected arrival
  = turnout + launch hold + travel. The launch hold is the hazard's own
  forecast of the wind at the unit's position against the unit's launch limit
  (`Hazard.launch_open_min`; a hazard without a forecast is taken as
  persistence: a grounded unit stays grounded). So a grounded helicopter is
  never sent when a boat would arrive sooner.
* ``nearest``: shortest travel time, ignoring turnout and weather (the
  pre-issue-13 behaviour, kept for comparison).
* ``priority_weighted``: earliest arrival, but a call of priority 3 or lower
  never takes the last free unit able to serve it (kept for urgent calls).
* ``first_free``: any free capable unit (lowest id).

Held assignments are re-planned: whenever a unit frees up, a unit waiting for
the weather at its base is stood down if a free unit would arrive sooner, and
a call still without any unit takes a unit committed to a less urgent call
(held or en route) if that unit reaches it first (re-tasking).

Each assignment runs the unit's cycle: turnout, launch hold, travel, on-scene
work, return, as SimPy timeouts on the model clock. `unit_arrived` carries the
phases of the response (queue_wait_min, weather_hold_min, turnout_min,
travel_min; call_handling_min before queueing) and `unit_departed_scene` the
on_scene_min, so every arrival time can be explained.
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
from sim.response import survival
from sim.response.incident import Incident
from sim.response.passable import open_leg, passable_leg

if TYPE_CHECKING:
    from sim.agents.units import Team
    from sim.model import DrillModel
    from sim.scenario.schema import DispatchSpec

#: Travel modes a unit may use for an incident in each domain, in order of preference.
DOMAIN_MODES: dict[str, tuple[str, ...]] = {
    "land": ("road", "air"),
    "sea": ("sea", "air"),
    "river": ("river", "air"),
    # people cut off by flood water on land: boats come up the river network, or air
    "flood": ("river", "air"),
    "air": ("air",),
}

#: Policies that rank by expected arrival and re-plan held or less urgent assignments.
ETA_POLICIES = frozenset({"earliest_arrival", "priority_weighted"})
#: Under `priority_weighted`, calls of this priority or lower (larger number) keep a reserve.
RESERVE_FROM_PRIORITY = 3

OnScene = Callable[["DrillModel", Incident, "Team"], Generator[Any, Any, None]]
#: Interrupt cause of a unit taken out of service mid-job (`DispatchCenter.break_down`).
BREAKDOWN = "breakdown"
_NAN = math.nan  # an event field without a place (what `EventLog.emit` defaults to)


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
        self.policy = spec.policy
        self.by_eta = spec.policy in ETA_POLICIES
        self._pending: list[tuple[int, float, int, Incident]] = []
        self._seq = itertools.count()
        self.incidents: dict[str, Incident] = {}
        self.handlers: dict[str, OnScene] = {}
        self._groups: dict[tuple[str, tuple[str, ...]], list[tuple[str, float, list[Team]]]] = {}
        self._groups_for_n = -1
        self._next_job: dict[str, simpy.Event] = {}
        self._procs: dict[str, simpy.Process] = {}
        self._in_cycle: set[str] = set()  # units between taking a job and being back at base
        #: Units committed but not yet on scene that may be re-planned: uid -> unit.
        self._movable: dict[str, Team] = {}
        #: Units waiting for the weather at base: uid -> expected arrival (absolute min).
        self._held: dict[str, float] = {}

    # -- intake -------------------------------------------------------------
    def report(self, incident: Incident) -> None:
        """Log an incident and queue it after call handling."""
        self.incidents[incident.id] = incident
        now = self.env.now
        if incident.attrs:  # keyword rules apply (an attr may not repeat a field)
            self.model.log.emit(
                now,
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
        else:
            self.model.log.emit_row(
                now, "incident_reported", incident.id, "", "", incident.x_m, incident.y_m,
                {"incident_kind": incident.kind, "domain": incident.domain,
                 "needs": incident.needs, "priority": incident.priority},
            )  # fmt: skip
        if self.spec.call_handling_min > 0:
            self.env.process(self._handle_call(incident))
        else:
            self._enqueue(incident)

    def _handle_call(self, incident: Incident) -> Generator:
        yield self.env.timeout(self.spec.call_handling_min)
        self._enqueue(incident)

    def _enqueue(self, incident: Incident) -> None:
        now = incident.t_queued = self.env.now
        self._push(incident)
        self.model.log.emit_row(now, "incident_queued", incident.id, "", "", _NAN, _NAN, {})
        self.wake()

    def _push(self, incident: Incident) -> None:
        heapq.heappush(
            self._pending, (incident.priority, incident.t_reported, next(self._seq), incident)
        )

    def wake(self) -> None:
        """Match queued incidents to free units now and re-plan held assignments.

        Matching is synchronous and costs no simulation event. It cannot re-enter
        itself: an assignment only schedules the unit's job, and the unit acts
        when SimPy processes that event, after matching has finished.
        """
        if not self.auto:
            return
        if self._pending:
            self._match()
        if self._held:
            self._replan_held()

    # -- matching -----------------------------------------------------------
    def _match(self) -> None:
        avail = UnitStatus.AVAILABLE  # statuses are always members: identity is equality
        n_free = len([u for u in self.model.teams if u.status is avail])
        retask = self.by_eta and bool(self._movable)
        if not n_free and not retask:
            return
        still: list = []
        while self._pending and (n_free or retask):
            item = heapq.heappop(self._pending)
            inc = item[3]
            while len(inc.assigned) < inc.units_needed:
                choice = self.best_unit(inc) if n_free else None
                if choice is None:
                    if not inc.assigned and self.by_eta and self._retask_for(inc):
                        continue
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

    def launch_hold_min(self, unit: Team, t_launch: float) -> float:
        """Expected minutes a unit ready to launch at `t_launch` waits for the weather.

        Uses the hazard's own forecast (`launch_open_min`) when it has one; a
        hazard with only the current wind is read as persistence (grounded now =
        grounded until further notice, `inf`). Units without a launch limit, or
        hazards without wind, never wait.
        """
        limit = unit.launch_limit_wind_m_s
        if limit is None:
            return 0.0
        hz = self.model.hazard
        x, y = unit.xy
        forecast = getattr(hz, "launch_open_min", None)
        if forecast is not None:
            return max(float(forecast(x, y, limit, t_launch)) - t_launch, 0.0)
        wind_at = getattr(hz, "wind_m_s", None)
        if wind_at is None:
            return 0.0
        return 0.0 if float(wind_at(np.array([x]), np.array([y]))[0]) <= limit else math.inf

    def _rank_free(
        self, needs: str, modes: tuple[str, ...], dest: tuple[float, float], by_eta: bool
    ) -> tuple[Team, str, float, int] | None:
        """Best free unit as (unit, mode, key minutes, number of free candidates).

        Exact travel times (a Dijkstra tree per group on a network) are only computed
        for groups that could hold the best unit: where the router offers a cheap
        lower bound (`travel_time_bound_min`, sea), groups are timed in order of their
        best bound, and a group whose best bound already exceeds the best exact key
        found is skipped. Its units' keys are at least their bounds, so they could not
        win (ties included), and the choice is the one of timing every group.
        """
        router = self.model.router
        bound = getattr(router, "travel_time_bound_min", None)
        if bound is None or self.policy == "first_free":  # nothing to skip
            return self._rank_every(needs, modes, dest, by_eta)
        avail = UnitStatus.AVAILABLE
        travel = router.travel_time_min
        turnout = self.spec.turnout_min
        t_launch = self.env.now + turnout
        seen: set[int] = set()
        groups: list[tuple[str, float, list[Team], list[float]]] = []
        for mode, speed, units in self._candidate_groups(needs, modes):
            free = [u for u in units if u.status is avail]
            if not free:
                continue
            seen.update(u.unique_id for u in free)
            # minutes before travel starts: turnout and launch hold (ETA policies)
            pre = (
                [
                    turnout
                    + (
                        0.0
                        if u.launch_limit_wind_m_s is None
                        else self.launch_hold_min(u, t_launch)
                    )
                    for u in free
                ]
                if by_eta
                else [0.0] * len(free)
            )
            groups.append((mode, speed, free, pre))
        # Bounds only pay when there are groups to skip.
        lows = [-math.inf] * len(groups)  # no bound: always timed, first
        skipping = len(groups) > 1
        if skipping:
            for g, (mode, speed, free, pre) in enumerate(groups):
                lb = bound(mode, [u.xy for u in free], dest, speed)
                if lb is not None:
                    lows[g] = min(
                        p + t if by_eta else t for p, t in zip(pre, lb.tolist(), strict=True)
                    )
        times: list[list[float] | None] = [None] * len(groups)
        best_known = math.inf
        for g in sorted(range(len(groups)), key=lows.__getitem__):
            mode, speed, free, pre = groups[g]
            if lows[g] > best_known:
                continue  # nobody here can beat the best found
            times[g] = travel(mode, [u.xy for u in free], dest, speed).tolist()
            if skipping:
                keys = [p + t if by_eta else t for p, t in zip(pre, times[g], strict=True)]
                best_known = min(best_known, *keys)
        best_k, best_t, best_id, best_u, best_mode = math.inf, math.inf, 0, None, ""
        for (mode, _speed, free, pre), ts in zip(groups, times, strict=True):
            if ts is None:
                continue
            for u, p, t in zip(free, pre, ts, strict=True):
                k = p + t if by_eta else t
                if (k, t, u.unique_id) < (best_k, best_t, best_id) or best_u is None:
                    best_k, best_t, best_id, best_u, best_mode = k, t, u.unique_id, u, mode
        if best_u is None:
            return None
        return best_u, best_mode, (best_k if by_eta else best_t), len(seen)

    def _rank_every(
        self, needs: str, modes: tuple[str, ...], dest: tuple[float, float], by_eta: bool
    ) -> tuple[Team, str, float, int] | None:
        """`_rank_free` without lower bounds: every group timed, in one pass.

        The path of routers without `travel_time_bound_min` (the M/M/c check's
        zero-travel router) and of `first_free` (every unit ties at 0 min): there is
        nothing to skip, and the single pass keeps the queue check's per-call cost at
        what it was (the bounded path's bookkeeping measured +7 % CPU on `jmsim calc
        erlang-check`). Same choice and tie-break (key, travel, agent id) as the
        bounded path (tests/typhoon/test_ty_dispatch_bound.py).
        """
        avail = UnitStatus.AVAILABLE
        first_free = self.policy == "first_free"
        travel = self.model.router.travel_time_min
        turnout = self.spec.turnout_min
        t_launch = self.env.now + turnout
        best_k, best_t, best_id, best_u, best_mode = math.inf, math.inf, 0, None, ""
        frees: list[list[Team]] = []
        for mode, speed, units in self._candidate_groups(needs, modes):
            free = [u for u in units if u.status is avail]
            if not free:
                continue
            frees.append(free)
            if first_free:
                times = [0.0] * len(free)
            else:
                times = travel(mode, [u.xy for u in free], dest, speed).tolist()
            for u, t in zip(free, times, strict=True):
                if by_eta:
                    hold = (
                        0.0
                        if u.launch_limit_wind_m_s is None
                        else self.launch_hold_min(u, t_launch)
                    )
                    k = turnout + hold + t
                else:
                    k = t
                # (k, t, id) < (best_k, best_t, best_id), without building the tuples
                uid = u.unique_id
                if (
                    best_u is None
                    or k < best_k
                    or (k == best_k and (t < best_t or (t == best_t and uid < best_id)))
                ):
                    best_k, best_t, best_id, best_u, best_mode = k, t, uid, u, mode
        if best_u is None:
            return None
        # a unit with several modes is in several groups: count it once
        n = len(frees[0]) if len(frees) == 1 else len({u.unique_id for f in frees for u in f})
        return best_u, best_mode, (best_k if by_eta else best_t), n

    def nearest_free(
        self, needs: str, modes: tuple[str, ...], dest: tuple[float, float]
    ) -> tuple[Team, str, float] | None:
        """The free unit able to serve `needs` that reaches `dest` first by one of `modes`.

        Returns (unit, mode, travel minutes); ties go to the lowest agent id, and
        under the `first_free` policy every reachable unit ties. Candidates are
        grouped by (mode, speed) so each group costs one vectorised router call
        (one Dijkstra from `dest` for road travel).
        """
        best = self._rank_free(needs, modes, dest, by_eta=False)
        return None if best is None else best[:3]

    def best_unit(self, inc: Incident) -> tuple[Team, str, float] | None:
        """The unit the dispatch policy sends to `inc` now: (unit, mode, ranking minutes).

        Under the ETA policies the minutes are the expected arrival from now
        (turnout + launch hold + travel); otherwise the travel time.
        """
        best = self._rank_free(inc.needs, DOMAIN_MODES[inc.domain], (inc.x_m, inc.y_m), self.by_eta)
        if best is None:
            return None
        unit, mode, key, n_cands = best
        if self.policy == "priority_weighted" and inc.priority >= RESERVE_FROM_PRIORITY:
            if n_cands <= 1:  # keep the last capable unit for an urgent call
                return None
        return unit, mode, key

    # -- re-planning --------------------------------------------------------
    def _eta_from_here(self, unit: Team, inc: Incident) -> tuple[str, float] | None:
        """(mode, minutes to reach `inc`) for a committed unit from where it is now."""
        if not unit.can_serve(inc.needs) or unit.mode not in DOMAIN_MODES[inc.domain]:
            return None
        now = self.env.now
        speed = unit.vehicle.speed_kmh[unit.mode]
        if unit.phase == "hold":
            hold = self.launch_hold_min(unit, now)
            t = self.model.router.travel_time_min(unit.mode, [unit.xy], (inc.x_m, inc.y_m), speed)
            return unit.mode, hold + float(t[0])
        pos = unit.position_at(now)
        t = self.model.router.travel_time_min(unit.mode, [pos], (inc.x_m, inc.y_m), speed)
        return unit.mode, float(t[0])

    def _retask_for(self, inc: Incident) -> bool:
        """Take for `inc` the committed unit of a less urgent call that reaches it first."""
        best: tuple[float, int, Team, str] | None = None
        for unit in self._movable.values():
            cur = self.incidents.get(unit.incident_id)
            # a partly served call is still queued: leave its units alone
            if cur is None or cur.priority <= inc.priority or len(cur.assigned) < cur.units_needed:
                continue
            got = self._eta_from_here(unit, inc)
            if got is None:
                continue
            mode, eta = got
            if best is None or (eta, unit.unique_id) < (best[0], best[1]):
                best = (eta, unit.unique_id, unit, mode)
        if best is None or not math.isfinite(best[0]):
            return False
        eta, _, unit, mode = best
        old = self.incidents[unit.incident_id]
        old.assigned.remove(unit.uid)
        unit.incident_id = inc.id
        inc.assigned.append(unit.uid)
        self._held.pop(unit.uid, None)
        self.model.log.emit(
            self.env.now,
            "unit_retasked",
            incident_id=inc.id,
            unit_id=unit.uid,
            from_incident=old.id,
            mode=mode,
            eta_min=eta,
        )
        self._procs[unit.uid].interrupt((inc, mode))
        if not old.resolved:
            self._push(old)
        return True

    def _replan_held(self) -> None:
        """Stand down units waiting for the weather when a free unit would arrive sooner."""
        now = self.env.now
        stood_down = False
        for uid, t_arrive in sorted(self._held.items(), key=lambda kv: kv[1], reverse=True):
            unit = self._movable.get(uid)
            if unit is None or unit.phase != "hold":
                continue
            inc = self.incidents[unit.incident_id]
            alt = self.best_unit(inc)
            if alt is None or now + alt[2] >= t_arrive - 1e-6:
                continue
            del self._held[uid]
            del self._movable[uid]
            inc.assigned.remove(uid)
            unit.status = UnitStatus.AVAILABLE
            unit.incident_id = ""
            unit.phase = ""
            self.model.log.emit(
                now,
                "unit_stood_down",
                incident_id=inc.id,
                unit_id=uid,
                expected_arrival_min=t_arrive - now,
                replacement_arrival_min=alt[2],
            )
            self._procs[uid].interrupt(None)
            self.assign(alt[0], inc, alt[1], alt[2])
            stood_down = True
        if stood_down and self._pending:
            self._match()

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
        now = self.env.now
        x, y = unit.xy
        self.model.log.emit_row(
            now, "unit_dispatched", inc.id, unit.uid, "", x, y,
            {"mode": mode, "eta_min": eta_min, "wait_min": now - inc.t_reported},
        )  # fmt: skip
        job = self._next_job.get(unit.uid)
        if job is None:  # the unit's first job: start its long-lived process
            job = self._next_job[unit.uid] = self.env.event()
            self._procs[unit.uid] = self.env.process(self._unit_loop(unit, job))
        # Trigger like SimPy's own process start (urgent, now): a unit's jobs keep
        # the place in the event order that a new process per job would have,
        # without the cost of one.
        if job._value is not PENDING:  # its loop has not taken the last job: a logic error
            raise RuntimeError(f"unit {unit.uid!r} was given a job before taking its previous one")
        job._ok, job._value = True, (inc, mode)
        self.env.schedule(job, URGENT)

    def _approach(self, unit: Team, inc: Incident, mode: str, ph: dict) -> Generator:
        """Turnout, launch hold and travel to `inc`; interruptible in hold and travel.

        `ph` accumulates the phase minutes and survives an interruption (a
        re-task keeps the turnout and launch already done).
        """
        env, m = self.env, self.model
        if not ph["turned_out"]:
            unit.phase = "turnout"
            if self.spec.turnout_min > 0:
                yield env.timeout(self.spec.turnout_min)
                ph["turnout"] += self.spec.turnout_min
            ph["turned_out"] = True
        if not ph["launched"] and unit.launch_limit_wind_m_s is not None:
            unit.phase = "hold"
            self._movable[unit.uid] = unit
            t0 = env.now
            try:
                yield from self._await_launch(unit, inc, mode)
            finally:
                ph["hold"] += env.now - t0
                self._held.pop(unit.uid, None)
        ph["launched"] = True
        unit.phase = "travel"
        self._movable[unit.uid] = unit
        t0 = env.now
        try:
            dest, speed = (inc.x_m, inc.y_m), unit.vehicle.speed_kmh[mode]
            leg = open_leg(m, mode, unit.xy, dest, speed)
            if leg is None:  # cut off: wait for the road (asks the router again, now)
                leg = yield from passable_leg(
                    m, mode, unit.xy, dest, speed, unit_id=unit.uid, incident_id=inc.id
                )
            now = env.now
            unit.route_xy, unit.route_t = leg.path_xy, (now, now + leg.time_min)
            if leg.time_min > 0:
                yield env.timeout(leg.time_min)
        finally:
            ph["travel"] += env.now - t0
        self._movable.pop(unit.uid, None)
        return leg

    def _unit_loop(self, unit: Team, job: simpy.Event) -> Generator:
        """One process per unit for the whole run: wait for a job, do its cycle, repeat.

        The cycle (`_cycle`): turnout, launch hold (boats, aircraft), travel,
        on-scene work (the incident kind's handler, else exponential), return to
        base. Hold and travel may be interrupted by re-planning: stood down
        (cause None: back to waiting for a job at base) or re-tasked (cause
        (incident, mode)); a breakdown interrupts any part (`break_down`).
        """
        env = self.env
        while True:
            inc, mode = yield job
            # Ready before the cycle ends: the return may reassign the unit at once.
            job = self._next_job[unit.uid] = env.event()
            self._in_cycle.add(unit.uid)
            try:
                yield from self._cycle(unit, inc, mode)
            except simpy.Interrupt as stop:
                if stop.cause != BREAKDOWN:
                    raise
                self._pulled_off(unit)
            self._in_cycle.discard(unit.uid)

    def _cycle(self, unit: Team, inc: Incident, mode: str) -> Generator:
        """One job: approach (turnout, hold, travel), on-scene work, return to base."""
        env, m = self.env, self.model
        log = m.log
        on_scene, returning = UnitStatus.ON_SCENE, UnitStatus.RETURNING
        unit.mode = mode
        ph = {
            "queue": env.now - inc.t_queued if inc.t_queued == inc.t_queued else 0.0,
            "turnout": 0.0,
            "hold": 0.0,
            "travel": 0.0,
            "turned_out": False,
            "launched": False,
        }
        leg = None
        while leg is None:
            try:
                leg = yield from self._approach(unit, inc, mode, ph)
            except simpy.Interrupt as stop:
                if stop.cause == BREAKDOWN:  # handled by the unit loop
                    raise
                unit.xy = unit.position_at(env.now)
                unit.route_xy = None
                if stop.cause is None:  # stood down at base: wait for the next job
                    break
                inc, mode = stop.cause
                unit.mode = mode
                ph.update(queue=env.now - inc.t_queued, turnout=0.0, hold=0.0, travel=0.0)
        if leg is None:  # stood down
            return
        dest = (inc.x_m, inc.y_m)
        now = env.now
        unit.xy = dest
        unit.route_xy = None
        unit.status = on_scene
        unit.phase = "on_scene"
        first = math.isnan(inc.t_first_arrival)
        if first:
            inc.t_first_arrival = now
            self._outcome(inc, now)
        log.emit_row(
            now, "unit_arrived", inc.id, unit.uid, "", dest[0], dest[1],
            {"mode": mode, "travel_min": ph["travel"], "length_m": leg.length_m, "first": first,
             "response_min": now - inc.t_reported,
             "call_handling_min": inc.t_queued - inc.t_reported, "queue_wait_min": ph["queue"],
             "turnout_min": ph["turnout"], "weather_hold_min": ph["hold"]},
        )  # fmt: skip
        t_on = now
        handler = self.handlers.get(inc.kind)
        if handler is None:  # default: exponential work time
            yield env.timeout(
                m.streams.response.exponential(inc.work_min) if inc.work_min > 0 else 0.0
            )
        else:
            yield from handler(m, inc, unit)
        now = env.now
        log.emit_row(
            now, "unit_departed_scene", inc.id, unit.uid, "", _NAN, _NAN,
            {"on_scene_min": now - t_on},
        )  # fmt: skip
        inc.assigned.remove(unit.uid)
        if not inc.assigned and not inc.resolved:
            self.resolve(inc)
        # return to base
        unit.status = returning
        unit.phase = "returning"
        unit.incident_id = ""
        speed = unit.vehicle.speed_kmh[mode]
        leg = open_leg(m, mode, unit.xy, unit.base_xy, speed)
        if leg is None:
            leg = yield from passable_leg(m, mode, unit.xy, unit.base_xy, speed, unit_id=unit.uid)
        now = env.now
        unit.route_xy, unit.route_t = leg.path_xy, (now, now + leg.time_min)
        if leg.time_min > 0:
            yield env.timeout(leg.time_min)
        unit.xy = unit.base_xy
        unit.route_xy = None
        if unit.status is returning:
            unit.status = UnitStatus.AVAILABLE
            unit.phase = ""
            log.emit_row(env.now, "unit_returned", "", unit.uid, "", _NAN, _NAN, {})
            self.wake()

    def break_down(self, unit: Team) -> str:
        """Take a unit out of service now; a unit on a job is pulled off it.

        Returns the incident it was pulled off ("" if none). The incident, if
        still open and now short of units, goes back in the queue
        (`incident_requeued`) so another unit can be sent.
        """
        inc_id = unit.incident_id
        if unit.uid in self._in_cycle:
            self._procs[unit.uid].interrupt(BREAKDOWN)
            unit.status = UnitStatus.OUT_OF_SERVICE  # now: matching must not pick it meanwhile
        elif unit.status is UnitStatus.AVAILABLE:
            unit.status = UnitStatus.OUT_OF_SERVICE
        return inc_id

    def _pulled_off(self, unit: Team) -> None:
        """The unit's job was interrupted by a breakdown: stop where it is, requeue the incident."""
        now = self.env.now
        inc = self.incidents.get(unit.incident_id)
        if unit.route_xy is not None:
            unit.xy = unit.position_at(now)
        unit.route_xy = None
        unit.status = UnitStatus.OUT_OF_SERVICE
        unit.incident_id = ""
        unit.phase = ""
        self._movable.pop(unit.uid, None)
        self._held.pop(unit.uid, None)
        if inc is not None and unit.uid in inc.assigned:
            inc.assigned.remove(unit.uid)
            if not inc.resolved and len(inc.assigned) < inc.units_needed:
                queued = any(item[3] is inc for item in self._pending)
                if not queued:
                    self._push(inc)
                self.model.log.emit(
                    now,
                    "incident_requeued",
                    incident_id=inc.id,
                    unit_id=unit.uid,
                    reason="unit breakdown",
                )
                self.wake()  # another unit may take it now

    def _outcome(self, inc: Incident, t_rescue: float, reached: bool = True) -> None:
        """Log deaths among the people in distress at `inc`, rescued at `t_rescue` (survival.py)."""
        kind = inc.attrs.get("survival") or survival.BY_KIND.get(inc.kind, (None, 0))[0]
        if kind is None:
            return
        default_people = survival.BY_KIND.get(inc.kind, (kind, 1))[1]
        people = int(inc.attrs.get("people", inc.attrs.get("patients", default_people)))
        if people <= 0:
            return
        t_h = (t_rescue - inc.t_reported) / 60.0
        at_risk = float(inc.attrs.get("at_risk_share", 1.0))
        dead, expected = survival.deaths(kind, people, t_h, self.model.seed, inc.id, at_risk)
        extra = {"at_risk_share": round(at_risk, 6)} if at_risk < 1.0 else {}
        self.model.log.emit(
            t_rescue,
            "casualties",
            incident_id=inc.id,
            subject_id=inc.id,
            x_m=inc.x_m,
            y_m=inc.y_m,
            cause="time_to_rescue",
            survival_curve=kind,
            people=people,
            rescue_h=t_h,
            reached=reached,
            deaths=dead,
            expected_deaths=expected,
            **extra,
        )

    def finish(self) -> None:
        """End of run: people in distress nobody reached are counted at the run's end."""
        now = self.env.now
        for inc in self.incidents.values():
            if math.isnan(inc.t_first_arrival):
                self._outcome(inc, now, reached=False)

    def resolve(self, inc: Incident) -> None:
        """Close an incident (by the last unit on scene, or by the hazard)."""
        if inc.resolved:
            return
        now = inc.t_resolved = self.env.now
        self.model.log.emit_row(
            now, "incident_resolved", inc.id, "", "", inc.x_m, inc.y_m,
            {"duration_min": now - inc.t_reported},
        )  # fmt: skip

    def _await_launch(self, unit: Team, inc: Incident, mode: str) -> Generator:
        """Hold a boat or aircraft while the wind where it is exceeds its launch limit.

        With a hazard forecast the unit waits exactly until the forecast opening
        (and is registered as held, so re-planning can stand it down); without
        one it checks the current wind every model tick.
        """
        limit = unit.launch_limit_wind_m_s
        hz = self.model.hazard
        forecast = getattr(hz, "launch_open_min", None)
        wind_at = getattr(hz, "wind_m_s", None)
        if limit is None or (forecast is None and wind_at is None):
            return
        env = self.env
        t0 = env.now
        if forecast is not None:
            t_open = float(forecast(unit.xy[0], unit.xy[1], limit, t0))
            if t_open > t0:
                if self.by_eta and self.auto:
                    speed = unit.vehicle.speed_kmh[mode]
                    tr = self.model.router.travel_time_min(
                        mode, [unit.xy], (inc.x_m, inc.y_m), speed
                    )
                    self._held[unit.uid] = t_open + float(tr[0])
                end = self.model.spec.duration_min
                yield env.timeout(min(t_open, max(end, t0) + 1.0) - t0)
        else:
            while float(wind_at(np.array([unit.xy[0]]), np.array([unit.xy[1]]))[0]) > limit:
                yield env.timeout(self.model.tick_min)
        if env.now > t0:
            self.model.log.emit(
                env.now, "unit_launch_delayed", unit_id=unit.uid, delay_min=env.now - t0
            )

    @property
    def queue_length(self) -> int:
        """Incidents waiting for at least one more unit."""
        return len(self._pending)
