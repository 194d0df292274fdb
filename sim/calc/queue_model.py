"""A queue-only model for the M/M/c check: the engine's dispatch, without Mesa or a world.

`jmsim calc erlang-check` checks the engine's queueing machinery: the real
`DispatchCenter` (priority queue, ranking, the long-lived unit cycle), the real
Poisson call stream (`sim.hazards.poisson_stream`, as `ScriptedHazard` runs it),
the seeded streams and the typed event log. A full `DrillModel` would also
import Mesa, pandas, pydantic's scenario schema and pyproj (about 1 s of
start-up, more than the queue itself for the default 2,000 h), and build agents
nobody looks at. This model hands the same parts the few attributes they read,
in the same order as `DrillModel`, so a run gives the same event log, byte for
byte, as `DrillModel` on `sim.calc.erlang.mmc_scenario` (tested in
`tests/engine/test_eng_queue_model.py`).
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import simpy

from sim.agents.status import UnitStatus, route_position
from sim.events import EventLog, KeptKindsLog
from sim.gc_policy import paused_gc
from sim.hazards.base import NullHazard
from sim.hazards.poisson_stream import poisson_incidents
from sim.response.dispatch import DispatchCenter
from sim.response.incident import Incident, new_incident
from sim.rng import SeedStreams
from sim.routing import ZeroRouter

#: UTM (zone 49N) of the check's single base and town, 22.58 N 113.08 E (central Jiangmen),
#: as `sim.geo.to_utm` gives it; fixed here so the check needs no pyproj (a test compares).
BASE_LAT_LON = (22.58, 113.08)
BASE_XY = (713848.7081307195, 2498518.0119462837)
START_TIME = datetime(2025, 1, 1)


@dataclass(frozen=True, slots=True)
class QueueDispatchSpec:
    """The dispatch settings the check uses: no call handling, no turnout, nearest unit."""

    policy: str = "nearest"
    auto: bool = True
    call_handling_min: float = 0.0
    turnout_min: float = 0.0


class QueueVehicle:
    """A road car: the only speed the dispatch ranking and unit cycle read."""

    __slots__ = ("speed_kmh",)

    def __init__(self, road_kmh: float) -> None:
        self.speed_kmh: dict[str, float | None] = {
            "road": road_kmh,
            "foot": None,
            "sea": None,
            "river": None,
            "air": None,
        }


class QueueUnit:
    """A unit with the attributes `DispatchCenter` reads of a `Team` (no Mesa agent)."""

    __slots__ = (
        "uid",
        "unique_id",
        "capabilities",
        "base_xy",
        "xy",
        "vehicle",
        "status",
        "incident_id",
        "mode",
        "phase",
        "route_xy",
        "route_t",
        "launch_limit_wind_m_s",
    )

    def __init__(self, uid: str, unique_id: int, capabilities: frozenset[str], xy) -> None:
        self.uid = uid
        self.unique_id = unique_id
        self.capabilities = capabilities
        self.base_xy = self.xy = xy
        self.vehicle = QueueVehicle(60.0)
        self.status = UnitStatus.AVAILABLE
        self.incident_id = ""
        self.mode = ""
        self.phase = ""
        self.route_xy: np.ndarray | None = None
        self.route_t: tuple[float, float] = (math.nan, math.nan)
        self.launch_limit_wind_m_s: float | None = None

    def position_at(self, t: float) -> tuple[float, float]:
        """Same rule as `Team.position_at`."""
        return route_position(self.xy, self.route_xy, self.route_t, t)

    def can_serve(self, needs: str) -> bool:
        """Same rule as `Team.can_serve`."""
        return needs in self.capabilities or "any" in self.capabilities


@dataclass(frozen=True, slots=True)
class CallStream:
    """The check's one Poisson stream of calls (the fields of `IncidentStream` it reads)."""

    rate_per_h: float
    work_min: float
    kind: str = "call"
    where: str = "town"
    needs: str = "general"
    priority: int = 5
    units_needed: int = 1
    start_min: float = 0.0
    end_min: float | None = None


@dataclass(frozen=True, slots=True)
class _Spec:
    duration_min: float


class QueueModel:
    """Poisson calls at one town, `c` identical units at one base, zero travel: M/M/c.

    Mirrors `DrillModel` built from `mmc_scenario(lam, mu, c, hours, seed)` with a
    `ZeroRouter`: same streams, same process start order, same events.
    """

    def __init__(
        self,
        lam_per_h: float,
        mu_per_h: float,
        c: int,
        hours: float,
        seed: int,
        keep: Iterable[str] | None = None,
    ) -> None:
        """`keep`: the event kinds the log holds (default all; see `KeptKindsLog`)."""
        self.seed = int(seed)
        self.spec = _Spec(hours * 60.0)
        self.env = simpy.Environment()
        self.streams = SeedStreams.from_seed(self.seed)
        self.log = EventLog() if keep is None else KeptKindsLog(keep)
        self.router = ZeroRouter()
        self.tick_min = 60.0
        self._incident_seq = 0
        self.calls = CallStream(rate_per_h=lam_per_h, work_min=60.0 / mu_per_h)
        self.hazard = NullHazard()  # what ScriptedHazard is besides its streams
        caps = frozenset({"general"})
        # unique ids as Mesa numbers them in DrillModel (vehicle, then its team):
        # they break ties between equally near units.
        self.teams = [
            QueueUnit("u" if c == 1 else f"u-{k + 1}", 2 * (k + 1), caps, BASE_XY) for k in range(c)
        ]
        self.dispatch = DispatchCenter(self, QueueDispatchSpec())  # type: ignore[arg-type]
        self.env.process(self._start())

    def _start(self) -> Generator:
        self.log.emit(
            0.0,
            "run_started",
            scenario="erlang_check",
            seed=self.seed,
            start_time=START_TIME.isoformat(),
            units=len(self.teams),
            resident_groups=0,
            people=0,
            population=None,
        )
        # ScriptedHazard.start: one process per stream; the one place is the town
        town = np.array([BASE_XY], dtype=float)
        self.env.process(
            poisson_incidents(self, self.calls, 0, self.streams.incidents, lambda: town)
        )
        self.env.process(self._hazard_clock())
        self.env.process(self._msel())
        yield self.env.timeout(0)

    def _hazard_clock(self) -> Generator:
        self.hazard.advance(self, self.env.now)  # type: ignore[arg-type]
        return
        yield  # a generator, like DrillModel's clock (a static hazard returns at once)

    def _msel(self) -> Generator:
        return  # no injects
        yield

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
        **attrs: Any,
    ) -> Incident:
        """Create an incident now and hand it to the dispatch centre (as `DrillModel` does)."""
        self._incident_seq += 1
        inc = new_incident(
            self._incident_seq, self.env.now, kind, x_m, y_m, domain, needs, priority,
            units_needed, work_min, attrs, None,
        )  # fmt: skip
        self.dispatch.report(inc)
        return inc

    def run(self) -> EventLog:
        """Run the whole period and return the log (ends with `run_finished`, as a drill)."""
        end = self.spec.duration_min
        with paused_gc():  # the run makes no reference cycles (tested): nothing to collect
            self.env.run(until=end)
        incidents = self.dispatch.incidents
        self.log.emit(
            end,
            "run_finished",
            incidents=len(incidents),
            unresolved=sum(not i.resolved for i in incidents.values()),
            events=len(self.log),
        )
        return self.log
