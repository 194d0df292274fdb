"""Incident reports up the chain town → county → city (灾害事故信息上报).

Every incident the dispatch centre receives is also reported up the
administrative chain: the town where it happened reports to its county
(区/县级市), the county to the city. Each hop waits for a free duty desk of the
sending level (a SimPy Resource per town and per county, `duty_staff` desks)
and then takes a lognormal handling time. While the public mobile network is
down at the incident (the typhoon's lifeline model, `hazard.mobile_ok`), a
level without a satellite phone is `outage_factor` times slower. When the
report reaches the city the chain logs `incident_escalated` with the total
delay, the deadline and the time of each hop; `incident_report_timeliness`
scores it.

Deadline rule (defaults in `ReportingSpec`): 《生产安全事故报告和调查处理条例》
(国务院令第493号, 2007) Art. 9: the unit reports to the county-level
government within 1 h; Art. 10: reports go up level by level, each level
within 2 h. A report is on time if the whole chain and every hop meet theirs.

Common random numbers: each report's handling times come from its own
generator seeded by (run seed, report key), so a plan change (more desks,
satellite phones) does not reshuffle the draws of other incidents.
"""

from __future__ import annotations

import zlib
from collections.abc import Generator
from typing import TYPE_CHECKING

import numpy as np
import simpy

if TYPE_CHECKING:
    from sim.model import DrillModel
    from sim.response.incident import Incident
    from sim.scenario.schema import ReportHopSpec, ReportingSpec

#: Tag that keeps this chain's draws apart from every other use of the run seed.
_STREAM_TAG = 0x5245504F  # "REPO"
LEVELS = ("town", "county")


def report_key(inc: Incident) -> str:
    """What is reported once: a fire, a chemical accident, otherwise the incident itself.

    A fire's several dispatch requests share `fire_id`; a leak's calls share `report_key`.
    """
    a = inc.attrs
    if "fire_id" in a:
        return f"fire:{a['fire_id']}"
    return str(a.get("report_key") or inc.id)


def hop_minutes(hop: ReportHopSpec, u: float, comms_down: bool, outage_factor: float) -> float:
    """Handling time of one hop from a standard normal draw `u` (lognormal, median `median_min`)."""
    t = hop.median_min * float(np.exp(hop.sigma * u))
    if comms_down and not hop.satellite_phone:
        t *= outage_factor
    return t


class ReportingChain:
    """Duty desks of the towns and counties and the reports going through them."""

    def __init__(self, model: DrillModel, spec: ReportingSpec) -> None:
        self.model = model
        self.spec = spec
        self.desks: dict[tuple[str, str], simpy.Resource] = {}
        self.seen: set[str] = set()
        towns = getattr(model.world, "towns", None)
        self._county_of: dict[str, str] = {}
        if towns is not None and "adcode" in towns and len(towns):
            ids = towns["town_id"].astype(str).to_numpy()
            self._county_of = dict(zip(ids, towns["adcode"].astype(str).to_numpy(), strict=True))

    def _where(self, inc: Incident) -> tuple[str, str]:
        """(town, county) of the incident: the nearest town seat and its district."""
        if not self._county_of:
            return "town", "county"
        town = str(self.model.world.nearest_town(inc.x_m, inc.y_m))
        return town, self._county_of.get(town, "county")

    def _desk(self, level: str, where: str) -> simpy.Resource:
        key = (level, where)
        if key not in self.desks:
            staff = getattr(self.spec, level).duty_staff
            self.desks[key] = simpy.Resource(self.model.env, capacity=staff)
        return self.desks[key]

    def _comms_down(self, inc: Incident) -> bool:
        ok = getattr(self.model.hazard, "mobile_ok", None)
        if ok is None:
            return False
        return not bool(np.asarray(ok(np.array([inc.x_m]), np.array([inc.y_m])))[0])

    def report(self, inc: Incident) -> None:
        """Start the report of `inc` up the chain (once per report key)."""
        if not self.spec.enabled:
            return
        key = report_key(inc)
        if key in self.seen:
            return
        self.seen.add(key)
        seed = [self.model.seed, _STREAM_TAG, zlib.crc32(key.encode())]
        u = np.random.default_rng(seed).standard_normal(len(LEVELS))
        self.model.env.process(self._chain(inc, key, u))

    def _chain(self, inc: Incident, key: str, u: np.ndarray) -> Generator:
        env = self.model.env
        t0 = env.now
        town, county = self._where(inc)
        hops, t_hop, down = [], [], []
        for k, (level, where) in enumerate(zip(LEVELS, (town, county), strict=True)):
            hop = getattr(self.spec, level)
            start = env.now
            with self._desk(level, where).request() as req:
                yield req
                cut = self._comms_down(inc)
                yield env.timeout(hop_minutes(hop, float(u[k]), cut, self.spec.outage_factor))
            hops.append(env.now - start)
            t_hop.append(env.now)
            down.append(cut)
        self.model.log.emit(
            env.now,
            "incident_escalated",
            incident_id=inc.id,
            x_m=inc.x_m,
            y_m=inc.y_m,
            report_key=key,
            town=town,
            county=county,
            reported_min=t0,
            delay_min=env.now - t0,
            deadline_min=self.spec.deadline_min,
            hop_levels=["town→county", "county→city"],
            hop_min=hops,
            hop_t_min=t_hop,
            hop_deadline_min=[getattr(self.spec, lv).deadline_min for lv in LEVELS],
            comms_down=down,
            illustrative=not self.spec.source,
        )
