"""The drill model: Mesa agents on one SimPy clock.

`DrillModel` is a `mesa.Model` whose time is owned by a `simpy.Environment`
(minutes since scenario start). Recurring SimPy processes advance the hazard
(its own tick; once if its `tick_min` is infinite), step the Mesa side
(residents, on `run.tick_min`; skipped when there are none) and fire the
MSEL injects; dispatch, travel, on-scene work and deliveries are SimPy
processes waiting on resources. Mesa is used only through `step()` and agent
registration, so the Mesa 4 event-API changes stay behind this one class.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterable
from typing import Any

import mesa
import numpy as np
import simpy

from sim.agents.residents import ResidentGroups, ResidentState
from sim.agents.units import Team, UnitStatus, Vehicle
from sim.errors import JmsimError
from sim.events import EventLog
from sim.gc_policy import relaxed_gc
from sim.generic_injects import GENERIC_INJECTS
from sim.geo import point_from_params, to_utm
from sim.hazards.base import Hazard
from sim.response.dispatch import DispatchCenter
from sim.response.incident import Incident, new_incident
from sim.response.relief import Depot, ReliefSystem
from sim.response.reporting import ReportingChain
from sim.response.return_home import ReturnHome
from sim.response.shelters import ProtectiveActions, Shelter
from sim.response.warning import WarningSystem
from sim.rng import SeedStreams
from sim.routing import Router
from sim.scenario.schema import Inject, LatLon, Scenario, UnitSpec

#: Inject kinds the engine applies itself; others go to the hazard.
CORE_INJECTS = frozenset(
    {
        "incident",
        "warning",
        "evacuation_order",
        "shelter_order",
        "unit_breakdown",
        "unit_restored",
        "relief_release",
        "note",
    }
)


#: Facility id -> (x_m, y_m, adcode) per facilities table, built once per world.
#: A Monte Carlo worker builds ~100 models on one world; filtering the table per
#: facility per run was ~4 % of a Mangkhut run. Keyed by the table object (kept
#: alive here, so its id is not reused) and its length.
_FACILITY_INDEX: dict[int, tuple[Any, int, dict[Any, tuple[float, float, Any]]]] = {}


def facility_index(fac: Any) -> dict[Any, tuple[float, float, Any]]:
    """First row per facility id of a facilities table: (x_m, y_m, raw adcode or 0)."""
    hit = _FACILITY_INDEX.get(id(fac))
    if hit is not None and hit[0] is fac and hit[1] == len(fac):
        return hit[2]
    ad = fac["adcode"].tolist() if "adcode" in fac else [0] * len(fac)
    index: dict[Any, tuple[float, float, Any]] = {}
    rows = zip(
        fac["facility_id"].tolist(), fac["x_m"].tolist(), fac["y_m"].tolist(), ad, strict=True
    )
    for fid, x, y, a in rows:
        if fid not in index:
            index[fid] = (float(x), float(y), a)
    if len(_FACILITY_INDEX) > 8:
        _FACILITY_INDEX.clear()
    _FACILITY_INDEX[id(fac)] = (fac, len(fac), index)
    return index


class DrillModel(mesa.Model):
    """One run of a scenario on a world, driven by a single SimPy clock."""

    #: Resident groups per vectorised block in `step` (fits L2 cache).
    TICK_BLOCK = 8192

    def __init__(
        self,
        scenario: Scenario,
        world: Any,
        seed: int,
        *,
        router: Router | None = None,
        hazard: Hazard | None = None,
        injects: Iterable[Inject] = (),
        resident_agents: bool = True,
    ) -> None:
        """Build the run: hazard, units, resident groups, response systems, injects.

        `resident_agents=False`: no per-group Mesa agents (`ResidentGroups.agents` stays
        empty). They are identities for the visualiser and queries; a batch worker's runs
        never read them, and building ~3 k of them was ~3 % of a Mangkhut job. The state
        and every event are the same (tested).
        """
        super().__init__(rng=int(seed))
        self.spec = scenario  # mesa.Model.scenario is Mesa's own; ours is `spec`
        self.world = world
        self.seed = int(seed)
        self.env = simpy.Environment()
        self.streams = SeedStreams.from_seed(seed)
        self.log = EventLog()
        self.router: Router = router if router is not None else world
        self.tick_min = scenario.run.tick_min
        self._incident_seq = 0
        self.hazard: Hazard = hazard if hazard is not None else self._build_hazard()
        self.vehicles: list[Vehicle] = []
        self.teams: list[Team] = []
        self._build_units()
        self.residents = self._build_residents(resident_agents)
        self.dispatch = DispatchCenter(self, scenario.plan.dispatch)
        self.warnings = WarningSystem(self, scenario.plan.warning)
        self.protective_actions = ProtectiveActions(self, self._build_shelters())
        self.relief = ReliefSystem(self, self._build_depots())
        self.reporting = ReportingChain(self, scenario.plan.reporting)
        self.return_home = ReturnHome(self)
        self.injects = sorted([*scenario.msel, *injects], key=lambda i: (i.at_min, i.id))
        self._check_injects()
        self.env.process(self._start())

    # -- construction ----------------------------------------------------------
    def _build_hazard(self) -> Hazard:
        from sim.hazards.registry import get_plugin

        return get_plugin(self.spec.scenario.hazard).build(self.spec, self.world, self.streams)

    def place(self, where: str | LatLon) -> tuple[float, float]:
        """UTM position of a facility id or a lat/lon."""
        if isinstance(where, LatLon):
            x, y = to_utm(where.lat, where.lon)
            return float(x), float(y)
        fac = getattr(self.world, "facilities", None)
        if fac is None:
            raise JmsimError(f"base {where!r}: this world has no facilities; give lat/lon instead")
        hit = facility_index(fac).get(where)
        if hit is None:
            ids = ", ".join(sorted(fac["facility_id"].astype(str))[:12])
            raise JmsimError(
                f"facility {where!r} not found in the world (known ids include: {ids}, ...)"
            )
        return hit[0], hit[1]

    def _facility_district(self, fid: str) -> int:
        fac = getattr(self.world, "facilities", None)
        if fac is None or "adcode" not in fac:
            return 0
        hit = facility_index(fac).get(fid)
        return int(hit[2]) if hit is not None else 0

    def _build_units(self) -> None:
        for spec in self.spec.plan.units:
            base = self.place(spec.base)
            for k in range(spec.count):
                self.add_team(spec, spec.id if spec.count == 1 else f"{spec.id}-{k + 1}", base)

    def add_team(
        self, spec: UnitSpec, uid: str, base_xy: tuple[float, float], group: str = ""
    ) -> Team:
        """Create one team (and its vehicle) from a unit spec: plan units and mutual aid alike."""
        veh = Vehicle(self, f"{uid}/v", spec.vehicle)
        team = Team(
            self,
            uid,
            spec.type,
            spec.crew,
            frozenset(spec.capabilities),
            base_xy,
            veh,
            group=group or spec.id,
            fulltime=spec.fulltime,
            meets_standard=spec.meets_standard,
            launch_limit_wind_m_s=spec.launch_limit_wind_m_s,
        )
        self.vehicles.append(veh)
        self.teams.append(team)
        return team

    def _build_residents(self, agents: bool = True) -> ResidentGroups | None:
        spec = self.spec.residents
        if spec is None:
            return None
        towns = self.world.towns
        if spec.districts != "all":
            towns = towns[towns["adcode"].isin(spec.districts)]
        is_land = getattr(self.world, "is_land", None)
        on_land = None
        if is_land is not None:

            def on_land(x: np.ndarray, y: np.ndarray) -> np.ndarray:
                return self.world.sample("is_land", x, y).astype(bool)

        res = ResidentGroups.around_towns(
            towns["x_m"].to_numpy(),
            towns["y_m"].to_numpy(),
            towns["population"].to_numpy(),
            towns["town_id"].to_numpy(),
            towns["adcode"].to_numpy(),
            spec.group_size,
            spec.radius_km * 1000.0,
            self.streams.people,
            on_land,
        )
        if agents:
            res.attach_agents(self)
        return res

    def _build_shelters(self) -> list[Shelter]:
        out = []
        for s in self.spec.plan.shelters:
            x, y = self.place(s.facility)
            out.append(Shelter(s.facility, x, y, s.capacity_people, s.area_m2, s.urban))
        return out

    def _build_depots(self) -> list[Depot]:
        out = []
        for d in self.spec.plan.depots:
            x, y = self.place(d.facility)
            cap = max(d.stock_kits, 1)
            out.append(
                Depot(
                    d.facility,
                    d.level,
                    x,
                    y,
                    self._facility_district(d.facility),
                    simpy.Container(self.env, capacity=cap, init=d.stock_kits),
                    simpy.Resource(self.env, capacity=max(d.trucks, 1)),
                    d,
                )
            )
        return out

    def _check_injects(self) -> None:
        extra = set(getattr(self.hazard, "inject_kinds", ())) | set(GENERIC_INJECTS)
        for inj in self.injects:
            if inj.kind not in CORE_INJECTS | extra:
                raise JmsimError(
                    f"inject {inj.id!r}: unknown kind {inj.kind!r}; expected one of "
                    f"{sorted(CORE_INJECTS | extra)}"
                )
            if inj.kind == "incident" and point_from_params(inj.params) is None:
                raise JmsimError(
                    f"inject {inj.id!r} (incident): params={inj.params!r}; "
                    "expected lat/lon or x_m/y_m of the incident"
                )

    # -- processes --------------------------------------------------------------
    def _start(self) -> Generator:
        sc = self.spec.scenario
        rep = self.spec.plan.reporting
        self.log.emit(
            0.0,
            "run_started",
            scenario=sc.id,
            seed=self.seed,
            start_time=sc.start_time.isoformat(),
            units=len(self.teams),
            resident_groups=self.residents.n if self.residents else 0,
            people=int(self.residents.people.sum()) if self.residents else 0,
            population=int(self.residents.people.sum()) if self.residents else None,
            # incidents go up the reporting chain with this deadline (absent: no chain)
            **({"report_deadline_min": rep.deadline_min} if rep.enabled else {}),
            # optional hazard facts the indicators read (e.g. gdp_cny for the loss share)
            **(self.hazard.run_info() if hasattr(self.hazard, "run_info") else {}),
        )
        self.hazard.start(self)
        self.env.process(self._hazard_clock())
        if self.residents is not None:  # with no resident groups a Mesa step has nothing to do
            self.env.process(self._mesa_clock())
        self.env.process(self._msel())
        if self.spec.plan.warning.issue_at_min is not None:
            self.env.process(self._scheduled_warning(self.spec.plan.warning.issue_at_min))
        yield self.env.timeout(0)

    def _hazard_clock(self) -> Generator:
        while True:
            self.hazard.advance(self, self.env.now)
            if not math.isfinite(self.hazard.tick_min):  # a static hazard: advanced once
                return
            yield self.env.timeout(self.hazard.tick_min)

    def _mesa_clock(self) -> Generator:
        while True:
            yield self.env.timeout(self.tick_min)
            self.step()

    def _msel(self) -> Generator:
        for inj in self.injects:
            if inj.at_min > self.env.now:
                yield self.env.timeout(inj.at_min - self.env.now)
            self.apply_inject(inj)

    def _scheduled_warning(self, at: float) -> Generator:
        yield self.env.timeout(at)
        if self.residents is not None:
            self.warnings.issue(np.arange(self.residents.n), reason="plan warning")

    def step(self) -> None:
        """Mesa step: vectorised resident movement and exposure at `env.now`, then returns home.

        Mesa wraps this method (its own tick counter advances by one); the
        model clock stays the SimPy environment.
        """
        res = self.residents
        if res is None:
            return
        now = self.env.now
        threshold = float(getattr(self.hazard, "exposure_threshold", 0.0))
        before = res.state.copy()
        arrived, reached, values = [], [], []
        # Work in cache-sized blocks so cost per group stays flat as groups grow.
        for start in range(0, res.n, self.TICK_BLOCK):
            part = slice(start, min(res.n, start + self.TICK_BLOCK))
            arrived.append(res.move(now, part))
            inten = np.asarray(self.hazard.intensity_at(res.x[part], res.y[part]), dtype=float)
            got = res.expose(inten, now, threshold, part)
            reached.append(got)
            values.append(inten[got - start])
        arrived_idx = np.concatenate(arrived) if arrived else np.zeros(0, dtype=np.intp)
        if arrived_idx.size:
            self.protective_actions.arrive(arrived_idx)
        new = np.concatenate(reached) if reached else np.zeros(0, dtype=np.intp)
        intensity_new = np.concatenate(values) if values else np.zeros(0)
        # Whether being reached means harm (toxic dose, fire) or only exposure to the
        # hazard (typhoon wind at home); only harm counts as "affected" (受灾).
        harmed = bool(getattr(self.hazard, "exposure_is_harm", True))
        if new.size:
            # per-group values as Python scalars in one pass each (thousands of groups
            # are reached in a typhoon run; numpy scalar look-ups per group added up)
            exposed = (
                (before[new] != ResidentState.SHELTERED) & (res.state[new] == ResidentState.EXPOSED)
            ).tolist()
            people = res.people[new].tolist()
            tw = res.t_warned[new]
            warned = (tw >= 0).tolist()
            warned_before = ((0 <= tw) & (tw <= now)).tolist()
            inten = intensity_new.tolist()
            emit = self.log.emit
            for k, i in enumerate(new.tolist()):
                if exposed[k]:
                    emit(
                        now,
                        "household_exposed",
                        subject_id=f"G{i}",
                        x_m=res.x[i],
                        y_m=res.y[i],
                        people=people[k],
                        intensity=inten[k],
                        warned=warned[k],
                        harmed=harmed,
                    )
                emit(
                    now,
                    "hazard_reached",
                    subject_id=f"G{i}",
                    people=people[k],
                    warned_before=warned_before[k],
                )
        self.return_home.step(now)

    # -- actions available to hazards, injects and trainees ---------------------
    def report_incident(
        self,
        kind: str,
        x_m: float,
        y_m: float,
        *,
        domain: str = "land",
        needs: str = "general",
        priority: int = 5,
        units_needed: int = 1,
        work_min: float = 60.0,
        incident_id: str | None = None,
        **attrs: Any,
    ) -> Incident:
        """Create an incident now and hand it to the dispatch centre."""
        self._incident_seq += 1
        inc = new_incident(
            self._incident_seq, self.env.now, kind, x_m, y_m, domain, needs, priority,
            units_needed, work_min, attrs, incident_id,
        )  # fmt: skip
        self.dispatch.report(inc)
        self.reporting.report(inc)
        return inc

    def groups_in(self, params: dict[str, Any]) -> np.ndarray:
        """Resident groups selected by `districts: [...]`, a circle, or all."""
        res = self.residents
        if res is None:
            return np.zeros(0, dtype=np.int64)
        sel = np.ones(res.n, dtype=bool)
        if "districts" in params:
            sel &= np.isin(res.district, [int(d) for d in params["districts"]])
        if "lat" in params and "lon" in params:
            x, y = to_utm(params["lat"], params["lon"])
            r = float(params.get("radius_km", 5.0)) * 1000
            sel &= np.hypot(res.home_x - x, res.home_y - y) <= r
        return np.flatnonzero(sel)

    def apply_inject(self, inj: Inject) -> None:
        """Apply an MSEL or ad-hoc inject and log it."""
        now = self.env.now
        p = inj.params
        self.log.emit(now, "inject_applied", subject_id=inj.id, inject_kind=inj.kind, params=p)
        if inj.kind == "incident":
            xy = point_from_params(p)
            if xy is None:
                raise JmsimError(
                    f"inject {inj.id!r} (incident): params need lat/lon or x_m/y_m; got {p!r}"
                )
            x, y = xy
            self.report_incident(
                p.get("incident_kind", "rescue"),
                float(x),
                float(y),
                domain=p.get("domain", "land"),
                needs=p.get("needs", "general"),
                priority=int(p.get("priority", 5)),
                units_needed=int(p.get("units_needed", 1)),
                work_min=float(p.get("work_min", 60.0)),
                source=inj.id,
            )
        elif inj.kind == "warning":
            self.warnings.issue(self.groups_in(p), reason=inj.id)
        elif inj.kind == "evacuation_order":
            self.protective_actions.order_evacuation(self.groups_in(p), reason=inj.id)
        elif inj.kind == "shelter_order":
            self.protective_actions.order_shelter_in_place(self.groups_in(p), reason=inj.id)
        elif inj.kind == "unit_breakdown":
            self.set_unit_service(str(p["unit_id"]), False)
        elif inj.kind == "unit_restored":
            self.set_unit_service(str(p["unit_id"]), True)
        elif inj.kind == "relief_release":
            self.relief.release(reason=inj.id)
        elif inj.kind == "note":
            pass
        elif inj.kind in GENERIC_INJECTS:
            GENERIC_INJECTS[inj.kind](self, inj)
        else:
            self.hazard.apply_inject(self, inj)  # type: ignore[attr-defined]

    def set_unit_service(self, uid: str, in_service: bool) -> None:
        """Take a unit out of service (breakdown: pulled off its job) or back in (restore)."""
        unit = self.team(uid)
        if in_service:
            was = unit.status.value
            if unit.status is UnitStatus.OUT_OF_SERVICE:
                unit.status = UnitStatus.AVAILABLE
            self.log.emit(self.env.now, "unit_restored", unit_id=uid, was=was)
            self.dispatch.wake()
            return
        was = unit.status.value
        pulled = self.dispatch.break_down(unit)
        self.log.emit(
            self.env.now,
            "unit_unavailable",
            unit_id=uid,
            was=was,
            pulled_off=pulled,
            x_m=unit.xy[0],
            y_m=unit.xy[1],
        )

    def team(self, uid: str) -> Team:
        """Look up a team by id."""
        for t in self.teams:
            if t.uid == uid:
                return t
        raise JmsimError(f"unit {uid!r} not found; units: {[t.uid for t in self.teams][:20]}")

    # -- running ------------------------------------------------------------------
    def run(self, until_min: float | None = None) -> EventLog:
        """Run to `until_min` (default: scenario duration) and return the log."""
        end = self.spec.duration_min if until_min is None else until_min
        with relaxed_gc():
            self.env.run(until=end)
        if math.isclose(end, self.spec.duration_min):
            finish = getattr(self.hazard, "finish", None)  # optional: hazard's end-of-run events
            if finish is not None:
                finish(self)
            self.dispatch.finish()
            self.log.emit(end, "run_finished", **self.summary())
        return self.log

    def summary(self) -> dict[str, Any]:
        """End-of-run counts for the log's last event."""
        out: dict[str, Any] = {
            "incidents": len(self.dispatch.incidents),
            "unresolved": sum(not i.resolved for i in self.dispatch.incidents.values()),
            "events": len(self.log),
        }
        if self.residents is not None:
            out["people_by_state"] = self.residents.counts()
        return out
