"""The chemical-leak hazard: a puff cloud on the drill clock, doses per resident group.

Each hazard tick the cloud drifts with the wind of the moment, the source adds
puffs until it is isolated or spent, and the outdoor concentration is
evaluated vectorised at every resident group and on a local display grid.
Indoors lags outdoors through the air-exchange model (windows open by default,
shut once a group shelters in place); doses feed 10/30/60-minute averages that
are compared with the AEGLs. The hazard also reports the leak to the dispatch
centre, issues the trainer's zone orders, closes roads and shelters in the
forecast threat zone, and sends patients to hospital.

Sources: see :mod:`scenarios.chemical.puffs` (dispersion),
:mod:`scenarios.chemical.indoor` (infiltration, dose), :mod:`scenarios.chemical.zones`
(ALOHA-style threat zones), :mod:`scenarios.chemical.heavy_gas` (Britter-McQuaid
density screening).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from scenarios.chemical.chemicals import get_chemical
from scenarios.chemical.dispersion import plume_warnings
from scenarios.chemical.heavy_gas import (
    CONTINUOUS_THRESHOLD,
    INSTANTANEOUS_THRESHOLD,
    richardson_continuous,
    richardson_instantaneous,
)
from scenarios.chemical.indoor import DoseTracker, indoor_step
from scenarios.chemical.params import ChemicalParams, ZoneOrder
from scenarios.chemical.puffs import PuffTrain
from scenarios.chemical.source import gas_orifice_rate, liquid_orifice_rate
from scenarios.chemical.stability import validate_class
from scenarios.chemical.zones import (
    AMBIENT_P_PA,
    AMBIENT_T_K,
    _air_density,
    calc_zones,
    footprint_polygon,
    to_map_frame,
)
from sim.agents.residents import ResidentState
from sim.geo import to_utm
from sim.response.relief import log_onsets

if TYPE_CHECKING:
    from sim.model import DrillModel
    from sim.scenario.schema import Inject

TIERS = (1, 2, 3)
#: Disaster onset for the first-batch relief clocks (INDICATORS.md, 专栏1): the
#: affected area is struck when the release starts; shelters and districts all
#: take that moment (their people are in need from then, whether or not the
#: AEGL-2 zone ever reaches the shelter itself).
ONSET_RULE = "chemical: release start (the leak strikes the whole affected area at once)"


def release_rate_kg_s(p: ChemicalParams) -> float:
    """Continuous release rate: given, or from the orifice equation (CCPS / Crowl & Louvar)."""
    r = p.release
    if r.rate_kg_s is not None:
        return float(r.rate_kg_s)
    o = r.orifice
    assert o is not None
    if o.phase == "liquid":
        return liquid_orifice_rate(
            o.hole_diameter_m,
            o.pressure_pa,
            float(o.liquid_density_kg_m3),
            liquid_head_m=o.liquid_head_m,
            cd=o.discharge_coefficient or 0.61,
        )
    chem = get_chemical(p.chemical)
    res = gas_orifice_rate(
        o.hole_diameter_m,
        o.pressure_pa,
        o.temperature_k,
        chem.mw_g_mol / 1000.0,
        o.heat_capacity_ratio,
        cd=o.discharge_coefficient or 0.85,
    )
    return float(res["rate_kg_s"])


class ChemicalHazard:
    """A toxic gas release advected by a time-varying wind (the `Hazard` protocol)."""

    name = "chemical"
    inject_kinds = ("wind_shift", "source_isolated", "release_rate_change", "zone_order")

    def __init__(self, params: ChemicalParams, world: Any, streams: Any) -> None:
        self.p = params
        self.world = world
        self.chem = get_chemical(params.chemical)
        self.tick_min = float(params.tick_min)
        x, y = to_utm(params.release.lat, params.release.lon)
        self.src = (float(x), float(y))
        w = params.weather
        self.wind_m_s = float(w.wind_m_s)
        self.wind_from_deg = float(w.wind_from_deg)
        self.stability = w.stability_class()
        self.urban = w.urban
        self.rate_kg_s = release_rate_kg_s(params) if params.release.kind == "continuous" else 0.0
        self.puffs = PuffTrain(self.stability, self.urban, params.release.height_m)
        self.released_kg = 0.0
        self.t_isolated = math.nan
        self.t_stopped = math.nan
        self.loc_ppm = {t: self.chem.aegl(t, params.aegl_duration_min) for t in TIERS}
        reach = params.people.reach_tier
        self.exposure_threshold = float(self.loc_ppm[reach] or self.loc_ppm[1] or 0.0)
        hw, cell = params.grid.half_width_km * 1000.0, params.grid.cell_m
        offs = np.arange(-hw, hw + cell / 2, cell)
        self.grid_x, self.grid_y = self.src[0] + offs, self.src[1] + offs
        self.conc_grid = np.zeros((offs.size, offs.size))
        self.max_grid = np.zeros_like(self.conc_grid)
        self._notes: list[str] = []
        self._note_weather()
        self._note_source()
        self.model: DrillModel | None = None

    # -- protocol -----------------------------------------------------------------
    def validity(self) -> list[str]:
        """Model limits met in this run (heavy gas, low wind, stable classes, source term)."""
        return list(dict.fromkeys(self._notes))

    def start(self, model: DrillModel) -> None:
        """Set up dose books, response handlers, traffic and the scripted timeline."""
        from scenarios.chemical.response import fire_standby, hazmat_on_scene, medical_transport

        self.model = model
        env = model.env
        self.stopped = env.event()
        n = model.residents.n if model.residents is not None else 0
        self.ci = np.zeros(n)
        self.tier = np.zeros(n, dtype=np.int64)
        self.in_zone = np.zeros(n, dtype=bool)
        self.protected = np.zeros(n, dtype=bool)
        self.home_above_until = np.full(n, -math.inf)  # last tick outdoors at home >= AEGL-1
        self.dose = DoseTracker(n, self.tick_min * 60.0) if n else None
        model.dispatch.handlers["chemical_leak"] = hazmat_on_scene
        model.dispatch.handlers["chemical_fire_support"] = fire_standby
        model.dispatch.handlers["chemical_casualty"] = medical_transport
        tr = self.p.traffic
        if tr.enabled and getattr(self.world, "roads", None) is not None:
            from sim.response.traffic import RoadTraffic

            RoadTraffic(self.world.roads, tr.persons_per_vehicle, None, tr.avoid_penalty).hook(
                model
            )
        hosp = getattr(self.world, "facilities", None)
        self.hospitals = (
            hosp[hosp["kind"] == "hospital"][["facility_id", "x_m", "y_m"]].to_numpy()
            if hosp is not None
            else np.zeros((0, 3))
        )
        r = self.p.release
        if r.start_min > 0:
            env.process(self._later(r.start_min, self._log_start))
        else:
            self._log_start()
        self._emit_threat_zone(model, "initial")
        env.process(self._report(model))
        for ch in self.p.weather.changes:
            env.process(
                self._later(
                    ch.at_min,
                    lambda c=ch: self.set_weather(
                        model, c.wind_m_s, c.wind_from_deg, c.stability, "scripted"
                    ),
                )
            )
        for order in self.p.people.orders:
            env.process(self._later(order.at_min, lambda o=order: self.zone_order(model, o)))
        close_at = self.p.traffic.close_roads_at_min
        if close_at is not None:
            env.process(self._later(close_at, lambda: self.update_zone(model, "road closure")))

    def advance(self, model: DrillModel, t_min: float) -> None:
        """Drift, release, and evaluate concentrations and doses for (t - tick, t]."""
        if t_min <= 0:
            return
        dt_s = self.tick_min * 60.0
        self.puffs.advect(dt_s, self.wind_m_s, self.wind_from_deg)
        self._release(model, t_min - self.tick_min, t_min)
        self.puffs.prune(self.p.max_travel_km * 1000.0)
        self.conc_grid = self.puffs.field(self.grid_x, self.grid_y) * 1e6
        np.maximum(self.max_grid, self.conc_grid, out=self.max_grid)
        if self.dose is not None:
            self._expose(model, t_min, dt_s)

    def intensity_at(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Outdoor ground-level concentration now, ppm (compared with the `reach_tier` LOC)."""
        return self.ppm_at(x_m, y_m)

    def fields(self) -> dict[str, np.ndarray]:
        """Display grid: current and running-max concentration (mg/m3) and AEGL tier."""
        tier = np.zeros(self.max_grid.shape, dtype=np.int8)
        for t in TIERS:
            if self.loc_ppm[t] is not None:
                tier[self.max_grid >= self.chem.ppm_to_mg_m3(self.loc_ppm[t])] = t
        return {
            "grid_x_m": self.grid_x,
            "grid_y_m": self.grid_y,
            "concentration_mg_m3": self.conc_grid,
            "max_concentration_mg_m3": self.max_grid,
            "aegl_tier": tier,
        }

    # -- physics helpers --------------------------------------------------------------
    def ppm_at(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Outdoor ground-level concentration at points, ppm."""
        c = self.puffs.at(x_m, y_m) * 1e6
        return np.asarray(self.chem.mg_m3_to_ppm(c)).reshape(np.shape(x_m))

    @property
    def leaking(self) -> bool:
        """Whether the source is still (or not yet) releasing."""
        return math.isnan(self.t_stopped)

    def _active_window(self, t0: float, t1: float) -> float:
        """Minutes of (t0, t1] during which the source releases (planned end, isolation)."""
        r = self.p.release
        end = r.start_min + (r.duration_min if r.duration_min is not None else math.inf)
        if not self.leaking:
            end = min(end, self.t_stopped)
        return max(0.0, min(t1, end) - max(t0, r.start_min))

    def _release(self, model: DrillModel, t0: float, t1: float) -> None:
        r = self.p.release
        if r.kind == "instantaneous":
            if self.leaking and t0 < r.start_min <= t1:
                self.puffs.release_instantaneous(*self.src, float(r.mass_kg))
                self.puffs.advect((t1 - r.start_min) * 60.0, self.wind_m_s, self.wind_from_deg)
                self.released_kg = float(r.mass_kg)
                self._stop(model, r.start_min, "instantaneous release complete")
            return
        active = self._active_window(t0, t1)
        if active > 0 and self.rate_kg_s > 0:
            mass = self.rate_kg_s * active * 60.0
            if r.inventory_kg is not None:
                mass = min(mass, r.inventory_kg - self.released_kg)
            n_sub = max(1, int(round(self.p.puffs_per_min * active)))
            self.puffs.release_continuous(
                *self.src,
                mass / (active * 60.0),
                active * 60.0,
                n_sub,
                self.wind_m_s,
                self.wind_from_deg,
            )
            self.released_kg += mass
        if not self.leaking:
            return
        end = r.start_min + (r.duration_min if r.duration_min is not None else math.inf)
        if t1 >= end:
            self._stop(model, end, "release duration elapsed")
        elif r.inventory_kg is not None and self.released_kg >= r.inventory_kg - 1e-9:
            self._stop(model, t1, "inventory exhausted")

    def _stop(self, model: DrillModel, t: float, reason: str) -> None:
        if not self.leaking:
            return
        self.t_stopped = t
        model.log.emit(
            model.env.now,
            "release_ended",
            subject_id="SRC",
            reason=reason,
            released_kg=self.released_kg,
            at_min=t,
        )
        if not self.stopped.triggered:
            self.stopped.succeed()

    def isolate(self, model: DrillModel, by: str) -> None:
        """Stop the release now (a hazmat team closed the valve, or a trainer says so)."""
        if not self.leaking:
            return
        self.t_isolated = model.env.now
        model.log.emit(
            model.env.now,
            "source_isolated",
            subject_id="SRC",
            unit_id="" if by.startswith("inject:") else by,
            by=by,
            x_m=self.src[0],
            y_m=self.src[1],
            released_kg=self.released_kg,
        )
        self._stop(model, model.env.now, f"isolated by {by}")

    # -- people ---------------------------------------------------------------------------
    def _expose(self, model: DrillModel, t: float, dt_s: float) -> None:
        res = model.residents
        co = self.ppm_at(res.x, res.y)
        self._track_homes(res, co, t)
        evac = res.state == ResidentState.EVACUATING
        shut = res.indoor | (res.state == ResidentState.SHELTERED)
        pp = self.p.people
        ach = np.where(shut, pp.ach_shelter_per_h, pp.ach_normal_per_h)
        self.ci = indoor_step(self.ci, co, ach, dt_s)
        self.ci[evac] = co[evac]  # in a car on the road: outdoor air
        self.dose.add(np.where(evac, co, self.ci))
        tier = self.dose.aegl_tier(self.chem)
        for k in np.flatnonzero(tier > self.tier).tolist():
            self._tier_up(model, t, k, int(self.tier[k]), int(tier[k]))
        self.tier = np.maximum(self.tier, tier)
        loc2 = self.loc_ppm[2]
        if loc2 is not None:
            self._mark_zone(model, t, np.flatnonzero((co >= loc2) | (tier >= 2)), "observed")
        self._check_protected(model, t)

    def _track_homes(self, res: Any, co: np.ndarray, t: float) -> None:
        """Remember when the outdoor air at each home last reached AEGL-1 (for the all-clear)."""
        loc = self.all_clear_ppm
        if loc is None:
            return
        home = (res.x == res.home_x) & (res.y == res.home_y)
        c_home = co.copy()
        away = np.flatnonzero(~home)
        if away.size:
            c_home[away] = self.ppm_at(res.home_x[away], res.home_y[away])
        self.home_above_until[c_home >= loc] = t

    @property
    def all_clear_ppm(self) -> float | None:
        """Outdoor level under which a home counts as clear: AEGL-1 at `aegl_duration_min`.

        From the chemical data (US EPA Final AEGLs, `data/chemicals.csv`; chlorine 0.5 ppm
        at 10-60 min). Chemicals without an AEGL-1 (NR) use the lowest tier that has one.
        """
        return next((self.loc_ppm[t] for t in TIERS if self.loc_ppm[t] is not None), None)

    def all_clear(self, model: DrillModel, idx: np.ndarray, t_min: float) -> np.ndarray:
        """Whether groups `idx` may go home (the all-clear of `sim.response.return_home`).

        The release has ended (isolated, spent or over) and the outdoor concentration at
        the group's home has stayed below AEGL-1 (US EPA Final AEGLs, see
        `all_clear_ppm`) for `people.clearance_min` (ILLUSTRATIVE) since the later of the
        release's end and the last tick it was at or above that level. Zone orders have
        no lifting of their own: this all-clear lifts them (`orders_lifted`).
        """
        idx = np.asarray(idx, dtype=np.intp)
        if self.leaking or self.all_clear_ppm is None:
            return np.zeros(idx.size, dtype=bool)
        since = np.fmax(self.home_above_until[idx], self.t_stopped)
        return t_min - since >= self.p.people.clearance_min - 1e-9

    def _tier_up(self, model: DrillModel, t: float, k: int, old: int, new: int) -> None:
        res = model.residents
        for tier in range(old + 1, new + 1):
            model.log.emit(
                t,
                "aegl_exceeded",
                subject_id=f"G{k}",
                x_m=res.x[k],
                y_m=res.y[k],
                tier=tier,
                people=int(res.people[k]),
                indoor=bool(res.indoor[k]),
                state=ResidentState(int(res.state[k])).name.lower(),
                max_avg_60_ppm=float(self.dose.max_avg[60][k]),
            )
        rp = self.p.response
        if rp.medical_needs is None or new < 2:
            return
        share = (rp.casualty_share_aegl3 if new >= 3 else rp.casualty_share_aegl2) - (
            rp.casualty_share_aegl3 if old >= 3 else rp.casualty_share_aegl2 if old >= 2 else 0.0
        )
        patients = int(round(int(res.people[k]) * share))
        if patients >= 1:
            model.report_incident(
                "chemical_casualty",
                float(res.x[k]),
                float(res.y[k]),
                needs=rp.medical_needs,
                priority=2,
                units_needed=1,
                work_min=rp.load_min,
                patients=patients,
                remaining=patients,
                group=f"G{k}",
                tier=new,
                report_key="chemical_release",  # one accident, reported up the chain once
            )

    def _mark_zone(self, model: DrillModel, t: float, idx: np.ndarray, how: str) -> None:
        new = idx[~self.in_zone[idx]]
        if new.size == 0:
            return
        self.in_zone[new] = True
        res = model.residents
        for k in new.tolist():
            model.log.emit(
                t, "aegl2_zone_entered", subject_id=f"G{k}", people=int(res.people[k]), how=how
            )

    def _check_protected(self, model: DrillModel, t: float) -> None:
        res = model.residents
        safe = res.indoor | (res.state == ResidentState.SHELTERED)
        new = np.flatnonzero(self.in_zone & safe & ~self.protected)
        self.protected[new] = True
        for k in new.tolist():
            how = "evacuated" if res.state[k] == ResidentState.SHELTERED else "shelter_in_place"
            model.log.emit(
                t, "group_protected", subject_id=f"G{k}", people=int(res.people[k]), how=how
            )

    def people_above(self, tier: int) -> int:
        """People in groups whose exposure exceeded AEGL-`tier` so far."""
        res = self.model.residents if self.model is not None else None
        if res is None:
            return 0
        return int(res.people[self.tier >= tier].sum())

    # -- forecast zones, orders, closures ------------------------------------------------
    def forecast_ppm(self, x_m: np.ndarray, y_m: np.ndarray, horizon_min: float) -> np.ndarray:
        """Max outdoor ppm at points over the next ``horizon_min`` with today's wind held.

        The official threat zone: where the concentration exceeds the LOC at any
        time (ALOHA's definition), forecast from the puffs already out plus the
        release continuing as planned, on 5-minute steps.
        """
        p = self.puffs.copy()
        step = 5.0
        mx = np.asarray(self.chem.mg_m3_to_ppm(p.at(x_m, y_m) * 1e6))
        now = self.model.env.now if self.model is not None else 0.0
        r = self.p.release
        t = now
        while t < now + horizon_min - 1e-9:
            p.advect(step * 60.0, self.wind_m_s, self.wind_from_deg)
            if self.leaking and r.kind == "continuous":
                active = self._active_window(t, t + step)
                if active > 0:
                    p.release_continuous(
                        *self.src,
                        self.rate_kg_s,
                        active * 60.0,
                        max(1, int(round(self.p.puffs_per_min * active))),
                        self.wind_m_s,
                        self.wind_from_deg,
                    )
            elif r.kind == "instantaneous" and t < r.start_min <= t + step:
                p.release_instantaneous(*self.src, float(r.mass_kg))
            t += step
            mx = np.maximum(mx, self.chem.mg_m3_to_ppm(p.at(x_m, y_m) * 1e6))
        return mx

    def zone_groups(self, model: DrillModel, zone: str, horizon_min: float = 60.0) -> np.ndarray:
        """Indices of resident groups inside the forecast AEGL zone (`aegl1|2|3`)."""
        res = model.residents
        loc = self.loc_ppm[int(zone[-1])]
        if res is None or loc is None:
            return np.zeros(0, dtype=np.int64)
        f = self.forecast_ppm(res.x, res.y, horizon_min)
        return np.flatnonzero(f >= loc)

    def zone_order(self, model: DrillModel, order: ZoneOrder) -> None:
        """Order evacuation or shelter-in-place for the groups in a forecast zone."""
        self.update_zone(model, f"{order.action} {order.zone}", order.forecast_min)
        idx = self.zone_groups(model, order.zone, order.forecast_min)
        res = model.residents
        if res is None:
            return
        if order.action == "evacuate":
            idx = idx[
                (res.state[idx] == ResidentState.UNAWARE) | (res.state[idx] == ResidentState.WARNED)
            ]
            model.protective_actions.order_evacuation(idx, reason=f"{order.zone} zone")
        else:
            model.protective_actions.order_shelter_in_place(idx, reason=f"{order.zone} zone")
        self._check_protected(model, model.env.now)

    def update_zone(self, model: DrillModel, reason: str, horizon_min: float = 60.0) -> None:
        """Recompute the forecast zone: AEGL-2 membership, road closures, avoided roads, shelters."""
        res = model.residents
        tr = self.p.traffic
        loc = {t: self.loc_ppm[t] for t in TIERS}
        if res is not None and loc[2] is not None:
            f = self.forecast_ppm(res.x, res.y, horizon_min)
            self._mark_zone(model, model.env.now, np.flatnonzero(f >= loc[2]), "forecast")
        traffic = getattr(model, "traffic", None)
        if traffic is not None:
            fn = self.forecast_ppm(traffic.xy[:, 0], traffic.xy[:, 1], horizon_min)
            if tr.avoid_zone is not None and loc[int(tr.avoid_zone[-1])] is not None:
                traffic.avoid(fn >= loc[int(tr.avoid_zone[-1])])
            if tr.close_roads_zone is not None and loc[int(tr.close_roads_zone[-1])] is not None:
                blocks = traffic.close(fn >= loc[int(tr.close_roads_zone[-1])])
                model.log.emit(
                    model.env.now,
                    "road_closures",
                    zone=tr.close_roads_zone,
                    closed_nodes=int(traffic.closed_nodes.sum()),
                    roadblocks=[[round(float(a), 1), round(float(b), 1)] for a, b in blocks],
                    reason=reason,
                )
        if tr.close_shelters_zone is not None and loc[int(tr.close_shelters_zone[-1])] is not None:
            sh = model.protective_actions.shelters
            if sh:
                sx = np.array([s.x_m for s in sh])
                sy = np.array([s.y_m for s in sh])
                bad = self.forecast_ppm(sx, sy, horizon_min) >= loc[int(tr.close_shelters_zone[-1])]
                for s, b in zip(sh, bad.tolist(), strict=True):
                    if b and s.open:
                        s.open = False
                        model.log.emit(
                            model.env.now, "shelter_closed", subject_id=s.id, reason="threat zone"
                        )

    # -- weather and injects -----------------------------------------------------------
    def set_weather(
        self,
        model: DrillModel,
        wind_m_s: float | None,
        wind_from_deg: float | None,
        stability: str | None,
        reason: str,
    ) -> None:
        """Change wind and/or stability from now on (puffs already out keep drifting)."""
        if wind_m_s is not None:
            if not wind_m_s > 0:
                raise ValueError(f"wind_m_s={wind_m_s!r}: expected > 0")
            self.wind_m_s = float(wind_m_s)
        if wind_from_deg is not None:
            self.wind_from_deg = float(wind_from_deg) % 360.0
        if stability is not None:
            self.stability = validate_class(stability)
            self.puffs.stability = self.stability
        self._note_weather()
        model.log.emit(
            model.env.now,
            "wind_changed",
            wind_m_s=self.wind_m_s,
            wind_from_deg=self.wind_from_deg,
            stability=self.stability,
            reason=reason,
        )
        self._emit_threat_zone(model, reason)
        if model.env.now >= self.p.response.report_delay_min:
            self.update_zone(model, reason)

    def apply_inject(self, model: DrillModel, inj: Inject) -> None:
        """wind_shift / source_isolated / release_rate_change / zone_order injects."""
        p = inj.params
        if inj.kind == "wind_shift":
            self.set_weather(
                model, p.get("wind_m_s"), p.get("wind_from_deg"), p.get("stability"), inj.id
            )
        elif inj.kind == "source_isolated":
            self.isolate(model, by=f"inject:{inj.id}")
        elif inj.kind == "release_rate_change":
            rate = p.get("rate_kg_s")
            if not isinstance(rate, int | float) or rate < 0:
                raise ValueError(f"inject {inj.id!r}: params.rate_kg_s={rate!r}; expected >= 0")
            self.rate_kg_s = float(rate)
            model.log.emit(model.env.now, "release_rate_changed", rate_kg_s=self.rate_kg_s)
            self._note_source()
            self._emit_threat_zone(model, inj.id)
        elif inj.kind == "zone_order":
            self.zone_order(model, ZoneOrder(at_min=model.env.now, **p))

    # -- notes and threat zones ------------------------------------------------------------
    def _note_weather(self) -> None:
        self._notes += plume_warnings(self.wind_m_s, self.stability)
        self._note_source()

    def _note_source(self) -> None:
        r = self.p.release
        rho = self.chem.gas_density_kg_m3(AMBIENT_T_K, AMBIENT_P_PA)
        rho_a = _air_density()
        if r.kind == "continuous" and self.rate_kg_s > 0:
            ri = richardson_continuous(self.rate_kg_s, rho, self.wind_m_s, rho_a)
            dense = ri >= CONTINUOUS_THRESHOLD
        elif r.kind == "instantaneous":
            ri = richardson_instantaneous(float(r.mass_kg), rho, self.wind_m_s, rho_a)
            dense = ri >= INSTANTANEOUS_THRESHOLD
        else:
            return
        if dense:
            self._notes.append(
                f"HEAVY GAS: {self.chem.name} release is denser than air (Britter-McQuaid "
                f"Richardson group {ri:.2f} >= {CONTINUOUS_THRESHOLD if r.kind == 'continuous' else INSTANTANEOUS_THRESHOLD}); "
                "the Gaussian puffs are outside their validity near the source; "
                "Britter-McQuaid distances are given in the threat_zone events"
            )
        if r.orifice is not None and r.orifice.phase == "liquid":
            self._notes.append(
                "orifice: liquid Bernoulli outflow without flashing or aerosol (CCPS); "
                "a flashing liquefied gas forms a cold, denser cloud"
            )

    def _emit_threat_zone(self, model: DrillModel, reason: str) -> None:
        """ALOHA-style steady threat zones (distances, polygons on the map) for now."""
        r = self.p.release
        payload: dict[str, Any] = {"reason": reason, "stability": self.stability}
        if r.kind == "continuous" and self.rate_kg_s > 0:
            z = calc_zones(
                self.chem,
                self.rate_kg_s,
                self.wind_m_s,
                self.stability,
                self.urban,
                self.p.aegl_duration_min,
            )
            polys = {}
            for t in TIERS:
                key = f"aegl{t}"
                payload[f"{key}_m"] = z[f"{key}_m"]
                if self.loc_ppm[t] is None:
                    continue
                loc = float(self.chem.ppm_to_mg_m3(self.loc_ppm[t]))
                ring = footprint_polygon(
                    loc, self.rate_kg_s, self.wind_m_s, self.stability, self.urban, n=24
                )
                if ring:
                    xy = to_map_frame(ring, *self.src, self.wind_from_deg)
                    polys[key] = np.round(xy, 1).tolist()
            payload["polygons_xy"] = polys
            payload["heavy_gas"] = z["heavy_gas"]
            if "dense_gas" in z:
                payload["britter_mcquaid_m"] = z["dense_gas"]
        model.log.emit(
            model.env.now,
            "threat_zone",
            subject_id="SRC",
            x_m=self.src[0],
            y_m=self.src[1],
            **payload,
        )

    # -- processes ---------------------------------------------------------------------------
    def _later(self, at_min: float, fn):
        env = self.model.env
        if at_min > env.now:
            yield env.timeout(at_min - env.now)
        fn()

    def _log_start(self) -> None:
        m = self.model
        m.log.emit(
            m.env.now,
            "release_started",
            subject_id="SRC",
            x_m=self.src[0],
            y_m=self.src[1],
            chemical=self.chem.name,
            kind=self.p.release.kind,
            rate_kg_s=self.rate_kg_s,
            mass_kg=self.p.release.mass_kg,
            stability=self.stability,
            wind_m_s=self.wind_m_s,
            wind_from_deg=self.wind_from_deg,
            source=self.p.source_name,
        )
        # 专栏1 first-batch clocks start here (INDICATORS.md: onset = release start)
        log_onsets(m, m.env.now, ONSET_RULE)

    def _report(self, model: DrillModel):
        rp = self.p.response
        t = self.p.release.start_min + rp.report_delay_min
        if t > model.env.now:
            yield model.env.timeout(t - model.env.now)
        model.report_incident(
            "chemical_leak",
            *self.src,
            needs=rp.hazmat_needs,
            priority=1,
            units_needed=rp.hazmat_units,
            work_min=rp.isolation_work_min,
            chemical=self.chem.name,
            report_key="chemical_release",
        )
        if rp.fire_needs is not None and rp.fire_units > 0:
            model.report_incident(
                "chemical_fire_support",
                *self.src,
                needs=rp.fire_needs,
                priority=2,
                units_needed=rp.fire_units,
                work_min=rp.isolation_work_min,
                report_key="chemical_release",
            )
        if self.p.traffic.close_roads_at_min is None:
            self.update_zone(model, "leak reported")
