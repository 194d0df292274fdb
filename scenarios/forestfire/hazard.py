"""The forest-fire hazard plug-in: fires on local grids, detection, reports, villages.

Each fire (scripted ignition, MSEL ``ignite`` inject, or a random start of the
fire season) gets its own fine grid and ``FireSpread`` kernel. The hazard clock
advances every fire, refreshes its dead-fuel moisture through the day, turns
line production into blocked cells, and emits the fire events the indicators
read: ``fire_ignited`` (the 24-h clock starts here), ``fire_detected``,
``fire_reported``, ``fire_contained``, ``fire_extinguished``, ``fire_final``
(``burned_ha``, ``burned_forest_ha``) and an hourly ``fire_state`` with a hash
of the burned/lined cells (the perimeter's fingerprint, for determinism).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.spatial import cKDTree

from sim.geo import to_utm
from sim.response.relief import log_onsets

from .fire import Fire
from .params import ForestFireParams, MonthWeather
from .suppression import AIR_KIND, GROUND_KIND, air_handler, ground_handler
from .terrain import nearest_road_point, walk  # noqa: F401  (walk re-exported for tools)
from .viewshed import Observer, seen_by_any
from .weather import FireWeather, day_of_year, local_hour

if TYPE_CHECKING:
    from sim.model import DrillModel
    from sim.scenario.schema import Inject

#: Disaster onset for the first-batch relief clocks (INDICATORS.md, 专栏1): a fire
#: strikes its area when it ignites. Every ignition is an onset at every relief area;
#: a batch is timed from the latest ignition before it (sim/indicators/measures.py).
ONSET_RULE = "forest fire: ignition (the latest fire lit before the batch arrived)"

VALIDITY = [
    "forest fire: surface fire only (Rothermel/Behave); no crowning, spotting or ember transport",
    "forest fire: land cover → fuel model mapping for South China is an assumption (fuel_map.py)",
    "forest fire: world DEM is 30″ and smoothed, so slopes (and slope-driven spread) are under-estimated",
    "forest fire: line production scales the NWCG 20-person crew table linearly with crew size",
]


def observers_from(world, params: ForestFireParams) -> list[Observer]:
    """World lookouts (if enabled) plus the plan's extra lookouts and cameras."""
    d = params.detection
    out: list[Observer] = []
    fac = getattr(world, "facilities", None)
    if d.world_lookouts and fac is not None and "kind" in fac:
        for r in fac[fac["kind"] == "lookout"].itertuples():
            out.append(Observer(str(r.facility_id), "lookout", float(r.x_m), float(r.y_m),
                                d.lookout_height_m, d.lookout_range_km * 1000.0))  # fmt: skip
    for o in d.observers:
        x, y = to_utm(o.lat, o.lon)
        out.append(Observer(o.id, o.kind, float(x), float(y), o.height_m, o.range_km * 1000.0))
    return out


def weather_from(params: ForestFireParams, start: datetime) -> FireWeather:
    """The scenario's fire weather state at the start."""
    w = params.weather
    return FireWeather(
        w.wind_speed_10m_m_s, w.wind_from_deg, w.t_max_c, w.t_min_c, w.rh_min_pct,
        w.days_since_rain, w.live_herb_pct, w.live_woody_pct, day_of_year(start, 0.0),
    )  # fmt: skip


class ForestFireHazard:
    """Hazard protocol implementation for forest fires."""

    name = "forestfire"
    inject_kinds = ("wind_shift", "weather_change", "ignite", "spot_fire")

    def __init__(self, params: ForestFireParams, world, streams, start: datetime) -> None:
        self.params = params
        self.world = world
        self.rng = streams.hazard
        self.start_time = start
        self.tick_min = params.tick_min
        self.exposure_threshold = params.threat.exposure_threshold_kw_m
        self.weather = weather_from(params, start)
        self.observers = observers_from(world, params)
        self.fires: dict[str, Fire] = {}
        self.active: list[Fire] = []
        self.notes: list[str] = []
        self.model: DrillModel | None = None
        self._t_threat: dict[str, float] = {}
        self._seq = 0
        self._near_until: np.ndarray | None = None  # per group: last check a fire was near home
        self._t_near = -math.inf

    # ---------------------------------------------------------- protocol
    def validity(self) -> list[str]:
        """Model limits plus notes raised during the run (e.g. fires reaching the grid edge)."""
        return VALIDITY + self.notes

    def start(self, model: DrillModel) -> None:
        """Register the fire handlers and schedule the ignitions."""
        self.model = model
        model.dispatch.handlers[GROUND_KIND] = ground_handler
        model.dispatch.handlers[AIR_KIND] = air_handler
        for ign in self.params.ignitions:
            x, y = to_utm(ign.lat, ign.lon)
            model.env.process(self._ignite_at(model, ign.at_min, float(x), float(y), ign.id))
        if self.params.season is not None:
            for t, x, y, w, fid in self.season_ignitions(model.spec.duration_min):
                model.env.process(self._ignite_at(model, t, x, y, fid, w))
        model.env.process(self._state_clock(model))

    def advance(self, model: DrillModel, t_min: float) -> None:
        """Advance every burning fire to ``t_min``."""
        for fire in list(self.active):
            self._advance_fire(model, fire, t_min)
        th = self.params.threat
        if model.residents is not None and t_min - self._t_near >= th.check_min - 1e-9:
            self._t_near = t_min
            self._track_homes(model, t_min)

    def _track_homes(self, model: DrillModel, t: float) -> None:
        """Mark the homes a fire is near now (the clock of the all-clear).

        Near: a burning cell within `return_distance_m`, or (while the fire is
        uncontained) inside its evacuation threat area (`Fire.threatened`, the same
        rule that orders the evacuation).
        """
        res = model.residents
        th = self.params.threat
        if self._near_until is None:
            self._near_until = np.full(res.n, -math.inf)
        hx, hy, d_max = res.home_x, res.home_y, th.return_distance_m
        for fire in self.active:
            near = np.zeros(res.n, dtype=bool)
            rr, cc = np.nonzero(fire.spread.burning_mask())
            w, s, e, n = fire.grid.bounds
            box = np.flatnonzero(
                (hx >= w - d_max) & (hx <= e + d_max) & (hy >= s - d_max) & (hy <= n + d_max)
            )
            if rr.size and box.size:
                fx, fy = fire.grid.xy(rr, cc)
                d, _ = cKDTree(np.column_stack([fx, fy])).query(
                    np.column_stack([hx[box], hy[box]]), distance_upper_bound=d_max
                )
                near[box[np.isfinite(d)]] = True
            if not fire.contained:
                r, c, inside = fire.grid.rc(hx, hy)
                near |= inside & fire.threatened(t + th.lead_min, th.buffer_m)[r, c]
            self._near_until[near] = t

    def all_clear(self, model: DrillModel, idx: np.ndarray, t_min: float) -> np.ndarray:
        """Whether groups `idx` may go home (the all-clear of `sim.response.return_home`).

        Every fire that threatened the home is contained or out, and no burning cell came
        within `threat.return_distance_m` of it for `threat.return_quiet_min` (both
        ILLUSTRATIVE; checked every `threat.check_min`). A home in a burned cell never
        gets the all-clear (it burned; surface-fire model, no building damage modelled).
        """
        idx = np.asarray(idx, dtype=np.intp)
        res = model.residents
        last = (
            self._near_until[idx] if self._near_until is not None else np.full(idx.size, -math.inf)
        )
        ok = t_min - last >= self.params.threat.return_quiet_min - 1e-9
        hx, hy = res.home_x[idx], res.home_y[idx]
        for fire in self.fires.values():
            r, c, inside = fire.grid.rc(hx, hy)
            ok &= ~(inside & fire.spread.burned_mask()[r, c])
        return ok

    def sync(self, model: DrillModel) -> None:
        """Bring every fire's spread to the current model time (before reading its edge)."""
        for fire in self.active:
            fire.spread.advance(model.env.now)

    def intensity_at(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Byram intensity (kW/m) of fire burning in or next to the cell of each point."""
        x = np.asarray(x_m, float)
        out = np.zeros(x.shape)
        if not self.active or self.model is None:
            return out
        now = self.model.env.now
        y = np.asarray(y_m, float)
        for fire in self.active:
            w, s, e, n = fire.grid.bounds
            near = (x >= w) & (x < e) & (y > s) & (y <= n)
            if not near.any():
                continue
            fld = fire.exposure_field(now)
            r, c, _ = fire.grid.rc(x[near], y[near])
            out[near] = np.maximum(out[near], fld[r, c])
        return out

    def wind_m_s(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """10-m wind speed (uniform over the area) for aircraft launch limits."""
        return np.full(np.shape(x_m), self.weather.wind_speed_10m_m_s)

    def fields(self) -> dict[str, np.ndarray]:
        """Arrival-time grids of the burning fires (minutes; inf = unburned)."""
        return {f"arrival_{f.fid}": f.spread.arrival_time_min for f in self.active}

    def finish(self, model: DrillModel) -> None:
        """At the end of the run: final size of fires still burning."""
        for fire in list(self.active):
            fire.spread.advance(model.env.now)
            self._final(model, fire, extinguished=False)

    # ------------------------------------------------------------ injects
    def apply_inject(self, model: DrillModel, inj: Inject) -> None:
        """``wind_shift`` / ``weather_change`` / ``ignite`` / ``spot_fire``.

        Raises:
            ValueError: unknown or out-of-range parameters (named in the message).
        """
        p = dict(inj.params)
        now = model.env.now
        if inj.kind in ("wind_shift", "weather_change"):
            allowed = {
                "wind_shift": {"wind_speed_10m_m_s", "wind_from_deg"},
                "weather_change": {"wind_speed_10m_m_s", "wind_from_deg", "t_max_c", "t_min_c",
                                   "rh_min_pct", "days_since_rain", "live_herb_pct", "live_woody_pct"},
            }[inj.kind]  # fmt: skip
            bad = sorted(set(p) - allowed)
            if bad or not p:
                raise ValueError(
                    f"inject {inj.id!r} ({inj.kind}): params {bad or '{}'} not allowed; "
                    f"expected some of {sorted(allowed)}"
                )
            self.weather = self.weather.with_changes(**{k: float(v) for k, v in p.items()})
            for fire in self.active:
                fire.weather = fire.weather.with_changes(**{k: float(v) for k, v in p.items()})
                fire.spread.set_weather(
                    now, fire.weather.wind_speed_10m_m_s, fire.weather.wind_from_deg,
                    fire.weather.moisture_at(local_hour(self.start_time, now)),
                )  # fmt: skip
                fire.t_moist = now
            model.log.emit(now, "fire_weather_changed", subject_id=inj.id, **p)
            return
        if "lat" not in p or "lon" not in p:
            raise ValueError(f"inject {inj.id!r} ({inj.kind}): params need lat and lon")
        x, y = (float(v) for v in to_utm(float(p["lat"]), float(p["lon"])))
        if inj.kind == "spot_fire":
            for fire in self.active:
                r, c, inside = fire.grid.rc(x, y)
                if bool(inside) and fire.spread.burnable[int(r), int(c)]:
                    fire.spread.ignite(int(r), int(c), now)
                    fire.t_contained = math.nan
                    model.log.emit(
                        now, "spot_fire", subject_id=fire.fid, x_m=x, y_m=y, source=inj.id
                    )
                    return
        self._ignite(model, x, y, str(p.get("fire_id", inj.id)), self.weather)

    # ------------------------------------------------------------ fires
    def _ignite_at(self, model, t, x, y, fid, weather=None) -> Generator:
        if t > model.env.now:
            yield model.env.timeout(t - model.env.now)
        self._ignite(model, x, y, fid, weather or self.weather)

    def _ignite(
        self, model: DrillModel, x: float, y: float, fid: str, weather: FireWeather
    ) -> Fire:
        now = model.env.now
        if fid in self.fires:
            raise ValueError(f"fire id {fid!r} used twice; give each ignition its own id")
        fire = Fire.start(
            fid, self.world, x, y, now, weather, local_hour(self.start_time, now), self.params
        )
        fire.out_event = model.env.event()
        fire.t_line = math.nan
        self.fires[fid] = fire
        self.active.append(fire)
        r, c = fire.nearest_burnable(x, y)
        fx, fy = fire.grid.xy(r, c)
        fire.x_m, fire.y_m = float(fx), float(fy)
        d = self.params.detection
        seen = int(
            seen_by_any(self.world, self.observers, [fire.x_m], [fire.y_m], d.smoke_height_m)[0]
        )
        u_detect, u_report = self.rng.exponential(1.0, 2)
        model.log.emit(
            now, "fire_ignited", subject_id=fid, x_m=fire.x_m, y_m=fire.y_m,
            fuel=int(fire.fuel[r, c]), landcover=int(fire.grid.landcover[r, c]),
            elevation_m=round(float(fire.grid.elevation_m[r, c]), 1),
            grid_cells=fire.grid.n**2, cell_m=fire.grid.cell_m,
            wind_m_s=weather.wind_speed_10m_m_s, wind_from_deg=weather.wind_from_deg,
            rh_min_pct=round(weather.rh_min_pct, 1), covered=seen >= 0,
        )  # fmt: skip
        log_onsets(model, now, ONSET_RULE)  # 专栏1 first-batch clocks (INDICATORS.md)
        if seen >= 0:
            o = self.observers[seen]
            delay, how = d.covered_delay_min * u_detect, f"{o.kind}:{o.id}"
        else:
            delay, how = d.public_delay_min * u_detect, "public"
        model.env.process(self._detect(model, fire, delay, how, d.report_delay_min * u_report))
        return fire

    def _detect(
        self, model: DrillModel, fire: Fire, delay: float, how: str, report: float
    ) -> Generator:
        env = model.env
        yield env.timeout(delay)
        if fire.out:
            return
        fire.t_detected = env.now
        model.log.emit(env.now, "fire_detected", subject_id=fire.fid, x_m=fire.x_m, y_m=fire.y_m,
                       by=how, delay_min=round(delay, 2))  # fmt: skip
        yield env.timeout(report)
        if fire.out:
            return
        self.sync(model)
        fire.t_reported = env.now
        sx, sy = nearest_road_point(self.world, fire.x_m, fire.y_m)
        fire.staging_xy = (sx, sy)
        model.log.emit(env.now, "fire_reported", subject_id=fire.fid, x_m=fire.x_m, y_m=fire.y_m,
                       burned_ha=round(fire.burned_ha(), 3), staging_x_m=sx, staging_y_m=sy)  # fmt: skip
        sup = self.params.suppression
        caps = set().union(*(t.capabilities for t in model.teams)) if model.teams else set()
        if sup.ground_units and caps & {"forest_fire", "any"}:
            fire.incidents.append(self._ground_request(model, fire, sup.ground_units))
            if sup.reinforce_min is not None:
                env.process(self._reinforce(model, fire))
        if sup.air_units and "aerial_firefighting" in caps:
            fire.incidents.append(
                model.report_incident(
                    AIR_KIND,
                    fire.x_m,
                    fire.y_m,
                    needs="aerial_firefighting",
                    priority=1,
                    units_needed=sup.air_units,
                    work_min=0.0,
                    fire_id=fire.fid,
                )  # fmt: skip
            )

    def _ground_request(self, model: DrillModel, fire: Fire, n: int):
        """Ask the dispatch centre for ``n`` ground units at the fire's staging point."""
        sx, sy = fire.staging_xy
        return model.report_incident(
            GROUND_KIND, sx, sy, needs="forest_fire", priority=1, units_needed=n,
            work_min=0.0, fire_id=fire.fid,
        )  # fmt: skip

    def _reinforce(self, model: DrillModel, fire: Fire) -> Generator:
        """Escalation (扩大响应): while the fire is uncontained, ask for more ground units.

        Every ``reinforce_min`` after the report, if the earlier requests are fully
        staffed and the fire is still free, a new request for ``ground_units`` more
        goes into the dispatch queue (same priority, so it competes with the other
        fires' requests by report time), up to ``max_ground_units`` per fire.
        """
        sup = self.params.suppression
        env = model.env
        while True:
            yield env.timeout(sup.reinforce_min)
            if fire.out or fire.contained:
                return
            ground = [i for i in fire.incidents if i.kind == GROUND_KIND]
            asked = sum(i.units_needed for i in ground)
            if asked >= sup.max_ground_units:
                return
            if any(len(i.assigned) < i.units_needed for i in ground):
                continue  # earlier request still waiting for units
            n = min(sup.ground_units, sup.max_ground_units - asked)
            fire.incidents.append(self._ground_request(model, fire, n))
            model.log.emit(env.now, "fire_reinforcement_requested", subject_id=fire.fid, units=n,
                           asked_total=asked + n, burned_ha=round(fire.burned_ha(), 3))  # fmt: skip

    def _advance_fire(self, model: DrillModel, fire: Fire, t: float) -> None:
        sp = fire.spread
        sp.advance(t)
        if t - fire.t_moist >= self.params.moisture_update_min - 1e-9:
            m = fire.weather.moisture_at(local_hour(self.start_time, t))
            old = sp.moisture
            fire.t_moist = t
            if abs(m.m1h - old.m1h) >= 0.3 or abs(m.m10h - old.m10h) >= 0.3:
                sp.set_weather(t, moisture=m)
        if fire.crews or fire.drops_m:
            if math.isnan(fire.t_line):
                fire.t_line = t
            elif t - fire.t_line >= self.params.suppression.line_update_min - 1e-9:
                fire.apply_suppression(t, t - fire.t_line)
                fire.t_line = t
        else:
            fire.t_line = math.nan
        if not fire.edge_hit and fire.touches_edge():
            fire.edge_hit = True
            self.notes.append(
                f"forest fire: fire {fire.fid} reached the edge of its "
                f"{2 * self.params.grid.half_width_km:g} km grid; its size is cut off there"
            )
            model.log.emit(
                t, "fire_grid_edge", subject_id=fire.fid, burned_ha=round(fire.burned_ha(), 3)
            )
        if not fire.contained and not sp.is_active:
            fire.t_contained = t
            model.log.emit(
                t, "fire_contained", subject_id=fire.fid, x_m=fire.x_m, y_m=fire.y_m,
                line_m=round(fire.line_m, 1), perimeter_m=round(fire.open_perimeter_m(), 1),
                burned_ha=round(fire.burned_ha(), 3), crews=len(fire.crews),
                by="line" if fire.line_m > 0 else "natural barriers / fuel",
                since_ignition_h=round((t - fire.t_ignited) / 60, 3),
            )  # fmt: skip
            for inc in fire.incidents:
                if inc.kind == AIR_KIND:
                    self._stand_down(model, inc)
        if fire.contained and not sp.burning_mask().any():
            fire.t_extinguished = t
            model.log.emit(t, "fire_extinguished", subject_id=fire.fid, x_m=fire.x_m, y_m=fire.y_m,
                           since_ignition_h=round((t - fire.t_ignited) / 60, 3),
                           burned_ha=round(fire.burned_ha(), 3), state_hash=fire.state_hash())  # fmt: skip
            fire.out_event.succeed()
            for inc in fire.incidents:
                self._stand_down(model, inc)
            self._final(model, fire, extinguished=True)
            return
        if fire.t_reported == fire.t_reported:  # reported (not NaN)
            self._check_threat(model, fire, t)

    @staticmethod
    def _stand_down(model: DrillModel, inc) -> None:
        """No more units for this incident; close it if nobody is on it."""
        inc.units_needed = 0
        if not inc.assigned:
            model.dispatch.resolve(inc)

    def _final(self, model: DrillModel, fire: Fire, extinguished: bool) -> None:
        model.log.emit(
            model.env.now, "fire_final", subject_id=fire.fid, burned_ha=round(fire.burned_ha(), 3),
            burned_forest_ha=round(fire.burned_forest_ha(), 3), extinguished=extinguished,
            line_m=round(fire.line_m, 1), state_hash=fire.state_hash(),
        )  # fmt: skip
        self.active.remove(fire)

    def _check_threat(self, model: DrillModel, fire: Fire, t: float) -> None:
        th = self.params.threat
        res = model.residents
        if res is None or t - self._t_threat.get(fire.fid, -math.inf) < th.check_min - 1e-9:
            return
        self._t_threat[fire.fid] = t
        mask = fire.threatened(t + th.lead_min, th.buffer_m)
        r, c, inside = fire.grid.rc(res.home_x, res.home_y)
        hit = inside & mask[r, c] & ~model.protective_actions.evac_ordered
        idx = np.flatnonzero(hit)
        if idx.size:
            model.log.emit(t, "villages_threatened", subject_id=fire.fid, groups=int(idx.size),
                           people=int(res.people[idx].sum()), lead_min=th.lead_min)  # fmt: skip
            model.protective_actions.order_evacuation(idx, reason=f"fire {fire.fid} front")

    def _state_clock(self, model: DrillModel) -> Generator:
        every = self.params.state_every_min
        while True:
            yield model.env.timeout(every)
            for fire in self.active:
                fire.spread.advance(model.env.now)
                model.log.emit(
                    model.env.now, "fire_state", subject_id=fire.fid,
                    burned_ha=round(fire.burned_ha(), 3), perimeter_m=round(fire.open_perimeter_m(), 1),
                    front_cells=int(fire.spread.front_cells().sum()), line_m=round(fire.line_m, 1),
                    crews=len(fire.crews), state_hash=fire.state_hash(),
                )  # fmt: skip

    # ------------------------------------------------------------ helpers
    def daylight(self, t: float, hours: tuple[float, float]) -> bool:
        """Whether local time at ``t`` is within ``hours`` (aircraft flight window)."""
        h = local_hour(self.start_time, t)
        return hours[0] <= h <= hours[1]

    def water_source(self, fire: Fire) -> tuple[float, float]:
        """Nearest water to the fire: sea/water cells of the world or a river node."""
        cache = self.world._cache
        if "ff_water_tree" not in cache:
            w = self.world
            wet = (~w.is_land) | (w.landcover == 0)
            pts = [np.column_stack([w.grid.x_m[wet], w.grid.y_m[wet]])]
            rv = getattr(w, "rivers", None)
            if rv is not None and rv.number_of_nodes():
                pts.append(np.array([(d["x_m"], d["y_m"]) for _, d in rv.nodes(data=True)], float))
            xy = np.concatenate(pts)
            cache["ff_water_tree"] = (cKDTree(xy), xy)
        tree, xy = cache["ff_water_tree"]
        _, i = tree.query([fire.x_m, fire.y_m])
        return float(xy[i, 0]), float(xy[i, 1])

    # ------------------------------------------------------------ season
    def season_ignitions(
        self, duration_min: float
    ) -> list[tuple[float, float, float, FireWeather, str]]:
        """Random fire starts over the run: Poisson count, monthly shares, wildland near towns.

        Drawn once at the start from the hazard stream, so plan variants with the
        same seed face the same fires (paired comparisons).
        """
        s = self.params.season
        if s is None:
            return []
        rng = self.rng
        w = self.world
        wild = np.isin(w.landcover, (3, 4, 5, 6, 7, 8)) & (w.district > 0)
        cx, cy = w.grid.x_m[wild], w.grid.y_m[wild]
        d_town, _ = cKDTree(w.towns[["x_m", "y_m"]].to_numpy(float)).query(
            np.column_stack([cx, cy])
        )
        p = np.exp(-d_town / (s.town_scale_km * 1000.0))
        p /= p.sum()
        n = int(rng.poisson(s.fires_per_year * duration_min / (365 * 1440)))
        start = self.start_time
        year_start = start.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
        t_start = (start - year_start).total_seconds() / 60.0
        days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], float)
        first = np.concatenate([[0.0], np.cumsum(days)[:-1]])
        out = []
        months = rng.choice(12, size=n, p=np.asarray(s.monthly_share) / sum(s.monthly_share))
        day_u = rng.random(n)
        hour = rng.uniform(9.0, 17.0, n)  # human-caused starts in working hours (assumption)
        cells = rng.choice(cx.size, size=n, p=p)
        jit = rng.standard_normal((n, 3))
        for k in range(n):
            m = int(months[k])
            t_abs = ((first[m] + math.floor(day_u[k] * days[m])) * 24 + hour[k]) * 60.0
            t = (t_abs - t_start) % (365 * 1440)
            if t >= duration_min:
                continue
            mw: MonthWeather = s.months[m]
            j = s.weather_jitter
            wx = FireWeather(
                round(mw.wind_10m_m_s * math.exp(j * jit[k, 0]), 2), mw.wind_from_deg, mw.t_max_c,
                mw.t_min_c, round(float(np.clip(mw.rh_min_pct * (1 + j * jit[k, 1]), 8, 95)), 1),
                round(mw.days_since_rain * math.exp(j * jit[k, 2]), 2), mw.live_herb_pct,
                mw.live_woody_pct, int(first[m]) + 15,
            )  # fmt: skip
            out.append((t, float(cx[cells[k]]), float(cy[cells[k]]), wx, f"S{k + 1:04d}"))
        out.sort(key=lambda r: (r[0], r[4]))
        return out

    def summary(self) -> dict[str, Any]:
        """Counts for reports and tests."""
        return {
            "fires": len(self.fires),
            "extinguished": sum(f.out for f in self.fires.values()),
            "burned_ha": round(sum(f.burned_ha() for f in self.fires.values()), 3),
        }
